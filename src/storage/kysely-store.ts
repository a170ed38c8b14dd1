import type BetterSqlite from 'better-sqlite3';
import { CompiledQuery, sql, type Compilable, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import { z } from 'zod';
import { REVISION_EVENT_ACTIONS, type AuditEvent, type ChainHead } from '../core/audit.js';
import { RecordStatusSchema, type RecordStatus } from '../core/catalog/lifecycle.js';
import { SafetyClassSchema } from '../core/catalog/record-types.js';
import { AppError } from '../core/errors.js';
import { canonicalJson } from '../core/hashing.js';
import { recordedRevision } from '../core/integrity.js';
import { TraceLinkColumnsBuilder, type TraceLinkColumns } from '../core/trace/link-columns.js';
import { TraceRecordColumnsBuilder, type TraceRecordColumns } from '../core/trace/record-columns.js';
import type { RevisionContent } from '../core/trace/revision-changes.js';
import {
  recordKey,
  type Link,
  type LinkView,
  type Product,
  type ProductRulePack,
  type RecordHead,
  type RecordSummary,
  type Revision,
  type RuleSetting,
} from '../core/entities.js';
import {
  evidenceDigestText,
  type EvidenceImport,
  type EvidenceItem,
  type EvidenceItemKind,
  type EvidenceKind,
  type EvidenceRef,
  type EvidenceRole,
  type Release,
  type ReleaseEvidence,
  type ReleaseLink,
  type ReleaseRecord,
  type ReleaseStatus,
} from '../core/evidence/model.js';
import type { ResultItem } from '../core/evidence/verdicts.js';
import type {
  AuditDigestRow,
  DatabaseCheck,
  EvidenceDigestRow,
  EvidenceItemFilter,
  AuditFilter,
  LinkFilter,
  NextIds,
  RecordFilter,
  RecordHeadPatch,
  RevisionWithKey,
  Store,
  TraceRecordRow,
  StateEvent,
  StoreReader,
  StoreWriter,
} from '../core/ports.js';
import type { AuditAnchor } from '../core/audit-anchor.js';
import type { ChainRangeResult } from '../core/integrity.js';
import type {
  AuditEventRow,
  Database,
  Dialect,
  EvidenceImportRow,
  EvidenceItemRow,
  LinkRow,
  ProductRow,
  RecordRow,
  ReleaseRow,
  RevisionRow,
} from './schema.js';
import {
  AUDIT_HASH_INPUT_SQL,
  chainRanges,
  chainWorkersAvailable,
  checkChainRange,
  checkChainRangesOnWorkers,
  sqliteChainPages,
  type ChainPageReader,
  type ChainWorkerTarget,
} from './audit-chain.js';
import { checkDatabase } from './database-check.js';
import { IdentityRepository } from './identity-repository.js';

const STATUSES = new Set<string>(RecordStatusSchema.options);

/** A status column value, checked without a schema parse per row (loads read a million of them). */
function toStatus(v: unknown): RecordStatus {
  if (typeof v === 'string' && STATUSES.has(v)) return v as RecordStatus;
  throw new AppError('INTEGRITY', `a record has an unknown status '${String(v)}' in the database`);
}

/** Bound parameters per statement; below SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;
/** Parameters per multi-row INSERT on the SQLite fast path (more gains little; each statement is cached). */
const FAST_PARAMS = 256;
const EVIDENCE_ITEM_COLUMNS = ['id', 'import_id', 'product_id', 'kind', 'key', 'outcome', 'data'] as const;
const EVIDENCE_REF_COLUMNS = ['item_id', 'record_id', 'role'] as const;
/** Largest IN (...) list per query. */
const IN_CHUNK = 5_000;

const FieldsJsonSchema = z.record(z.string(), z.unknown());
const SeverityColumnSchema = z.enum(['error', 'warning', 'info']);

function toProduct(r: Selectable<ProductRow>): Product {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    intendedUse: r.intended_use,
    safetyClass: SafetyClassSchema.parse(r.safety_class),
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

function toRecordHead(r: Selectable<RecordRow>): RecordHead {
  return {
    id: r.id,
    productId: r.product_id,
    type: r.type,
    number: r.number,
    status: RecordStatusSchema.parse(r.status),
    latestRevision: r.latest_revision,
    approvedRevision: r.approved_revision,
    approvedBy: r.approved_by,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

function toRevision(r: Selectable<RevisionRow>): Revision {
  return {
    recordId: r.record_id,
    revision: r.revision,
    title: r.title,
    body: r.body,
    fields: FieldsJsonSchema.parse(JSON.parse(r.fields)),
    hash: r.hash,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

/** The columns of `records` in the order `recordHeadFromArray` reads them. */
const RECORD_COLUMNS = [
  'id', 'product_id', 'type', 'number', 'status', 'latest_revision', 'approved_revision', 'approved_by', 'created_at', 'created_by', 'updated_at', 'updated_by',
] as const;

/** `toRecordHead` for a row read as an array of `RECORD_COLUMNS`. */
function recordHeadFromArray(a: unknown[]): RecordHead {
  return {
    id: a[0] as number,
    productId: a[1] as number,
    type: a[2] as string,
    number: a[3] as number,
    status: RecordStatusSchema.parse(a[4]),
    latestRevision: a[5] as number,
    approvedRevision: a[6] as number | null,
    approvedBy: a[7] as string | null,
    createdAt: a[8] as string,
    createdBy: a[9] as string,
    updatedAt: a[10] as string,
    updatedBy: a[11] as string,
  };
}

/** The columns of `links` in the order `linkFromArray` reads them. */
const LINK_COLUMNS = [
  'id', 'product_id', 'type', 'from_id', 'to_id', 'from_revision', 'to_revision', 'created_at', 'created_by',
  'confirmed_at', 'confirmed_by', 'removed_at', 'removed_by', 'removal_reason',
] as const;

/** `toLink` for a row read as an array of `LINK_COLUMNS`. */
function linkFromArray(a: unknown[]): Link {
  return {
    id: a[0] as number,
    productId: a[1] as number,
    type: a[2] as string,
    fromId: a[3] as number,
    toId: a[4] as number,
    fromRevision: a[5] as number,
    toRevision: a[6] as number,
    createdAt: a[7] as string,
    createdBy: a[8] as string,
    confirmedAt: a[9] as string | null,
    confirmedBy: a[10] as string | null,
    removedAt: a[11] as string | null,
    removedBy: a[12] as string | null,
    removalReason: a[13] as string | null,
  };
}

function toLink(r: Selectable<LinkRow>): Link {
  return {
    id: r.id,
    productId: r.product_id,
    type: r.type,
    fromId: r.from_id,
    toId: r.to_id,
    fromRevision: r.from_revision,
    toRevision: r.to_revision,
    createdAt: r.created_at,
    createdBy: r.created_by,
    confirmedAt: r.confirmed_at,
    confirmedBy: r.confirmed_by,
    removedAt: r.removed_at,
    removedBy: r.removed_by,
    removalReason: r.removal_reason,
  };
}

function toAuditEvent(r: Selectable<AuditEventRow>): AuditEvent {
  return {
    seq: Number(r.seq),
    occurredAt: r.occurred_at,
    actor: r.actor,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    productKey: r.product_key,
    oldValue: r.old_value,
    newValue: r.new_value,
    reason: r.reason,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function toEvidenceImport(r: Selectable<EvidenceImportRow>): EvidenceImport {
  return {
    id: r.id,
    productId: r.product_id,
    kind: r.kind as EvidenceKind,
    source: r.source,
    contentHash: r.content_hash,
    meta: JSON.parse(r.meta) as Record<string, unknown>,
    itemCount: r.item_count,
    itemsDigest: r.items_digest,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
    version: r.version,
    voidedAt: r.voided_at,
    voidedBy: r.voided_by,
    voidReason: r.void_reason,
  };
}

function toRelease(r: Selectable<ReleaseRow>): Release {
  return {
    id: r.id,
    productId: r.product_id,
    version: r.version,
    baseline: r.baseline,
    status: r.status as ReleaseStatus,
    baselineHash: r.baseline_hash,
    auditSeq: Number(r.audit_seq),
    auditHash: r.audit_hash,
    createdAt: r.created_at,
    createdBy: r.created_by,
    releasedAt: r.released_at,
    releasedBy: r.released_by,
    voidedAt: r.voided_at,
    voidedBy: r.voided_by,
    voidReason: r.void_reason,
  };
}

/** A trace-record row read as an array: id, type, number, status, revision, revised at, title, fields. */
function toTraceRecord([id, type, number, status, revision, createdAt, title, fields, createdBy, approvedBy]: unknown[]): TraceRecordRow {
  return {
    id: id as number,
    type: type as string,
    number: number as number,
    status: toStatus(status),
    latestRevision: revision as number,
    revisedAt: createdAt as string,
    title: title as string,
    fields: JSON.parse(fields as string) as Record<string, unknown>,
    revisedBy: createdBy as string,
    approvedBy: (approvedBy as string | null) ?? null,
  };
}

/** Appends a trace-record row read as an array (see `toTraceRecord`) to the columns; its fields stay JSON text. */
function addTraceRecord(out: TraceRecordColumnsBuilder, [id, type, number, status, revision, createdAt, title, fields, createdBy, approvedBy]: unknown[]): void {
  out.add(
    id as number,
    type as string,
    number as number,
    toStatus(status),
    revision as number,
    createdAt as string,
    title as string,
    fields as string,
    createdBy as string,
    (approvedBy as string | null) ?? null,
  );
}

/** Rows per fetch when PostgreSQL rows are read through a cursor instead of all at once. */
const PG_PAGE_ROWS = 20_000;
/** Names the cursors of one process apart. */
let cursorCount = 0;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reads and writes through one Kysely connection or transaction. No SQL lives outside `src/storage`. */
class KyselySession extends IdentityRepository implements StoreWriter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly fast?: SqliteFastPath,
    private readonly chain: ChainCheckPlan = IN_THREAD,
  ) {
    super(db);
  }

  async checkDatabase(): Promise<DatabaseCheck> {
    return checkDatabase(this.db, this.dialect);
  }

  async listProducts(): Promise<Product[]> {
    const rows = await this.db.selectFrom('products').selectAll().orderBy('key').execute();
    return rows.map(toProduct);
  }

  async findProduct(key: string): Promise<Product | undefined> {
    const row = await this.db.selectFrom('products').selectAll().where('key', '=', key).executeTakeFirst();
    return row === undefined ? undefined : toProduct(row);
  }

  async findRecord(productId: number, type: string, number: number): Promise<RecordHead | undefined> {
    const row = await this.db
      .selectFrom('records')
      .selectAll()
      .where('product_id', '=', productId)
      .where('type', '=', type)
      .where('number', '=', number)
      .executeTakeFirst();
    return row === undefined ? undefined : toRecordHead(row);
  }

  async findRecords(productId: number, refs: readonly { type: string; number: number }[]): Promise<RecordHead[]> {
    // Group by type so each query is `type = ? and number in (...)`, which the unique index serves.
    const byType = new Map<string, number[]>();
    for (const r of refs) {
      const list = byType.get(r.type);
      if (list === undefined) byType.set(r.type, [r.number]);
      else list.push(r.number);
    }
    const out: RecordHead[] = [];
    for (const [type, numbers] of byType) {
      for (const part of chunks([...new Set(numbers)], IN_CHUNK)) {
        const rows = await this.db
          .selectFrom('records')
          .selectAll()
          .where('product_id', '=', productId)
          .where('type', '=', type)
          .where('number', 'in', part)
          .execute();
        out.push(...rows.map(toRecordHead));
      }
    }
    return out;
  }

  async maxRecordNumbers(productId: number): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('records')
      .select(['type', (eb) => eb.fn.max('number').as('max')])
      .where('product_id', '=', productId)
      .groupBy('type')
      .execute();
    return new Map(rows.map((r) => [r.type, Number(r.max)]));
  }

  async listRecords(filter: RecordFilter): Promise<RecordSummary[]> {
    let q = this.db
      .selectFrom('records as r')
      .innerJoin('revisions as v', (j) =>
        j.onRef('v.record_id', '=', 'r.id').onRef('v.revision', '=', 'r.latest_revision'),
      )
      .selectAll('r')
      .select('v.title')
      .where('r.product_id', '=', filter.productId);
    if (filter.type !== undefined) q = q.where('r.type', '=', filter.type);
    if (filter.status !== undefined) q = q.where('r.status', '=', filter.status);
    const rows = await q.orderBy('r.type').orderBy('r.number').execute();
    return rows.map((r) => ({ ...toRecordHead(r), key: recordKey(r.type, r.number), title: r.title }));
  }

  async findRevision(recordId: number, revision: number): Promise<Revision | undefined> {
    const row = await this.db
      .selectFrom('revisions')
      .selectAll()
      .where('record_id', '=', recordId)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return row === undefined ? undefined : toRevision(row);
  }

  async listRevisions(recordId: number): Promise<Revision[]> {
    const rows = await this.db
      .selectFrom('revisions')
      .selectAll()
      .where('record_id', '=', recordId)
      .orderBy('revision')
      .execute();
    return rows.map(toRevision);
  }

  async listLinks(filter: LinkFilter): Promise<LinkView[]> {
    let q = this.linkViewQuery().where('l.product_id', '=', filter.productId);
    if (filter.recordId !== undefined) {
      const id = filter.recordId;
      q = q.where((eb) => eb.or([eb('l.from_id', '=', id), eb('l.to_id', '=', id)]));
    }
    if (filter.includeRemoved !== true) q = q.where('l.removed_at', 'is', null);
    const rows = await q.orderBy('l.id').execute();
    return rows.map((r) => this.toLinkView(r));
  }

  async findLink(productId: number, id: number): Promise<LinkView | undefined> {
    const row = await this.linkViewQuery()
      .where('l.product_id', '=', productId)
      .where('l.id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toLinkView(row);
  }

  // eslint-disable-next-line @typescript-eslint/explicit-function-return-type -- Kysely infers the builder type
  private linkViewQuery() {
    return this.db
      .selectFrom('links as l')
      .innerJoin('records as f', 'f.id', 'l.from_id')
      .innerJoin('records as t', 't.id', 'l.to_id')
      .selectAll('l')
      .select(['f.type as from_type', 'f.number as from_number', 't.type as to_type', 't.number as to_number']);
  }

  private toLinkView(
    r: Selectable<LinkRow> & { from_type: string; from_number: number; to_type: string; to_number: number },
  ): LinkView {
    return {
      ...toLink(r),
      fromKey: recordKey(r.from_type, r.from_number),
      fromType: r.from_type,
      toKey: recordKey(r.to_type, r.to_number),
      toType: r.to_type,
    };
  }

  async listActiveLinkEnds(fromIds: readonly number[]): Promise<Pick<Link, 'type' | 'fromId' | 'toId'>[]> {
    const out: Pick<Link, 'type' | 'fromId' | 'toId'>[] = [];
    for (const part of chunks([...new Set(fromIds)], IN_CHUNK)) {
      const rows = await this.db
        .selectFrom('links')
        .select(['type', 'from_id', 'to_id'])
        .where('from_id', 'in', part)
        .where('removed_at', 'is', null)
        .execute();
      for (const r of rows) out.push({ type: r.type, fromId: r.from_id, toId: r.to_id });
    }
    return out;
  }

  async auditHead(): Promise<ChainHead | undefined> {
    const row = await this.db
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash };
  }

  async listAudit(filter: AuditFilter): Promise<AuditEvent[]> {
    let q = this.db.selectFrom('audit_events').selectAll();
    if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
    if (filter.entityId !== undefined) q = q.where('entity_id', '=', filter.entityId);
    if (filter.productKey !== undefined) q = q.where('product_key', '=', filter.productKey);
    const rows = await q.orderBy('seq', filter.newestFirst === true ? 'desc' : 'asc').limit(filter.limit).execute();
    return rows.map(toAuditEvent);
  }

  async countAudit(filter: Omit<AuditFilter, 'limit' | 'newestFirst'>): Promise<number> {
    let q = this.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number | string>().as('n'));
    if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
    if (filter.entityId !== undefined) q = q.where('entity_id', '=', filter.entityId);
    if (filter.productKey !== undefined) q = q.where('product_key', '=', filter.productKey);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  async scanAuditDigests(afterSeq: number, limit: number): Promise<AuditDigestRow[]> {
    const revisionEvent = sql.join(REVISION_EVENT_ACTIONS.map((a) => sql.lit(a)));
    const rows = await sql<{
      seq: number;
      prev_hash: string;
      hash: string;
      input: string;
      entity_id: string;
      new_value: string | null;
    }>`select seq, prev_hash, hash, ${auditHashInputSql()} as input, entity_id,
         case when action in (${revisionEvent}) then new_value end as new_value
       from audit_events where seq > ${afterSeq} order by seq limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => ({
      seq: Number(r.seq),
      prevHash: r.prev_hash,
      hash: r.hash,
      input: r.input,
      recorded: r.new_value === null ? null : recordedRevision(r.entity_id, r.new_value),
    }));
  }

  async checkAuditChain(throughSeq: number, anchors: readonly AuditAnchor[]): Promise<ChainRangeResult[]> {
    const plan = this.chain;
    const ranges = chainRanges(throughSeq, Math.max(1, Math.min(plan.workers, Math.floor(throughSeq / plan.minEventsPerRange))));
    if (plan.target !== undefined && plan.workers > 0 && throughSeq >= plan.minEventsPerRange && chainWorkersAvailable()) {
      // PostgreSQL: the workers join this transaction's snapshot. SQLite has no such thing, but events are
      // append-only and every range ends at this snapshot's head, so the workers read the same events.
      const snapshot =
        this.dialect === 'postgres' ? (await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(this.db)).rows[0]?.id : undefined;
      const target: ChainWorkerTarget = snapshot === undefined ? plan.target : { ...plan.target, snapshot };
      return checkChainRangesOnWorkers(target, ranges, anchors);
    }
    // In this thread, on this transaction's snapshot; still range by range, joined as the workers' ranges are.
    const read: ChainPageReader =
      this.fast !== undefined
        ? sqliteChainPages(this.fast.handle)
        : async (after, limit) => {
            const rows = await sql<{ seq: number; prev_hash: string; hash: string; input: string }>`select seq, prev_hash, hash,
                ${auditHashInputSql()} as input from audit_events where seq > ${after} order by seq limit ${limit}`.execute(this.db);
            return rows.rows.map((r) => [r.seq, r.prev_hash, r.hash, r.input]);
          };
    const out: ChainRangeResult[] = [];
    for (const range of ranges) out.push(await checkChainRange(read, range, anchors));
    return out;
  }

  async scanStateEvents(afterSeq: number, limit: number, actions: readonly string[]): Promise<StateEvent[]> {
    // No filter on the action in WHERE: with one, PostgreSQL may scan and sort the table for every page instead of
    // walking the primary key. The new value (the large column) is read only for the actions asked for.
    const wanted = actions.length === 0 ? sql.lit(null) : sql.join(actions.map((a) => sql.lit(a)));
    const query = this.db
      .selectFrom('audit_events')
      .select(['seq', 'occurred_at', 'actor', 'action', 'entity_id', 'product_key'])
      .select(sql<string | null>`case when action in (${wanted}) then new_value end`.as('new_value'))
      .select('reason')
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit);
    const rows = await this.selectArrays(query);
    return rows.map(([seq, occurredAt, actor, action, entityId, productKey, newValue, reason]) => ({
      seq: Number(seq),
      occurredAt: occurredAt as string,
      actor: actor as string,
      action: action as string,
      entityId: entityId as string,
      productKey: productKey as string | null,
      newValue: newValue as string | null,
      reason: reason as string | null,
    }));
  }

  async pageRecords(afterId: number, limit: number): Promise<RecordHead[]> {
    // Arrays, not row objects: verification and export page through every record.
    const query = this.db.selectFrom('records').select(RECORD_COLUMNS).where('id', '>', afterId).orderBy('id').limit(limit);
    return (await this.selectArrays(query)).map(recordHeadFromArray);
  }

  async pageRevisions(after: { recordId: number; revision: number }, limit: number): Promise<RevisionWithKey[]> {
    const query = this.db
      .selectFrom('revisions as v')
      .innerJoin('records as r', 'r.id', 'v.record_id')
      .innerJoin('products as p', 'p.id', 'r.product_id')
      .select(['v.record_id', 'v.revision', 'v.title', 'v.body', 'v.fields', 'v.hash', 'v.created_at', 'v.created_by', 'p.key as product_key', 'r.type', 'r.number'])
      // Row-value comparison, so both databases walk the primary key instead of re-scanning for an OR.
      .where((eb) => eb(eb.refTuple('v.record_id', 'v.revision'), '>', eb.tuple(after.recordId, after.revision)))
      .orderBy('v.record_id')
      .orderBy('v.revision')
      .limit(limit);
    return (await this.selectArrays(query)).map(([recordId, revision, title, body, fields, hash, createdAt, createdBy, productKey, type, number]) => ({
      recordId: recordId as number,
      revision: revision as number,
      title: title as string,
      body: body as string,
      fields: FieldsJsonSchema.parse(JSON.parse(fields as string)),
      hash: hash as string,
      createdAt: createdAt as string,
      createdBy: createdBy as string,
      productKey: productKey as string,
      type: type as string,
      number: number as number,
      fieldsJson: fields as string,
    }));
  }

  async pageLinks(afterId: number, limit: number): Promise<Link[]> {
    const query = this.db.selectFrom('links').select(LINK_COLUMNS).where('id', '>', afterId).orderBy('id').limit(limit);
    return (await this.selectArrays(query)).map(linkFromArray);
  }

  async nextIds(): Promise<NextIds> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('products').select((e) => e.fn.max('id').as('m')).as('product'),
        eb.selectFrom('records').select((e) => e.fn.max('id').as('m')).as('record'),
        eb.selectFrom('links').select((e) => e.fn.max('id').as('m')).as('link'),
        eb.selectFrom('evidence_imports').select((e) => e.fn.max('id').as('m')).as('evidenceImport'),
        eb.selectFrom('evidence_items').select((e) => e.fn.max('id').as('m')).as('evidenceItem'),
        eb.selectFrom('releases').select((e) => e.fn.max('id').as('m')).as('release'),
      ])
      .executeTakeFirstOrThrow();
    return {
      product: Number(row.product ?? 0) + 1,
      record: Number(row.record ?? 0) + 1,
      link: Number(row.link ?? 0) + 1,
      evidenceImport: Number(row.evidenceImport ?? 0) + 1,
      evidenceItem: Number(row.evidenceItem ?? 0) + 1,
      release: Number(row.release ?? 0) + 1,
    };
  }

  /**
   * Runs a SELECT and returns its rows as arrays in select-list order: raw mode on SQLite (several times fewer
   * allocations for large loads), the row objects' values on PostgreSQL.
   */
  private async selectArrays(query: Compilable & { execute(): Promise<object[]> }): Promise<unknown[][]> {
    if (this.fast !== undefined) {
      const c = query.compile();
      return this.fast.rows(c.sql, c.parameters);
    }
    return (await query.execute()).map((r): unknown[] => Object.values(r) as unknown[]);
  }

  async loadTraceRecords(productId: number, type?: string): Promise<TraceRecordRow[]> {
    let query = this.db
      .selectFrom('records as r')
      .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'r.id').onRef('v.revision', '=', 'r.latest_revision'))
      .select(['r.id', 'r.type', 'r.number', 'r.status', 'r.latest_revision', 'v.created_at', 'v.title', 'v.fields', 'v.created_by'])
      // Who approved this revision: the head's approver, when the head's approved revision is the one read.
      .select(sql<string | null>`case when r.approved_revision = r.latest_revision then r.approved_by end`.as('approved_by'))
      .where('r.product_id', '=', productId);
    if (type !== undefined) query = query.where('r.type', '=', type);
    const rows = await this.selectArrays(query);
    return rows.map(toTraceRecord);
  }

  async loadTraceRecordColumns(productId: number, types?: readonly string[]): Promise<TraceRecordColumns> {
    let query = this.db
      .selectFrom('records as r')
      .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'r.id').onRef('v.revision', '=', 'r.latest_revision'))
      .select(['r.id', 'r.type', 'r.number', 'r.status', 'r.latest_revision', 'v.created_at', 'v.title', 'v.fields', 'v.created_by'])
      .select(sql<string | null>`case when r.approved_revision = r.latest_revision then r.approved_by end`.as('approved_by'))
      .where('r.product_id', '=', productId);
    if (types !== undefined) query = query.where('r.type', 'in', types.length === 0 ? [''] : [...types]);
    const out = new TraceRecordColumnsBuilder();
    await this.eachRow(query, (row) => addTraceRecord(out, row));
    return out.build();
  }

  async loadReleaseTraceRecordColumns(releaseId: number): Promise<TraceRecordColumns> {
    const query = this.db
      .selectFrom('release_records as b')
      .innerJoin('records as r', 'r.id', 'b.record_id')
      .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'b.record_id').onRef('v.revision', '=', 'b.revision'))
      .select(['r.id', 'r.type', 'r.number', 'b.status', 'b.revision', 'v.created_at', 'v.title', 'v.fields', 'v.created_by'])
      .select(sql<string | null>`case when r.approved_revision = b.revision then r.approved_by end`.as('approved_by'))
      .where('b.release_id', '=', releaseId);
    const out = new TraceRecordColumnsBuilder();
    await this.eachRow(query, (row) => addTraceRecord(out, row));
    return out.build();
  }

  /**
   * Calls `fn` with each row of a large SELECT as an array in select-list order, never holding all rows at once:
   * row by row on SQLite; on PostgreSQL (whose driver materialises a whole result) through a cursor in the read's
   * transaction, a page at a time. The query runs once either way, in the order it would run unpaged.
   */
  private async eachRow(query: Compilable, fn: (row: unknown[]) => void): Promise<void> {
    const c = query.compile();
    if (this.fast !== undefined) {
      this.fast.each(c.sql, c.parameters, fn);
      return;
    }
    const name = `dossier_rows_${++cursorCount}`;
    await this.db.executeQuery(CompiledQuery.raw(`declare ${name} no scroll cursor for ${c.sql}`, [...c.parameters]));
    try {
      for (;;) {
        const { rows } = await this.db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`fetch ${PG_PAGE_ROWS} from ${name}`));
        for (const r of rows) fn(Object.values(r));
        if (rows.length < PG_PAGE_ROWS) break;
      }
    } finally {
      // After a failed fetch the transaction is aborted and closes the cursor itself.
      await this.db.executeQuery(CompiledQuery.raw(`close ${name}`)).catch(() => undefined);
    }
  }

  async listRevisionContents(productId: number): Promise<RevisionContent[]> {
    const rows = await this.db
      .selectFrom('revisions as v')
      .innerJoin('records as r', 'r.id', 'v.record_id')
      .select(['v.record_id', 'v.revision', 'v.title', 'v.body', 'v.fields', 'v.created_at'])
      .where('r.product_id', '=', productId)
      .where('r.latest_revision', '>', 1)
      .orderBy('v.record_id')
      .orderBy('v.revision')
      .execute();
    return rows.map((v) => ({
      recordId: v.record_id,
      revision: v.revision,
      title: v.title,
      body: v.body,
      fields: FieldsJsonSchema.parse(JSON.parse(v.fields)),
      createdAt: v.created_at,
    }));
  }

  async loadTraceLinks(productId: number): Promise<TraceLinkColumns> {
    const query = this.db
      .selectFrom('links')
      .select(['id', 'type', 'from_id', 'to_id', 'from_revision', 'to_revision'])
      .select(sql<string>`coalesce(confirmed_at, created_at)`.as('checked_at'))
      .where('product_id', '=', productId)
      .where('removed_at', 'is', null);
    const out = new TraceLinkColumnsBuilder();
    const add = (r: unknown[]): void =>
      out.add(r[0] as number, r[1] as string, r[2] as number, r[3] as number, r[4] as number, r[5] as number, r[6] as string);
    // Row by row: each raw row is garbage as soon as its values are in the columns.
    await this.eachRow(query, add);
    return out.build();
  }

  async listRuleSettings(productId?: number): Promise<RuleSetting[]> {
    let q = this.db.selectFrom('rule_settings').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    const rows = await q.orderBy('product_id').orderBy('rule_id').execute();
    return rows.map((r) => ({
      productId: r.product_id,
      ruleId: r.rule_id,
      enabled: r.enabled === 1,
      severity: r.severity === null ? null : SeverityColumnSchema.parse(r.severity),
      justification: r.justification,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
    }));
  }

  async listProductRulePacks(productId?: number): Promise<ProductRulePack[]> {
    let q = this.db.selectFrom('product_rule_packs').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    const rows = await q.orderBy('product_id').orderBy('pack').execute();
    return rows.map((r) => ({
      productId: r.product_id,
      pack: r.pack,
      definition: r.definition,
      hash: r.hash,
      addedAt: r.added_at,
      addedBy: r.added_by,
    }));
  }

  async putRuleSetting(s: RuleSetting): Promise<void> {
    await this.db.deleteFrom('rule_settings').where('product_id', '=', s.productId).where('rule_id', '=', s.ruleId).execute();
    await this.insertRuleSettings([s]);
  }

  async insertRuleSettings(settings: readonly RuleSetting[]): Promise<void> {
    await this.insertChunked(
      'rule_settings',
      settings.map((s) => ({
        product_id: s.productId,
        rule_id: s.ruleId,
        enabled: s.enabled ? 1 : 0,
        severity: s.severity,
        justification: s.justification,
        updated_at: s.updatedAt,
        updated_by: s.updatedBy,
      })),
    );
  }

  async insertProductRulePacks(packs: readonly ProductRulePack[]): Promise<void> {
    await this.insertChunked(
      'product_rule_packs',
      packs.map((p) => ({
        product_id: p.productId,
        pack: p.pack,
        definition: p.definition,
        hash: p.hash,
        added_at: p.addedAt,
        added_by: p.addedBy,
      })),
    );
  }

  async confirmLink(id: number, fromRevision: number, toRevision: number, at: string, by: string): Promise<void> {
    await this.db
      .updateTable('links')
      .set({ from_revision: fromRevision, to_revision: toRevision, confirmed_at: at, confirmed_by: by })
      .where('id', '=', id)
      .execute();
  }

  async findEvidenceImport(productId: number, kind: EvidenceKind, contentHash: string): Promise<EvidenceImport | undefined> {
    const row = await this.db
      .selectFrom('evidence_imports')
      .selectAll()
      .where('product_id', '=', productId)
      .where('kind', '=', kind)
      .where('content_hash', '=', contentHash)
      .executeTakeFirst();
    return row === undefined ? undefined : toEvidenceImport(row);
  }

  async findEvidenceImportById(productId: number, id: number): Promise<EvidenceImport | undefined> {
    const row = await this.db.selectFrom('evidence_imports').selectAll().where('product_id', '=', productId).where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toEvidenceImport(row);
  }

  async setEvidenceImportVersion(id: number, version: string): Promise<void> {
    await this.db.updateTable('evidence_imports').set({ version }).where('id', '=', id).execute();
  }

  async markEvidenceImportVoid(id: number, at: string, by: string, reason: string): Promise<void> {
    await this.db.updateTable('evidence_imports').set({ voided_at: at, voided_by: by, void_reason: reason }).where('id', '=', id).execute();
  }

  async listEvidenceImports(productId?: number, kind?: EvidenceKind): Promise<EvidenceImport[]> {
    let q = this.db.selectFrom('evidence_imports').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    if (kind !== undefined) q = q.where('kind', '=', kind);
    return (await q.orderBy('id').execute()).map(toEvidenceImport);
  }

  async listEvidenceItems(filter: EvidenceItemFilter): Promise<EvidenceItem[]> {
    const out: EvidenceItem[] = [];
    // Large ID lists go in chunks (bound-parameter limits); each chunk reads items, then their references.
    const groups: (readonly number[] | undefined)[] =
      filter.importIds !== undefined ? chunks(filter.importIds, 500) : filter.itemIds !== undefined ? chunks(filter.itemIds, 500) : [undefined];
    for (const ids of groups) {
      if (ids !== undefined && ids.length === 0) continue;
      let q = this.db.selectFrom('evidence_items').selectAll().where('product_id', '=', filter.productId);
      if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
      if (ids !== undefined) q = q.where(filter.importIds !== undefined ? 'import_id' : 'id', 'in', ids);
      const rows = await q.orderBy('id').execute();
      // One push per item: spreading an import's items as arguments overflows the stack past ~120,000 of them.
      for (const item of await this.withRefs(rows)) out.push(item);
    }
    return out.sort((a, b) => a.id - b.id);
  }

  async listNewestTestResults(productId: number): Promise<ResultItem[]> {
    // Per record, the newest import (import IDs grow) with a result that ran a test of it; then that import's results
    // for the record. Results of older runs, under names no longer used, are not read (see `testVerdicts`).
    const ran = ['passed', 'failed', 'error', 'flaky'];
    const newest = this.db
      .selectFrom('evidence_refs as r')
      .innerJoin('evidence_items as i', 'i.id', 'r.item_id')
      .innerJoin('evidence_imports as m', 'm.id', 'i.import_id')
      .select((eb) => ['r.record_id', eb.fn.max('i.import_id').as('import_id')])
      .where('i.product_id', '=', productId)
      .where('m.voided_at', 'is', null)
      .where('i.kind', '=', 'test_result')
      .where('i.outcome', 'in', ran)
      .groupBy('r.record_id')
      .as('n');
    const rows = await this.db
      .selectFrom('evidence_items as i')
      .innerJoin('evidence_refs as r', 'r.item_id', 'i.id')
      .innerJoin(newest, (j) => j.onRef('n.record_id', '=', 'r.record_id').onRef('n.import_id', '=', 'i.import_id'))
      .select(['i.id', 'i.import_id', 'i.key', 'i.outcome', 'r.record_id', 'r.role'])
      .where('i.product_id', '=', productId)
      .where('i.kind', '=', 'test_result')
      .where('i.outcome', 'in', ran)
      .orderBy('i.id')
      .orderBy('r.record_id')
      .execute();
    const out: ResultItem[] = [];
    let last: { id: number; importId: number; key: string; outcome: string | null; refs: EvidenceRef[] } | undefined;
    for (const r of rows) {
      if (last === undefined || last.id !== r.id) {
        last = { id: r.id, importId: r.import_id, key: r.key, outcome: r.outcome, refs: [] };
        out.push(last);
      }
      last.refs.push({ recordId: r.record_id, role: r.role as EvidenceRole });
    }
    return out;
  }

  async scanEvidenceDigests(afterId: number, limit: number): Promise<EvidenceDigestRow[]> {
    const items = await this.selectArrays(
      this.db.selectFrom('evidence_items').select(['id', 'import_id', 'kind', 'key', 'outcome', 'data']).where('id', '>', afterId).orderBy('id').limit(limit),
    );
    const last = items[items.length - 1];
    if (last === undefined) return [];
    // The page's references in one range query on the primary key (item, record, role): the order the digest uses.
    const refs = await this.selectArrays(
      this.db
        .selectFrom('evidence_refs')
        .select(['item_id', 'record_id', 'role'])
        .where('item_id', '>', afterId)
        .where('item_id', '<=', last[0] as number)
        .orderBy('item_id')
        .orderBy('record_id')
        .orderBy('role'),
    );
    const out: EvidenceDigestRow[] = [];
    let r = 0;
    for (const [id, importId, kind, key, outcome, data] of items) {
      const own: EvidenceRef[] = [];
      while (r < refs.length && (refs[r]?.[0] as number) < (id as number)) r++;
      for (; r < refs.length && refs[r]?.[0] === id; r++) own.push({ recordId: refs[r]?.[1] as number, role: refs[r]?.[2] as EvidenceRole });
      const text = evidenceDigestText({ kind: kind as EvidenceItemKind, key: key as string, outcome: outcome as string | null, refs: own }, data as string);
      out.push({ id: id as number, importId: importId as number, text });
    }
    return out;
  }

  async pageEvidenceItems(afterId: number, limit: number): Promise<EvidenceItem[]> {
    const rows = await this.db.selectFrom('evidence_items').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return this.withRefs(rows);
  }

  /** Attaches record references to item rows (one query per 500 items). */
  private async withRefs(rows: readonly Selectable<EvidenceItemRow>[]): Promise<EvidenceItem[]> {
    const refs = new Map<number, EvidenceRef[]>();
    for (const part of chunks(rows.map((r) => r.id), 500)) {
      if (part.length === 0) continue;
      const found = await this.db.selectFrom('evidence_refs').selectAll().where('item_id', 'in', part).orderBy('item_id').orderBy('record_id').orderBy('role').execute();
      for (const f of found) {
        const list = refs.get(f.item_id) ?? [];
        list.push({ recordId: f.record_id, role: f.role as EvidenceRole });
        refs.set(f.item_id, list);
      }
    }
    return rows.map((r) => ({
      id: r.id,
      importId: r.import_id,
      productId: r.product_id,
      kind: r.kind as EvidenceItemKind,
      key: r.key,
      outcome: r.outcome,
      data: JSON.parse(r.data) as Record<string, unknown>,
      refs: refs.get(r.id) ?? [],
    }));
  }

  async listReleases(productId?: number): Promise<Release[]> {
    let q = this.db.selectFrom('releases').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    return (await q.orderBy('id').execute()).map(toRelease);
  }

  async findRelease(productId: number, version: string): Promise<Release | undefined> {
    const row = await this.db
      .selectFrom('releases')
      .selectAll()
      .where('product_id', '=', productId)
      .where('version', '=', version)
      .orderBy('baseline', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toRelease(row);
  }

  async listReleaseRecords(releaseId: number): Promise<ReleaseRecord[]> {
    const rows = await this.db.selectFrom('release_records').selectAll().where('release_id', '=', releaseId).orderBy('record_id').execute();
    return rows.map((r) => ({ releaseId: r.release_id, recordId: r.record_id, revision: r.revision, status: r.status, hash: r.hash }));
  }

  async listReleaseLinks(releaseId: number): Promise<ReleaseLink[]> {
    const rows = await this.db.selectFrom('release_links').selectAll().where('release_id', '=', releaseId).orderBy('link_id').execute();
    return rows.map((r) => ({
      releaseId: r.release_id,
      linkId: r.link_id,
      type: r.type,
      fromId: r.from_id,
      toId: r.to_id,
      fromRevision: r.from_revision,
      toRevision: r.to_revision,
      checkedAt: r.checked_at,
    }));
  }

  async listReleaseEvidence(releaseId?: number): Promise<ReleaseEvidence[]> {
    let q = this.db.selectFrom('release_evidence').selectAll();
    if (releaseId !== undefined) q = q.where('release_id', '=', releaseId);
    const rows = await q.orderBy('release_id').orderBy('import_id').orderBy('item_id').execute();
    return rows.map((r) => ({ releaseId: r.release_id, importId: r.import_id, itemId: r.item_id }));
  }

  async listRecordStates(productId: number): Promise<{ recordId: number; revision: number; status: string; hash: string }[]> {
    const rows = await this.db
      .selectFrom('records as r')
      .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'r.id').onRef('v.revision', '=', 'r.latest_revision'))
      .select(['r.id', 'r.latest_revision', 'r.status', 'v.hash'])
      .where('r.product_id', '=', productId)
      .orderBy('r.id')
      .execute();
    return rows.map((r) => ({ recordId: r.id, revision: r.latest_revision, status: r.status, hash: r.hash }));
  }

  async loadReleaseTraceRecords(releaseId: number): Promise<TraceRecordRow[]> {
    const rows = await this.selectArrays(
      this.db
        .selectFrom('release_records as b')
        .innerJoin('records as r', 'r.id', 'b.record_id')
        .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'b.record_id').onRef('v.revision', '=', 'b.revision'))
        .select(['r.id', 'r.type', 'r.number', 'b.status', 'b.revision', 'v.created_at', 'v.title', 'v.fields', 'v.created_by'])
        .select(sql<string | null>`case when r.approved_revision = b.revision then r.approved_by end`.as('approved_by'))
        .where('b.release_id', '=', releaseId),
    );
    return rows.map(toTraceRecord);
  }

  async insertEvidenceImports(imports: readonly EvidenceImport[]): Promise<void> {
    await this.insertChunked(
      'evidence_imports',
      imports.map((i) => ({
        id: i.id,
        product_id: i.productId,
        kind: i.kind,
        source: i.source,
        content_hash: i.contentHash,
        meta: canonicalJson(i.meta),
        item_count: i.itemCount,
        items_digest: i.itemsDigest,
        imported_at: i.importedAt,
        imported_by: i.importedBy,
        version: i.version,
        voided_at: i.voidedAt,
        voided_by: i.voidedBy,
        void_reason: i.voidReason,
      })),
    );
  }

  async insertEvidenceItems(items: readonly EvidenceItem[]): Promise<void> {
    if (this.fast !== undefined) {
      // The largest bulk write (a test run of 100,000 results): values straight into the statement, no row objects.
      const values: unknown[] = new Array<unknown>(items.length * EVIDENCE_ITEM_COLUMNS.length);
      let v = 0;
      for (const i of items) {
        values[v++] = i.id;
        values[v++] = i.importId;
        values[v++] = i.productId;
        values[v++] = i.kind;
        values[v++] = i.key;
        values[v++] = i.outcome;
        values[v++] = i.dataJson ?? canonicalJson(i.data);
      }
      this.fast.insertValues('evidence_items', EVIDENCE_ITEM_COLUMNS, values);
      const refs: unknown[] = [];
      for (const i of items) for (const r of i.refs) refs.push(i.id, r.recordId, r.role);
      this.fast.insertValues('evidence_refs', EVIDENCE_REF_COLUMNS, refs);
      return;
    }
    await this.insertChunked(
      'evidence_items',
      items.map((i) => ({
        id: i.id,
        import_id: i.importId,
        product_id: i.productId,
        kind: i.kind,
        key: i.key,
        outcome: i.outcome,
        data: i.dataJson ?? canonicalJson(i.data),
      })),
    );
    await this.insertChunked(
      'evidence_refs',
      items.flatMap((i) => i.refs.map((r) => ({ item_id: i.id, record_id: r.recordId, role: r.role }))),
    );
  }

  async insertReleases(releases: readonly Release[]): Promise<void> {
    await this.insertChunked(
      'releases',
      releases.map((r) => ({
        id: r.id,
        product_id: r.productId,
        version: r.version,
        baseline: r.baseline,
        status: r.status,
        baseline_hash: r.baselineHash,
        audit_seq: r.auditSeq,
        audit_hash: r.auditHash,
        created_at: r.createdAt,
        created_by: r.createdBy,
        released_at: r.releasedAt,
        released_by: r.releasedBy,
        voided_at: r.voidedAt,
        voided_by: r.voidedBy,
        void_reason: r.voidReason,
      })),
    );
  }

  async insertReleaseRecords(rows: readonly ReleaseRecord[]): Promise<void> {
    await this.insertChunked(
      'release_records',
      rows.map((r) => ({ release_id: r.releaseId, record_id: r.recordId, revision: r.revision, status: r.status, hash: r.hash })),
    );
  }

  async insertReleaseLinks(rows: readonly ReleaseLink[]): Promise<void> {
    await this.insertChunked(
      'release_links',
      rows.map((r) => ({
        release_id: r.releaseId,
        link_id: r.linkId,
        type: r.type,
        from_id: r.fromId,
        to_id: r.toId,
        from_revision: r.fromRevision,
        to_revision: r.toRevision,
        checked_at: r.checkedAt,
      })),
    );
  }

  async insertReleaseEvidence(rows: readonly ReleaseEvidence[]): Promise<void> {
    await this.insertChunked(
      'release_evidence',
      rows.map((r) => ({ release_id: r.releaseId, import_id: r.importId, item_id: r.itemId })),
    );
  }

  async markReleased(releaseId: number, at: string, by: string): Promise<void> {
    await this.db.updateTable('releases').set({ status: 'released', released_at: at, released_by: by }).where('id', '=', releaseId).execute();
  }

  async voidRelease(releaseId: number, at: string, by: string, reason: string): Promise<void> {
    await this.db.updateTable('releases').set({ status: 'void', voided_at: at, voided_by: by, void_reason: reason }).where('id', '=', releaseId).execute();
  }

  async isEmpty(): Promise<boolean> {
    const p = await this.db.selectFrom('products').select('id').limit(1).executeTakeFirst();
    const a = await this.db.selectFrom('audit_events').select('seq').limit(1).executeTakeFirst();
    return p === undefined && a === undefined;
  }

  async updateProduct(id: number, patch: Pick<Product, 'name' | 'intendedUse' | 'safetyClass'>): Promise<void> {
    await this.db
      .updateTable('products')
      .set({ name: patch.name, intended_use: patch.intendedUse, safety_class: patch.safetyClass })
      .where('id', '=', id)
      .execute();
  }

  async insertProducts(products: readonly Product[]): Promise<void> {
    await this.insertChunked(
      'products',
      products.map((p) => ({
        id: p.id,
        key: p.key,
        name: p.name,
        intended_use: p.intendedUse,
        safety_class: p.safetyClass,
        created_at: p.createdAt,
        created_by: p.createdBy,
      })),
    );
  }

  async insertRecords(records: readonly RecordHead[]): Promise<void> {
    await this.insertChunked(
      'records',
      records.map((r) => ({
        id: r.id,
        product_id: r.productId,
        type: r.type,
        number: r.number,
        status: r.status,
        latest_revision: r.latestRevision,
        approved_revision: r.approvedRevision,
        approved_by: r.approvedBy,
        created_at: r.createdAt,
        created_by: r.createdBy,
        updated_at: r.updatedAt,
        updated_by: r.updatedBy,
      })),
    );
  }

  async insertRevisions(revisions: readonly Revision[]): Promise<void> {
    await this.insertChunked(
      'revisions',
      revisions.map((v) => ({
        record_id: v.recordId,
        revision: v.revision,
        title: v.title,
        body: v.body,
        fields: canonicalJson(v.fields),
        hash: v.hash,
        created_at: v.createdAt,
        created_by: v.createdBy,
      })),
    );
  }

  async updateRecordHead(id: number, patch: RecordHeadPatch): Promise<void> {
    await this.db
      .updateTable('records')
      .set({
        ...(patch.status === undefined ? {} : { status: patch.status }),
        ...(patch.latestRevision === undefined ? {} : { latest_revision: patch.latestRevision }),
        ...(patch.approvedRevision === undefined ? {} : { approved_revision: patch.approvedRevision }),
        ...(patch.approvedBy === undefined ? {} : { approved_by: patch.approvedBy }),
        updated_at: patch.updatedAt,
        updated_by: patch.updatedBy,
      })
      .where('id', '=', id)
      .execute();
  }

  async insertLinks(links: readonly Link[]): Promise<void> {
    await this.insertChunked(
      'links',
      links.map((l) => ({
        id: l.id,
        product_id: l.productId,
        type: l.type,
        from_id: l.fromId,
        to_id: l.toId,
        from_revision: l.fromRevision,
        to_revision: l.toRevision,
        created_at: l.createdAt,
        created_by: l.createdBy,
        confirmed_at: l.confirmedAt,
        confirmed_by: l.confirmedBy,
        removed_at: l.removedAt,
        removed_by: l.removedBy,
        removal_reason: l.removalReason,
      })),
    );
  }

  async markLinkRemoved(id: number, removedAt: string, removedBy: string, reason: string | null): Promise<void> {
    await this.db
      .updateTable('links')
      .set({ removed_at: removedAt, removed_by: removedBy, removal_reason: reason })
      .where('id', '=', id)
      .execute();
  }

  async appendAuditEvents(events: readonly AuditEvent[]): Promise<void> {
    await this.insertChunked(
      'audit_events',
      events.map((e) => ({
        seq: e.seq,
        occurred_at: e.occurredAt,
        actor: e.actor,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId,
        product_key: e.productKey,
        old_value: e.oldValue,
        new_value: e.newValue,
        reason: e.reason,
        prev_hash: e.prevHash,
        hash: e.hash,
      })),
    );
  }

  private async insertChunked<T extends keyof Database>(
    table: T,
    rows: readonly Record<string, unknown>[],
  ): Promise<void> {
    const first = rows[0];
    if (first === undefined) return;
    if (this.fast !== undefined) {
      this.fast.insert(table, rows);
      return;
    }
    const perChunk = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(first).length));
    for (const part of chunks(rows, perChunk)) {
      // The row objects are built from the typed domain above; Kysely's insert typing cannot follow a generic table.
      await this.db.insertInto(table).values(part as never).execute();
    }
  }
}

/** SQL that builds an event's hash input text in the database (see `AUDIT_HASH_INPUT_SQL`). */
function auditHashInputSql(): RawBuilder<string> {
  return sql.raw<string>(AUDIT_HASH_INPUT_SQL);
}

/**
 * Inserts rows through prepared statements cached per table and column list. Only used inside `KyselyStore.write`
 * on SQLite, where Kysely's single connection is this same handle, so the rows join the open transaction.
 */
class SqliteFastPath {
  private readonly statements = new Map<string, BetterSqlite.Statement>();
  private readonly selects = new Map<string, BetterSqlite.Statement>();
  constructor(private readonly sqlite: BetterSqlite.Database) {}

  /** The handle, for reads that prepare their own statements (they join the open transaction too). */
  get handle(): BetterSqlite.Database {
    return this.sqlite;
  }

  /** Calls `fn` with each row of a compiled SELECT as an array, one at a time. */
  each(sqlText: string, parameters: readonly unknown[], fn: (row: unknown[]) => void): void {
    for (const row of this.select(sqlText).iterate(...parameters)) fn(row as unknown[]);
  }

  private select(sqlText: string): BetterSqlite.Statement {
    let stmt = this.selects.get(sqlText);
    if (stmt === undefined) {
      stmt = this.sqlite.prepare(sqlText).raw(true);
      this.selects.set(sqlText, stmt);
    }
    return stmt;
  }

  /** Rows of a compiled SELECT as arrays (better-sqlite3's raw mode: no object per row). */
  rows(sqlText: string, parameters: readonly unknown[]): unknown[][] {
    return this.select(sqlText).all(...parameters) as unknown[][];
  }

  insert(table: string, rows: readonly Record<string, unknown>[]): void {
    const first = rows[0];
    if (first === undefined) return;
    const columns = Object.keys(first);
    const values: unknown[] = new Array<unknown>(rows.length * columns.length);
    let v = 0;
    for (const row of rows) for (const c of columns) values[v++] = row[c];
    this.insertValues(table, columns, values);
  }

  /** Inserts rows given as one flat list of values, `columns.length` per row, in column order. */
  insertValues(table: string, columns: readonly string[], values: readonly unknown[]): void {
    const width = columns.length;
    const count = values.length / width;
    // Several rows per statement: a 100,000-item import makes 1/36 of the calls into SQLite, each binding more.
    const perStatement = Math.max(1, Math.floor(FAST_PARAMS / width));
    // Positional parameters: binding by name looks each one up per row.
    let row = 0;
    if (count >= perStatement && perStatement > 1) {
      const stmt = this.insertStatement(table, columns, perStatement);
      const part: unknown[] = new Array<unknown>(perStatement * width);
      for (; row + perStatement <= count; row += perStatement) {
        for (let i = 0, at = row * width; i < part.length; i++) part[i] = values[at + i];
        stmt.run(part);
      }
    }
    if (row === count) return;
    const stmt = this.insertStatement(table, columns, 1);
    const part: unknown[] = new Array<unknown>(width);
    for (; row < count; row++) {
      for (let i = 0, at = row * width; i < width; i++) part[i] = values[at + i];
      stmt.run(part);
    }
  }

  /** A cached `insert into table (columns) values (?, …), …` for `count` rows. */
  private insertStatement(table: string, columns: readonly string[], count: number): BetterSqlite.Statement {
    const key = `${table}(${columns.join(',')})*${count}`;
    let stmt = this.statements.get(key);
    if (stmt === undefined) {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      stmt = this.sqlite.prepare(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array<string>(count).fill(tuple).join(', ')}`);
      this.statements.set(key, stmt);
    }
    return stmt;
  }
}

/** Maps a database refusal (append-only trigger, constraint) to the one error type. */
function mapDbError(e: unknown): unknown {
  if (e instanceof AppError) return e;
  const message = e instanceof Error ? e.message : String(e);
  // A damaged file or page (SQLite SQLITE_CORRUPT*, SQLITE_NOTADB; PostgreSQL XX001 data_corrupted, XX002 index_corrupted).
  const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code) || code === 'XX001' || code === 'XX002') {
    return new AppError('INTEGRITY', `the database is damaged: ${message}`, { damaged: true }, { cause: e });
  }
  if (message.includes('dossier:')) {
    return new AppError('INTEGRITY', message.slice(message.indexOf('dossier:')), {}, { cause: e });
  }
  if (/unique|constraint|foreign key/i.test(message)) {
    return new AppError('INTEGRITY', `the database refused the change: ${message}`, {}, { cause: e });
  }
  return e;
}

/** How verification splits the audit chain into ranges (see `StoreReader.checkAuditChain`). */
export interface ChainCheckPlan {
  /** How a worker opens the store again; undefined when it cannot (an in-memory SQLite database). */
  readonly target?: ChainWorkerTarget;
  /** Worker threads that check ranges while the verifying thread replays the state; 0 checks the chain in it. */
  readonly workers: number;
  /** Fewest events per range: a shorter chain is split into fewer ranges, and below this it is checked in-thread. */
  readonly minEventsPerRange: number;
}

/** The whole chain as one range, in the verifying thread. */
const IN_THREAD: ChainCheckPlan = { workers: 0, minEventsPerRange: Number.POSITIVE_INFINITY };

/**
 * The Kysely implementation of the storage port, for SQLite and PostgreSQL.
 * Writes are serialized: each write transaction first takes a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a row
 * lock on `dossier_meta.write_lock`), so the audit chain grows one transaction at a time and never forks.
 */
export class KyselyStore implements Store {
  /**
   * @param sqlite - the better-sqlite3 handle under `db` (SQLite only): bulk inserts use cached prepared statements
   *   on it, inside the same transaction, which is several times faster than building multi-row INSERTs
   */
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    sqlite?: BetterSqlite.Database,
    private readonly chain: ChainCheckPlan = IN_THREAD,
  ) {
    this.bulk = sqlite === undefined ? undefined : new SqliteFastPath(sqlite);
  }

  private readonly bulk: SqliteFastPath | undefined;

  async read<T>(fn: (r: StoreReader) => Promise<T>): Promise<T> {
    try {
      if (this.dialect === 'sqlite') {
        return await this.db.connection().execute(async (conn) => {
          await sql`begin`.execute(conn);
          let result: T;
          try {
            result = await fn(new KyselySession(conn, this.dialect, this.bulk, this.chain));
          } catch (e) {
            await sql`rollback`.execute(conn).catch(() => undefined);
            throw e;
          }
          // A read has nothing to keep. SQLite may have ended the transaction already (a statement that met a
          // damaged page rolls it back), and the commit then fails: that must not hide what the read returned.
          await sql`commit`.execute(conn).catch(() => undefined);
          return result;
        });
      }
      return await this.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((trx) => fn(new KyselySession(trx, this.dialect, undefined, this.chain)));
    } catch (e) {
      throw mapDbError(e);
    }
  }

  async write<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T> {
    try {
      if (this.dialect === 'sqlite') {
        return await this.db.connection().execute(async (conn) => {
          await sql`begin immediate`.execute(conn);
          let result: T;
          try {
            result = await fn(new KyselySession(conn, this.dialect, this.bulk));
          } catch (e) {
            // SQLite has already rolled back after some errors (a full disk, I/O): keep the first error, not this one.
            await sql`rollback`.execute(conn).catch(() => undefined);
            throw e;
          }
          await sql`commit`.execute(conn);
          return result;
        });
      }
      return await this.db.transaction().execute(async (trx) => {
        await sql`select value from dossier_meta where key = 'write_lock' for update`.execute(trx);
        return fn(new KyselySession(trx, this.dialect));
      });
    } catch (e) {
      throw mapDbError(e);
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

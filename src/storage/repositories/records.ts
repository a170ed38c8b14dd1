import { sql, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import { RecordStatusSchema } from '../../core/catalog/lifecycle.js';
import { recordKey, type RecordHead, type RecordSummary, type Revision } from '../../core/entities.js';
import { canonicalJson } from '../../core/hashing.js';
import type { RecordContentRow, RecordFilter, RecordHeadPatch, RecordsReader, RecordsWriter, RevisionWithKey } from '../../core/ports.js';
import type { RevisionContent } from '../../core/trace/revision-changes.js';
import { chunks, IN_CHUNK } from '../dialect.js';
import { entityColumns, type Mutable } from '../entity-columns.js';
import type { Database, RecordRow, RevisionRow } from '../schema.js';
import { Repository } from './repository.js';

const FieldsJsonSchema = z.record(z.string(), z.unknown());

/** A revision's fields from their stored canonical JSON text. */
export function fieldsFromJson(text: unknown): Record<string, unknown> {
  return FieldsJsonSchema.parse(JSON.parse(text as string));
}

/** A record head and its row. */
export const RECORD_HEAD_COLUMNS = entityColumns<RecordHead, RecordRow>({
  id: 'id',
  productId: 'product_id',
  type: 'type',
  number: 'number',
  status: { column: 'status', read: (v) => RecordStatusSchema.parse(v) },
  latestRevision: 'latest_revision',
  approvedRevision: 'approved_revision',
  approvedBy: 'approved_by',
  createdAt: 'created_at',
  createdBy: 'created_by',
  updatedAt: 'updated_at',
  updatedBy: 'updated_by',
});

/** A revision and its row (fields as canonical JSON text). */
export const REVISION_COLUMNS = entityColumns<Revision, RevisionRow>({
  recordId: 'record_id',
  revision: 'revision',
  title: 'title',
  body: 'body',
  fields: { column: 'fields', read: fieldsFromJson, write: (f) => canonicalJson(f) },
  hash: 'hash',
  createdAt: 'created_at',
  createdBy: 'created_by',
});

/** Up to this many record types, `maxRecordNumbers` looks each one up by index; more, and one grouped scan is cheaper. */
const FEW_TYPES = 8;

/** `text` for a LIKE pattern with `\\` as its escape character: `%`, `_` and `\\` match only themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** Record heads and their revisions. */
export class RecordsRepository extends Repository implements RecordsReader, RecordsWriter {
  async findRecord(productId: number, type: string, number: number): Promise<RecordHead | undefined> {
    const row = await this.db
      .selectFrom('records')
      .selectAll()
      .where('product_id', '=', productId)
      .where('type', '=', type)
      .where('number', '=', number)
      .executeTakeFirst();
    return row === undefined ? undefined : RECORD_HEAD_COLUMNS.fromRow(row);
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
        for (const r of rows) out.push(RECORD_HEAD_COLUMNS.fromRow(r));
      }
    }
    return out;
  }

  async maxRecordNumbers(productId: number, types?: readonly string[]): Promise<Map<string, number>> {
    const wanted = types === undefined ? undefined : new Set(types);
    if (wanted !== undefined && wanted.size <= FEW_TYPES) {
      // One indexed lookup per type (the unique key is product_id, type, number): a write of one record no longer
      // groups the product's whole record table.
      const out = new Map<string, number>();
      for (const type of wanted) {
        // ORDER BY … LIMIT 1, not max(): PostgreSQL without fresh statistics (a table just filled) plans max() as
        // an aggregate over every row of the type (1.3 ms at 6,666 rows, measured) instead of one index probe.
        const row = await this.db
          .selectFrom('records')
          .select('number')
          .where('product_id', '=', productId)
          .where('type', '=', type)
          .orderBy('number', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (row !== undefined) out.set(type, row.number);
      }
      return out;
    }
    const rows = await this.db
      .selectFrom('records')
      .select(['type', (eb) => eb.fn.max('number').as('max')])
      .where('product_id', '=', productId)
      .groupBy('type')
      .execute();
    return new Map(rows.map((r) => [r.type, Number(r.max)]));
  }

  async listRecords(filter: RecordFilter): Promise<RecordSummary[]> {
    const offset = filter.offset ?? 0;
    const paged = filter.limit !== undefined || offset > 0;
    // SQLite takes OFFSET only after a LIMIT; the largest safe integer reads as "no limit" on both databases.
    const page = <Q extends { limit(n: number): Q; offset(n: number): Q }>(q: Q): Q => {
      if (!paged) return q;
      const limited = q.limit(filter.limit ?? Number.MAX_SAFE_INTEGER);
      return offset === 0 ? limited : limited.offset(offset);
    };
    let rows;
    if (paged && filter.titleContains === undefined) {
      // Page the heads alone (the index on product, type, number gives the order), then join the latest revision of
      // just that page: skipped records cost no revision lookup.
      const heads = page(this.matchingHeads(filter).selectAll().orderBy('type').orderBy('number')).as('r');
      rows = await this.db
        .selectFrom(heads)
        .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'r.id').onRef('v.revision', '=', 'r.latest_revision'))
        .selectAll('r')
        .select('v.title')
        .orderBy('r.type')
        .orderBy('r.number')
        .execute();
    } else {
      rows = await page(this.withLatestTitle(filter).selectAll('r').select('v.title').orderBy('r.type').orderBy('r.number')).execute();
    }
    return rows.map((r) => ({ ...RECORD_HEAD_COLUMNS.fromRow(r), key: recordKey(r.type, r.number), title: r.title }));
  }

  async countRecordsByType(filter: RecordFilter): Promise<Map<string, number>> {
    const count = sql<number | string | bigint>`count(*)`.as('n');
    const rows =
      filter.titleContains === undefined
        ? await this.matchingHeads(filter).select(['type', count]).groupBy('type').execute()
        : await this.withLatestTitle(filter).select(['r.type', count]).groupBy('r.type').execute();
    return new Map(rows.map((r) => [r.type, Number(r.n)]));
  }

  /** Record heads of the filter's product, type and status. */
  private matchingHeads(filter: RecordFilter): SelectQueryBuilder<Database, 'records', Record<never, never>> {
    let q = this.db.selectFrom('records').where('product_id', '=', filter.productId);
    if (filter.type !== undefined) q = q.where('type', '=', filter.type);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    return q;
  }

  /** Record heads (`r`) joined to their latest revision (`v`), matching every part of the filter, title included. */
  private withLatestTitle(filter: RecordFilter): SelectQueryBuilder<Database & { r: RecordRow; v: RevisionRow }, 'r' | 'v', Record<never, never>> {
    let q = this.db
      .selectFrom('records as r')
      .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'r.id').onRef('v.revision', '=', 'r.latest_revision'))
      .where('r.product_id', '=', filter.productId);
    if (filter.type !== undefined) q = q.where('r.type', '=', filter.type);
    if (filter.status !== undefined) q = q.where('r.status', '=', filter.status);
    if (filter.titleContains !== undefined) {
      const pattern = `%${escapeLike(filter.titleContains)}%`;
      q = q.where(sql<boolean>`${sql.ref('v.title')} ${sql.raw(this.dialect.likeIgnoringCase)} ${pattern} escape '\\'`);
    }
    return q;
  }

  async findRevision(recordId: number, revision: number): Promise<Revision | undefined> {
    const row = await this.db
      .selectFrom('revisions')
      .selectAll()
      .where('record_id', '=', recordId)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return row === undefined ? undefined : REVISION_COLUMNS.fromRow(row);
  }

  async listRevisions(recordId: number): Promise<Revision[]> {
    const rows = await this.db.selectFrom('revisions').selectAll().where('record_id', '=', recordId).orderBy('revision').execute();
    return rows.map((r) => REVISION_COLUMNS.fromRow(r));
  }

  async pageRecords(afterId: number, limit: number): Promise<RecordHead[]> {
    // Arrays, not row objects: verification and export page through every record.
    const query = this.db.selectFrom('records').select(RECORD_HEAD_COLUMNS.columns).where('id', '>', afterId).orderBy('id').limit(limit);
    return (await this.dialect.selectArrays(this.db, query)).map((a) => RECORD_HEAD_COLUMNS.fromArray(a));
  }

  async pageRevisions(after: { recordId: number; revision: number }, limit: number): Promise<RevisionWithKey[]> {
    const width = REVISION_COLUMNS.columns.length;
    const fieldsAt = REVISION_COLUMNS.columns.indexOf('fields');
    const query = this.db
      .selectFrom('revisions as v')
      .innerJoin('records as r', 'r.id', 'v.record_id')
      .innerJoin('products as p', 'p.id', 'r.product_id')
      .select(REVISION_COLUMNS.columns.map((c) => `v.${c}` as const))
      .select(['p.key as product_key', 'r.type', 'r.number'])
      // Row-value comparison, so both databases walk the primary key instead of re-scanning for an OR.
      .where((eb) => eb(eb.refTuple('v.record_id', 'v.revision'), '>', eb.tuple(after.recordId, after.revision)))
      .orderBy('v.record_id')
      .orderBy('v.revision')
      .limit(limit);
    return (await this.dialect.selectArrays(this.db, query)).map((a) => {
      // The revision's own columns first, then its keys: one object per row.
      const v = REVISION_COLUMNS.fromArray(a) as Mutable<RevisionWithKey>;
      v.productKey = a[width] as string;
      v.type = a[width + 1] as string;
      v.number = a[width + 2] as number;
      v.fieldsJson = a[fieldsAt] as string;
      return v;
    });
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
      fields: fieldsFromJson(v.fields),
      createdAt: v.created_at,
    }));
  }

  async listRecordContents(productId: number, releaseId?: number): Promise<RecordContentRow[]> {
    const cols = ['r.id', 'r.type', 'r.number', 'v.revision', 'v.title', 'v.body', 'v.fields', 'v.hash', 'v.created_at', 'v.created_by', 'r.created_at as record_created_at', 'r.created_by as record_created_by'] as const;
    const rows =
      releaseId === undefined
        ? await this.db
            .selectFrom('records as r')
            .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'r.id').onRef('v.revision', '=', 'r.latest_revision'))
            .select(cols)
            .select('r.status')
            .where('r.product_id', '=', productId)
            .orderBy('r.type')
            .orderBy('r.number')
            .execute()
        : await this.db
            .selectFrom('release_records as b')
            .innerJoin('records as r', 'r.id', 'b.record_id')
            .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'b.record_id').onRef('v.revision', '=', 'b.revision'))
            .select(cols)
            .select('b.status')
            .where('b.release_id', '=', releaseId)
            .where('r.product_id', '=', productId)
            .orderBy('r.type')
            .orderBy('r.number')
            .execute();
    return rows.map((r) => ({
      id: r.id,
      type: r.type,
      number: r.number,
      status: RecordStatusSchema.parse(r.status),
      revision: r.revision,
      title: r.title,
      body: r.body,
      fields: (typeof r.fields === 'string' ? JSON.parse(r.fields) : r.fields) as Record<string, unknown>,
      hash: r.hash,
      revisedAt: r.created_at,
      revisedBy: r.created_by,
      createdAt: r.record_created_at,
      createdBy: r.record_created_by,
    }));
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

  async insertRecords(records: readonly RecordHead[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'records', records.map((r) => RECORD_HEAD_COLUMNS.toRow(r)));
  }

  async insertRevisions(revisions: readonly Revision[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'revisions', revisions.map((v) => REVISION_COLUMNS.toRow(v)));
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
}

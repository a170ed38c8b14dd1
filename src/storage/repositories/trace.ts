import { sql } from 'kysely';
import { RecordStatusSchema, type RecordStatus } from '../../core/catalog/lifecycle.js';
import { AppError } from '../../core/errors.js';
import type { TraceReader, TraceRecordRow } from '../../core/ports.js';
import { TraceLinkColumnsBuilder, type TraceLinkColumns } from '../../core/trace/link-columns.js';
import { TraceRecordColumnsBuilder, type TraceRecordColumns } from '../../core/trace/record-columns.js';
import { Repository } from './repository.js';

const STATUSES = new Set<string>(RecordStatusSchema.options);

/** A status column value, checked without a schema parse per row (loads read a million of them). */
function toStatus(v: unknown): RecordStatus {
  if (typeof v === 'string' && STATUSES.has(v)) return v as RecordStatus;
  throw new AppError('INTEGRITY', `a record has an unknown status '${String(v)}' in the database`);
}

/**
 * A trace-record row read as an array: id, type, number, status, revision, revised at, title, fields, revised by,
 * approved by (the select lists below, in this order).
 */
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
function addTraceRecord(
  out: TraceRecordColumnsBuilder,
  [id, type, number, status, revision, createdAt, title, fields, createdBy, approvedBy]: unknown[],
): void {
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

/**
 * What the trace graph is built from, read as arrays (never row objects) and, for the column loads, row by row
 * through the dialect's `eachRow`: these are the largest reads of the store.
 */
export class TraceRepository extends Repository implements TraceReader {
  async loadTraceRecords(productId: number, type?: string): Promise<TraceRecordRow[]> {
    let query = this.latestRevisionsQuery(productId);
    if (type !== undefined) query = query.where('r.type', '=', type);
    const rows = await this.dialect.selectArrays(this.db, query);
    return rows.map(toTraceRecord);
  }

  async loadTraceRecordColumns(productId: number, types?: readonly string[]): Promise<TraceRecordColumns> {
    let query = this.latestRevisionsQuery(productId);
    if (types !== undefined) query = query.where('r.type', 'in', types.length === 0 ? [''] : [...types]);
    const out = new TraceRecordColumnsBuilder();
    await this.dialect.eachRow(this.db, query, (row) => addTraceRecord(out, row));
    return out.build();
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
    await this.dialect.eachRow(this.db, query, add);
    return out.build();
  }

  async loadReleaseTraceRecords(releaseId: number): Promise<TraceRecordRow[]> {
    const rows = await this.dialect.selectArrays(this.db, this.releaseRevisionsQuery(releaseId));
    return rows.map(toTraceRecord);
  }

  async loadReleaseTraceRecordColumns(releaseId: number): Promise<TraceRecordColumns> {
    const out = new TraceRecordColumnsBuilder();
    await this.dialect.eachRow(this.db, this.releaseRevisionsQuery(releaseId), (row) => addTraceRecord(out, row));
    return out.build();
  }

  /** A product's records with their latest revision, in `toTraceRecord` order. */
  // eslint-disable-next-line @typescript-eslint/explicit-function-return-type -- Kysely infers the builder type
  private latestRevisionsQuery(productId: number) {
    return (
      this.db
        .selectFrom('records as r')
        .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'r.id').onRef('v.revision', '=', 'r.latest_revision'))
        .select(['r.id', 'r.type', 'r.number', 'r.status', 'r.latest_revision', 'v.created_at', 'v.title', 'v.fields', 'v.created_by'])
        // Who approved this revision: the head's approver, when the head's approved revision is the one read.
        .select(sql<string | null>`case when r.approved_revision = r.latest_revision then r.approved_by end`.as('approved_by'))
        .where('r.product_id', '=', productId)
    );
  }

  /** A release's records at their frozen revisions and statuses, in `toTraceRecord` order. */
  // eslint-disable-next-line @typescript-eslint/explicit-function-return-type -- Kysely infers the builder type
  private releaseRevisionsQuery(releaseId: number) {
    return this.db
      .selectFrom('release_records as b')
      .innerJoin('records as r', 'r.id', 'b.record_id')
      .innerJoin('revisions as v', (j) => j.onRef('v.record_id', '=', 'b.record_id').onRef('v.revision', '=', 'b.revision'))
      .select(['r.id', 'r.type', 'r.number', 'b.status', 'b.revision', 'v.created_at', 'v.title', 'v.fields', 'v.created_by'])
      .select(sql<string | null>`case when r.approved_revision = b.revision then r.approved_by end`.as('approved_by'))
      .where('b.release_id', '=', releaseId);
  }
}

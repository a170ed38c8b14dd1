import { z } from 'zod';
import { parseRecordRef, qualifiedKey } from '../../core/entities.js';
import { invalidInput, notFound } from '../../core/errors.js';
import type { AuditFilter, StoreReader } from '../../core/ports.js';
import { linkEntityId } from '../../core/record-writes.js';

/** A time bound: an ISO 8601 date (midnight UTC) or date-time with `Z` or an offset; stored as UTC. */
const TimeBoundSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'an ISO 8601 time, e.g. 2026-12-01 or 2026-12-01T09:30:00Z' })
  .transform((t) => new Date(t).toISOString());

/** Event kinds: one (`RECORD_CREATED`), several, or a comma-separated list; case does not matter. */
const ActionsSchema = z
  .union([z.string(), z.array(z.string()).max(100)])
  .transform((a) => (Array.isArray(a) ? a : [a]).flatMap((s) => s.split(',')).map((s) => s.trim().toUpperCase()).filter((s) => s !== ''))
  .pipe(z.array(z.string().regex(/^[A-Z][A-Z_]{0,63}$/, 'an event kind such as RECORD_CREATED')).min(1, 'at least one event kind'));

/**
 * The filters the audit trail can be read and exported by (`audit.log`, `audit.export`). Every filter given must
 * hold. Times: `from` inclusive, `to` exclusive, both UTC.
 */
export const AuditQueryShape = {
  /** One product's events. */
  productKey: z.string().min(1).optional(),
  /** One entity exactly, e.g. `RPM/SRS-12` or `RPM/link/4`. */
  entityId: z.string().min(1).optional(),
  /**
   * One record (`RPM/SRS-12`, or `SRS-12` with `productKey`) with the events of every trace link that has it at
   * either end (created, confirmed, removed): what happened to the record and to its place in the trace.
   */
  record: z.string().min(1).max(100).optional(),
  /** Events by this username. */
  actor: z.string().min(1).max(200).optional(),
  /** Events of these kinds (any of them). */
  action: ActionsSchema.optional(),
  /** Events at or after this time. */
  from: TimeBoundSchema.optional(),
  /** Events before this time. */
  to: TimeBoundSchema.optional(),
};

/** The parsed filters. */
export interface AuditQuery {
  readonly productKey?: string | undefined;
  readonly entityId?: string | undefined;
  readonly record?: string | undefined;
  readonly actor?: string | undefined;
  readonly action?: readonly string[] | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/**
 * The product a query reads: its `productKey` (upper-cased), else the product its record names. Reading one
 * product's events needs `audit.read` on it; reading the whole store's, `audit.verify`.
 */
export function auditScope(q: AuditQuery): string | undefined {
  if (q.productKey !== undefined) return q.productKey.toUpperCase();
  const m = /^\s*([A-Z][A-Z0-9]{1,15})\//.exec(q.record ?? '');
  return m?.[1];
}

/**
 * The store filter for a query, in the reader's snapshot: the record becomes its own entity ID and those of its
 * links (removed ones too).
 * @throws AppError INVALID_INPUT when `from` is not before `to`, the record is not a record ID, names no product,
 *   or names another product than `productKey`
 * @throws AppError NOT_FOUND when the product or record does not exist
 */
export async function auditFilterOf(r: StoreReader, q: AuditQuery): Promise<Omit<AuditFilter, 'limit' | 'newestFirst'>> {
  if (q.from !== undefined && q.to !== undefined && q.from >= q.to) {
    throw invalidInput(`from (${q.from}) must be before to (${q.to})`, { field: 'to' });
  }
  const productKey = auditScope(q);
  const filter = {
    ...(productKey === undefined ? {} : { productKey }),
    ...(q.entityId === undefined ? {} : { entityId: q.entityId }),
    ...(q.actor === undefined ? {} : { actor: q.actor }),
    ...(q.action === undefined ? {} : { actions: q.action }),
    ...(q.from === undefined ? {} : { from: q.from }),
    ...(q.to === undefined ? {} : { to: q.to }),
  };
  if (q.record === undefined) return filter;
  const ref = parseRecordRef(q.record);
  if (ref.productKey !== undefined && productKey !== undefined && ref.productKey !== productKey) {
    throw invalidInput(`record ${q.record} is not in product ${productKey}`, { field: 'record' });
  }
  const key = ref.productKey ?? productKey;
  if (key === undefined) throw invalidInput(`record ${q.record} names no product: write it like RPM/SRS-12, or give productKey`, { field: 'record' });
  const id = qualifiedKey(key, ref.type, ref.number);
  const product = await r.findProduct(key);
  const head = product === undefined ? undefined : await r.findRecord(product.id, ref.type, ref.number);
  if (product === undefined || head === undefined) throw notFound(`record ${id} does not exist`, { item: id });
  const links = await r.listLinks({ productId: product.id, recordId: head.id, includeRemoved: true });
  return { ...filter, entityIds: [id, ...links.map((l) => linkEntityId(key, l.id))] };
}

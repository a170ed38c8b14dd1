import { z } from 'zod';
import type { AuditEvent } from '../../core/audit.js';
import type { Deps } from '../../core/ports.js';
import { parseInput } from '../../core/validation.js';

/** What part of the audit trail to show. */
export const GetAuditLogInputSchema = z.strictObject({
  productKey: z.string().min(1).optional(),
  /** One entity, e.g. `RPM/SRS-12`. */
  entityId: z.string().min(1).optional(),
  /** Only events after this sequence number. */
  afterSeq: z.number().int().nonnegative().optional(),
  /** At most this many events, or `all`. */
  limit: z.union([z.number().int().positive(), z.literal('all')]).default(100),
  /** Newest first (and then the newest `limit` events); oldest first by default. */
  newestFirst: z.boolean().default(false),
});
export type GetAuditLogInput = z.input<typeof GetAuditLogInputSchema>;

/** A page of the audit trail and how much of it the page shows. */
export interface AuditLog {
  readonly events: readonly AuditEvent[];
  /** Events matching the filter, shown or not. */
  readonly total: number;
  /** True when the page shows fewer events than match. */
  readonly truncated: boolean;
  readonly newestFirst: boolean;
}

/**
 * Reads the audit trail for people: a page of events (oldest or newest first) with the number of events that
 * match, counted in the same snapshot, so a reader always knows when they see only part of it.
 * @throws AppError INVALID_INPUT naming the field
 */
export async function getAuditLog(deps: Pick<Deps, 'store'>, input: GetAuditLogInput): Promise<AuditLog> {
  const i = parseInput(GetAuditLogInputSchema, input, 'audit log query');
  const filter = {
    ...(i.afterSeq === undefined ? {} : { afterSeq: i.afterSeq }),
    ...(i.productKey === undefined ? {} : { productKey: i.productKey }),
    ...(i.entityId === undefined ? {} : { entityId: i.entityId }),
  };
  return deps.store.read(async (r) => {
    const total = await r.countAudit(filter);
    const limit = i.limit === 'all' ? Math.max(total, 1) : i.limit;
    const events = await r.listAudit({ ...filter, limit, newestFirst: i.newestFirst });
    return { events, total, truncated: events.length < total, newestFirst: i.newestFirst };
  });
}

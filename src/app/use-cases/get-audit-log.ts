import { z } from 'zod';
import { AuditEventSchema, type AuditEvent } from '../../core/audit.js';
import type { Deps } from '../../core/ports.js';
import { parseInput } from '../../core/validation.js';
import { auditFilterOf, auditScope, AuditQueryShape } from '../services/audit-query.js';
import { defineUseCase } from '../use-case.js';

/** What part of the audit trail to show. */
export const GetAuditLogInputSchema = z.strictObject({
  ...AuditQueryShape,
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
 * match, counted in the same snapshot, so a reader always knows when they see only part of it. Filters: see
 * {@link AuditQueryShape}.
 * @throws AppError INVALID_INPUT naming the field
 * @throws AppError NOT_FOUND when the record asked for does not exist
 */
export async function getAuditLog(deps: Pick<Deps, 'store'>, input: GetAuditLogInput): Promise<AuditLog> {
  const i = parseInput(GetAuditLogInputSchema, input, 'audit log query');
  return deps.store.read(async (r) => {
    const filter = { ...(await auditFilterOf(r, i)), ...(i.afterSeq === undefined ? {} : { afterSeq: i.afterSeq }) };
    const total = await r.countAudit(filter);
    const limit = i.limit === 'all' ? Math.max(total, 1) : i.limit;
    const events = await r.listAudit({ ...filter, limit, newestFirst: i.newestFirst });
    return { events, total, truncated: events.length < total, newestFirst: i.newestFirst };
  });
}

/** A page of the audit trail, as the API serves it. */
export const AuditLogSchema = z.object({
  events: z.array(AuditEventSchema),
  total: z.number().int(),
  truncated: z.boolean(),
  newestFirst: z.boolean(),
});

export const getAuditLogUseCase = defineUseCase({
  name: 'audit.log',
  summary: 'Read the audit trail, a page at a time.',
  kind: 'read',
  what: 'audit log query',
  input: GetAuditLogInputSchema,
  output: AuditLogSchema,
  // One product's trail is that product's to read; the whole store's trail (every product, and events that name
  // none, such as refusals) is for those who may verify the store.
  // A record's product counts as the product asked for (its events are that product's).
  permission: (input) => (auditScope(input) === undefined ? 'audit.verify' : 'audit.read'),
  product: auditScope,
  http: { method: 'GET', path: '/api/v1/audit/events' },
  run: async ({ deps }, input) => {
    // The product the permission was checked on is the product whose events are read.
    const scope = auditScope(input);
    const log = await getAuditLog(deps, { ...input, ...(scope === undefined ? {} : { productKey: scope }) });
    return { ...log, events: [...log.events] };
  },
});

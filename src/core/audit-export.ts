import { z } from 'zod';
import { AuditEventSchema } from './audit.js';

/**
 * An export of the audit trail, as the API, the CLI and the CSV renderer see it: the matching events and the
 * verification of the whole trail they were read under.
 */

const ExportProblemSchema = z.object({
  kind: z.string(),
  seq: z.number().int().optional(),
  /** Left out of one product's export: it may name another product's entities. */
  item: z.string().optional(),
  message: z.string().optional(),
});

/** The verification of the whole trail that an export carries. */
export const AuditExportVerificationSchema = z.object({
  /** True when the hash chain, every revision, the current state, the release baselines and the database hold. */
  ok: z.boolean(),
  /** The chain's last event when it was verified: the export holds no event after it. Null for an empty trail. */
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  eventsChecked: z.number().int(),
  revisionsChecked: z.number().int(),
  evidenceChecked: z.number().int(),
  stateRowsChecked: z.number().int(),
  baselinesChecked: z.number().int(),
  problemCount: z.number().int(),
  /** The first problems (at most 20); one product's export gives only their kind and event. */
  problems: z.array(ExportProblemSchema),
});
export type AuditExportVerification = z.infer<typeof AuditExportVerificationSchema>;

/** An export of the audit trail: the events matching the filters and the verification of the whole trail. */
export const AuditExportSchema = z.object({
  /** When the export was made (UTC). */
  exportedAt: z.string(),
  /** The filters as applied (times in UTC, event kinds upper-cased); absent ones are left out. */
  filter: z.object({
    productKey: z.string().optional(),
    entityId: z.string().optional(),
    record: z.string().optional(),
    actor: z.string().optional(),
    action: z.array(z.string()).optional(),
    from: z.string().optional(),
    to: z.string().optional(),
  }),
  verification: AuditExportVerificationSchema,
  /**
   * The user accounts that acted in these events, with their printed names (21 CFR 11.10(e): who, by ID and
   * name). An actor without an account (the operator of a local store, `anonymous`) is not listed.
   */
  actors: z.array(z.object({ username: z.string(), printedName: z.string() })),
  /** How many events matched (all of them are in `events`). */
  total: z.number().int(),
  events: z.array(AuditEventSchema),
});
export type AuditExport = z.infer<typeof AuditExportSchema>;

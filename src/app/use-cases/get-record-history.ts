import { z } from 'zod';
import { AuditEventSchema, type AuditEvent } from '../../core/audit.js';
import {
  ProductKeySchema,
  qualifiedKey,
  recordKey,
  RecordHeadSchema,
  RevisionSchema,
  type RecordHead,
  type Revision,
} from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { defineUseCase } from '../use-case.js';

/** Every revision of a record and every audit event about it, oldest first. */
export interface RecordHistory {
  readonly key: string;
  readonly head: RecordHead;
  readonly revisions: readonly Revision[];
  readonly events: readonly AuditEvent[];
}

/**
 * A record's full history: immutable revisions and the audit events (status changes included).
 * @throws AppError NOT_FOUND for an unknown product or record
 */
export async function getRecordHistory(
  deps: Pick<Deps, 'store'>,
  input: { readonly productKey: string; readonly record: string },
): Promise<RecordHistory> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const head = await getRecord(r, product, input.record);
    const revisions = await r.listRevisions(head.id);
    const events = await r.listAudit({
      entityId: qualifiedKey(product.key, head.type, head.number),
      limit: 100_000,
    });
    return { key: recordKey(head.type, head.number), head, revisions, events };
  });
}

/** A record's history as the API serves it. */
export const RecordHistorySchema = z.object({
  key: z.string(),
  head: RecordHeadSchema,
  revisions: z.array(RevisionSchema),
  events: z.array(AuditEventSchema),
});

export const getRecordHistoryUseCase = defineUseCase({
  name: 'record.history',
  summary: 'Show every revision and audit event of a record.',
  kind: 'read',
  what: 'record history query',
  input: z.strictObject({ productKey: ProductKeySchema, record: z.string().min(1) }),
  output: RecordHistorySchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/records/:record/history' },
  run: async ({ deps }, input) => {
    const h = await getRecordHistory(deps, input);
    return { ...h, revisions: [...h.revisions], events: [...h.events] };
  },
});

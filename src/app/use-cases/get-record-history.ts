import type { AuditEvent } from '../../core/audit.js';
import { qualifiedKey, recordKey, type RecordHead, type Revision } from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';

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

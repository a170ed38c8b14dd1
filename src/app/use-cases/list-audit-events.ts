import type { AuditEvent } from '../../core/audit.js';
import type { Deps } from '../../core/ports.js';

/**
 * Reads the audit trail, oldest first, optionally for one product or one entity (`RPM/SRS-12`).
 */
export async function listAuditEvents(
  deps: Pick<Deps, 'store'>,
  input: { readonly productKey?: string; readonly entityId?: string; readonly afterSeq?: number; readonly limit?: number },
): Promise<AuditEvent[]> {
  return deps.store.read((r) =>
    r.listAudit({
      limit: input.limit ?? 1000,
      ...(input.afterSeq === undefined ? {} : { afterSeq: input.afterSeq }),
      ...(input.productKey === undefined ? {} : { productKey: input.productKey }),
      ...(input.entityId === undefined ? {} : { entityId: input.entityId }),
    }),
  );
}

import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { ProductKeySchema } from '../../core/entities.js';
import { invalidState } from '../../core/errors.js';
import { EvidenceImportSchema, type EvidenceImport } from '../../core/evidence/model.js';
import { defineUseCase } from '../use-case.js';
import { evidenceEntityId, getTestRun, refuseIfReleased } from '../../core/evidence/test-run-labels.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput, storableText } from '../../core/validation.js';

export const VoidTestRunInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** The test run, by import ID. */
  run: z.number().int().positive(),
  /** Why the run does not count (kept with the run and in the audit trail). */
  reason: storableText().trim().min(1, 'say why the run is void').max(2000),
});
export type VoidTestRunInput = z.input<typeof VoidTestRunInputSchema>;

/**
 * Marks a mistaken test run void (the wrong build, a broken environment, another product's files): it is kept
 * with who, when and why, never deleted, and counts for no verdict and no release from then on. One
 * EVIDENCE_VOIDED event carries the mark. Final: a void run is not restored (import a correct run instead).
 * @throws AppError NOT_FOUND for the product or run; INVALID_INPUT for a missing reason or an import that is not a
 *   test run; INVALID_STATE for a run void already; CONFLICT for a run of a released baseline
 */
export async function voidTestRun(deps: Deps, input: VoidTestRunInput): Promise<EvidenceImport> {
  const i = parseInput(VoidTestRunInputSchema, input, 'void');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const run = await getTestRun(w, product, i.run);
    if (run.voidedAt !== null) throw invalidState(`test run ${run.id} was voided on ${run.voidedAt} by ${run.voidedBy ?? '?'} already`, { item: String(run.id) });
    await refuseIfReleased(w, product, run, 'voided');
    const at = deps.clock.now();
    await w.markEvidenceImportVoid(run.id, at, deps.actor.id, i.reason);
    const voided = { voidedAt: at, voidedBy: deps.actor.id, voidReason: i.reason };
    await appendAudit(w, deps, at, [
      {
        action: 'EVIDENCE_VOIDED',
        entityType: 'evidence',
        entityId: evidenceEntityId(product, run.id),
        productKey: product.key,
        oldValue: { voidedAt: null, voidedBy: null, voidReason: null },
        newValue: voided,
        reason: i.reason,
      },
    ]);
    return { ...run, ...voided };
  });
}

export const voidTestRunUseCase = defineUseCase({
  name: 'evidence.void',
  summary: 'Mark a mistaken test run void: kept, but counted for no verdict and no release.',
  kind: 'write',
  what: 'void',
  input: VoidTestRunInputSchema,
  output: EvidenceImportSchema,
  permission: 'evidence.correct',
  http: { method: 'POST', path: '/api/v1/products/:productKey/evidence/test-runs/:run/void' },
  run: ({ deps }, input) => voidTestRun(deps, input),
});

import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { EvidenceImportSchema, type EvidenceImport } from '../../core/evidence/model.js';
import { defineUseCase } from '../use-case.js';
import { getTestRun, relabelRun } from '../../core/evidence/test-run-labels.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput, storableText } from '../../core/validation.js';
import { ReleaseVersionSchema } from './create-release.js';

export const RelabelTestRunInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** The test run, by import ID. */
  run: z.number().int().positive(),
  /** The product version it tested. */
  version: ReleaseVersionSchema,
  /** Why (kept in the audit trail): a run imported without `--version`, or with the wrong one. */
  reason: storableText().trim().min(1, 'say why the run is relabelled').max(2000),
});
export type RelabelTestRunInput = z.input<typeof RelabelTestRunInputSchema>;

/**
 * Attaches a test run to a product version, or moves it to another one (a run imported without `--version`, or
 * with the wrong one): one EVIDENCE_RELABELLED event with the old and new version and the reason. The run's items
 * and its import event are untouched; a release takes the run when frozen for the new version.
 * @throws AppError NOT_FOUND for the product or run; INVALID_INPUT for a bad version, a missing reason, an import
 *   that is not a test run or a run with this version already; INVALID_STATE for a void run; CONFLICT for a run
 *   of a released baseline
 */
export async function relabelTestRun(deps: Deps, input: RelabelTestRunInput): Promise<EvidenceImport> {
  const i = parseInput(RelabelTestRunInputSchema, input, 'relabel');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    return relabelRun(w, deps, product, await getTestRun(w, product, i.run), i.version, i.reason);
  });
}

export const relabelTestRunUseCase = defineUseCase({
  name: 'evidence.relabel',
  summary: 'Attach a test run to a product version, or move it to another.',
  kind: 'write',
  what: 'relabel',
  input: RelabelTestRunInputSchema,
  output: EvidenceImportSchema,
  permission: 'evidence.correct',
  http: { method: 'PATCH', path: '/api/v1/products/:productKey/evidence/test-runs/:run' },
  run: ({ deps }, input) => relabelTestRun(deps, input),
});

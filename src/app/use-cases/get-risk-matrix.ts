import type { Deps } from '../../core/ports.js';
import { RiskMatrixSchema, type RiskMatrix } from '../../core/risk/risk-file-schema.js';
import { loadRiskFile, RiskViewInputSchema, type RiskViewInput } from '../services/risk-file.js';
import { defineUseCase } from '../use-case.js';

/**
 * The risk matrix of a product or release: risks per cell before and after controls, with the policy's scales.
 * @throws AppError NOT_FOUND for the product or release
 */
export async function getRiskMatrix(deps: Pick<Deps, 'store' | 'catalog' | 'clock'>, input: RiskViewInput): Promise<RiskMatrix> {
  const v = await loadRiskFile(deps, input);
  const p = v.file.policy.policy;
  return {
    product: v.product.key,
    release: v.release,
    policy: { record: v.file.policy.record, revision: v.file.policy.revision },
    severity: p.severity.map((l) => ({ key: l.key, name: l.name })),
    probability: p.probability.map((l) => ({ key: l.key, name: l.name })),
    zones: p.matrix,
    initial: v.file.matrix.initial,
    residual: v.file.matrix.residual,
    notEstimated: v.file.matrix.notEstimated,
    totals: v.file.zoneTotals,
  };
}

/** `risk.matrix`: the risk matrix. */
export const getRiskMatrixUseCase = defineUseCase({
  name: 'risk.matrix',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: 'Read the risk matrix: the number of risks per cell, before and after controls.',
  kind: 'read',
  what: 'risk file',
  input: RiskViewInputSchema,
  output: RiskMatrixSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/risk/matrix' },
  run: ({ deps }, input) => getRiskMatrix(deps, input),
});

import type { Deps } from '../../core/ports.js';
import { RiskTableSchema, type RiskTable } from '../../core/risk/risk-file-schema.js';
import { loadRiskFile, RiskViewInputSchema, type RiskViewInput } from '../services/risk-file.js';
import { defineUseCase } from '../use-case.js';

/**
 * The FMEA-style risk table of a product or release: one row per risk estimate with the policy in force.
 * @throws AppError NOT_FOUND for the product or release
 */
export async function getRiskTable(deps: Pick<Deps, 'store' | 'catalog' | 'clock'>, input: RiskViewInput): Promise<RiskTable> {
  const v = await loadRiskFile(deps, input);
  return { product: v.product.key, release: v.release, policy: v.file.policy, asOf: v.file.asOf, rows: v.file.rows };
}

/** `risk.table`: the risk table. */
export const getRiskTableUseCase = defineUseCase({
  name: 'risk.table',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: 'Read the risk table: each risk with its chain, zones before and after controls, and controls.',
  kind: 'read',
  what: 'risk file',
  input: RiskViewInputSchema,
  output: RiskTableSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/risk/table' },
  run: ({ deps }, input) => getRiskTable(deps, input),
});

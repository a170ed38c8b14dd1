import { z } from 'zod';
import type { Deps } from '../../core/ports.js';
import { DueRisksSchema } from '../../core/risk/risk-file-schema.js';
import { dueRisks } from '../../core/risk/risk-file.js';
import { loadRiskFile, RiskViewInputSchema } from '../services/risk-file.js';
import { defineUseCase } from '../use-case.js';

export const ListDueRisksInputSchema = RiskViewInputSchema.extend({
  /** Also list reviews falling due within this many days. */
  within: z.coerce.number().int().min(0).max(9999).default(0),
});

/**
 * The risks whose review is overdue or flagged by new post-production information (ISO 14971 10), and with `within`
 * those falling due soon.
 * @throws AppError NOT_FOUND for the product or release
 */
export async function listDueRisks(deps: Pick<Deps, 'store' | 'catalog' | 'clock'>, input: z.output<typeof ListDueRisksInputSchema>): Promise<z.output<typeof DueRisksSchema>> {
  const { within, ...view } = input;
  const v = await loadRiskFile(deps, view);
  return {
    product: v.product.key,
    asOf: v.file.asOf,
    reviewIntervalDays: v.file.policy.policy.reviewIntervalDays,
    risks: dueRisks(v.file, within).map((r) => ({
      risk: r.key,
      title: r.title,
      state: r.review.state,
      lastAssessed: r.review.lastAssessed,
      due: r.review.due,
      newInformation: r.review.newInformation,
    })),
  };
}

/** `risk.due`: the risk reviews due. */
export const listDueRisksUseCase = defineUseCase({
  name: 'risk.due',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: 'List the risks whose review is overdue, flagged by new information, or falling due.',
  kind: 'read',
  what: 'risk file',
  input: ListDueRisksInputSchema,
  output: DueRisksSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/risk/due' },
  run: ({ deps }, input) => listDueRisks(deps, input),
});

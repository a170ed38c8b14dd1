import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { readinessReport, ReadinessReportSchema, type ReadinessReport } from '../../core/qms/readiness.js';
import type { RulePack } from '../../core/rules/rule-pack.js';
import { parseInput } from '../../core/validation.js';
import { loadQmsFacts } from '../services/qms-facts.js';
import { productPacks } from '../services/rule-packs.js';
import { buildGraph } from '../services/trace-graph.js';
import { defineUseCase } from '../use-case.js';

export const GetQmsReadinessInputSchema = z.strictObject({ productKey: ProductKeySchema });
export type GetQmsReadinessInput = z.input<typeof GetQmsReadinessInputSchema>;

/**
 * The ISO 13485 readiness report of a product's quality system, judged today (`deps.clock`): per clause the
 * documents that cover it (in force or only draft), the records that evidence it, what is missing and what is
 * overdue, and the score (see `readinessReport`). Read in one snapshot.
 * @param builtinPacks - the shipped packs, for the rules that check each clause
 * @throws AppError INVALID_INPUT for a bad input; NOT_FOUND for the product
 */
export async function getQmsReadiness(
  deps: Pick<Deps, 'store' | 'catalog' | 'clock'>,
  input: GetQmsReadinessInput,
  builtinPacks: readonly RulePack[],
): Promise<ReadinessReport> {
  const { productKey } = parseInput(GetQmsReadinessInputSchema, input, 'readiness');
  const today = deps.clock.now().slice(0, 10);
  return deps.store.read(async (r) => {
    const product = await getProduct(r, productKey);
    const [graph, facts, own] = [await buildGraph(deps, r, product), await loadQmsFacts(r, product, today), await productPacks(r, product.id, deps.catalog)];
    return readinessReport({
      product: product.key,
      graph,
      facts,
      today,
      catalogClauses: new Map([...deps.catalog.recordTypes.values()].map((t) => [t.key, t.clauses])),
      rules: [...builtinPacks, ...own].flatMap((p) => p.rules),
    });
  });
}

/** `qms.readiness`: the ISO 13485 map with the evidence, gaps and overdue items per clause, and the score. */
export const getQmsReadinessUseCase = defineUseCase({
  name: 'qms.readiness',
  heavy: true,
  summary: "Report the quality system's readiness per ISO 13485 clause: evidence present, missing, overdue, and a score.",
  kind: 'read',
  what: 'readiness',
  input: GetQmsReadinessInputSchema,
  output: ReadinessReportSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/qms/readiness' },
  run: ({ deps, services }, input) => getQmsReadiness(deps, input, services.builtinPacks()),
});

import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { CheckResultSchema } from '../../core/rules/finding-schema.js';
import { defineUseCase } from '../use-case.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import type { CheckResult } from '../../core/rules/evaluate-rules.js';
import type { RulePack } from '../../core/rules/rule-pack.js';
import { checkGraph } from '../services/check-graph.js';
import { buildGraph } from '../services/trace-graph.js';

/**
 * Runs the rule packs that apply to a product (built-in packs for its safety class, plus the product's own packs)
 * with the product's settings, over its trace graph, in one snapshot.
 * @param builtinPacks - the shipped packs (the caller reads them; core does no file I/O)
 * @throws AppError NOT_FOUND for an unknown product
 */
export async function runCheck(
  deps: Pick<Deps, 'store' | 'catalog' | 'clock'>,
  input: { readonly productKey: string; readonly builtinPacks: readonly RulePack[] },
): Promise<CheckResult & { readonly allPacks: readonly RulePack[] }> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    return checkGraph(deps, r, product, await buildGraph(deps, r, product), input.builtinPacks);
  });
}

/**
 * `check.run`: the product's rule check. The findings are the engine's lazy findings (message and hint worked out
 * when read); they serialise to `FindingSchema` through their `toJSON`, so nothing is copied for a large product.
 */
export const runCheckUseCase = defineUseCase({
  name: 'check.run',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: "Run the rule packs in force over the product's trace graph.",
  kind: 'read',
  what: 'check',
  input: z.strictObject({ productKey: ProductKeySchema }),
  output: CheckResultSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/check' },
  run: ({ deps, services }, input) => runCheck(deps, { productKey: input.productKey, builtinPacks: services.builtinPacks() }),
});

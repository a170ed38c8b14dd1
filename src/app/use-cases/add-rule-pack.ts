import { appendAudit } from '../../core/audit-trail.js';
import { z } from 'zod';
import { ProductKeySchema, ProductRulePackSchema, type ProductRulePack } from '../../core/entities.js';
import { conflict, invalidInput } from '../../core/errors.js';
import { canonicalJson, sha256Hex } from '../../core/hashing.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { productPacks } from '../services/rule-packs.js';
import { checkPackAgainstCatalog, RulePackSchema, type RulePack } from '../../core/rules/rule-pack.js';
import { defineUseCase } from '../use-case.js';

/**
 * Adds a team's own rule pack to a product (audit-trailed with its hash). Its rule IDs must not clash with any
 * rule already in force.
 * @param pack - a parsed pack (see `parseRulePack`)
 * @throws AppError CONFLICT when the pack name or a rule ID is taken; INVALID_INPUT when it does not fit the catalog
 */
export async function addRulePack(
  deps: Deps,
  input: { readonly productKey: string; readonly pack: RulePack; readonly builtinPacks: readonly RulePack[] },
): Promise<ProductRulePack> {
  const problem = checkPackAgainstCatalog(input.pack, deps.catalog)[0];
  if (problem !== undefined) throw invalidInput(`rule pack ${input.pack.pack}: ${problem.path.join('.')}: ${problem.message}`);
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const inForce = [...input.builtinPacks, ...(await productPacks(w, product.id, deps.catalog))];
    if (inForce.some((p) => p.pack === input.pack.pack)) {
      throw conflict(`a rule pack named ${input.pack.pack} is already in force for ${product.key}`, { item: input.pack.pack });
    }
    const ids = new Set(inForce.flatMap((p) => p.rules.map((r) => r.id)));
    const clash = input.pack.rules.find((r) => ids.has(r.id));
    if (clash !== undefined) throw conflict(`rule ${clash.id} already exists; give the pack's rules their own IDs`, { item: clash.id });
    const definition = canonicalJson(input.pack);
    const at = deps.clock.now();
    const row: ProductRulePack = {
      productId: product.id,
      pack: input.pack.pack,
      definition,
      hash: sha256Hex(definition),
      addedAt: at,
      addedBy: deps.actor.id,
    };
    await w.insertProductRulePacks([row]);
    await appendAudit(w, deps, at, [
      {
        action: 'RULE_PACK_ADDED',
        entityType: 'rule',
        entityId: `${product.key}/pack/${input.pack.pack}`,
        productKey: product.key,
        newValue: { pack: input.pack.pack, hash: row.hash, rules: input.pack.rules.map((r) => r.id) },
      },
    ]);
    return row;
  });
}

/** `rule.add-pack`: add a team's own rule pack (already parsed: the CLI reads the file, the API takes JSON). */
export const addRulePackUseCase = defineUseCase({
  name: 'rule.add-pack',
  summary: "Add a team's own rule pack to a product.",
  kind: 'write',
  what: 'rule pack',
  input: z.strictObject({ productKey: ProductKeySchema, pack: RulePackSchema }),
  output: ProductRulePackSchema,
  permission: 'rule.configure',
  http: { method: 'POST', path: '/api/v1/products/:productKey/rule-packs', status: 201 },
  run: ({ deps, services }, input) => addRulePack(deps, { ...input, builtinPacks: services.builtinPacks() }),
});

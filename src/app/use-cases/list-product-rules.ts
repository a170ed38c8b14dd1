import { z } from 'zod';
import { grants } from '../../core/access/permissions.js';
import { ProductKeySchema } from '../../core/entities.js';
import { forbidden, notFound } from '../../core/errors.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { describeRuleCheck } from '../../core/rules/describe-rule.js';
import { ruleAppliesTo, ruleClasses, RuleSchema, ruleSeverity, SeveritySchema, type Rule, type RulePack } from '../../core/rules/rule-pack.js';
import { productPacks } from '../services/rule-packs.js';
import { defineUseCase } from '../use-case.js';

/** A rule as a product sees it: where it comes from, whether it applies, and the product's setting for it. */
export interface ProductRule {
  readonly pack: RulePack;
  readonly rule: Rule;
  /** False when the rule is for other safety classes. */
  readonly applies: boolean;
  /** The recorded justification when the product disabled it. */
  readonly disabled: string | null;
  /** The product's severity for it (its own, or the override). */
  readonly severity: Rule['severity'];
}

/**
 * Every rule of the built-in packs and the product's own packs, with whether it applies to the product's safety
 * class and the product's setting for it.
 * @throws AppError NOT_FOUND for an unknown product
 */
export async function listProductRules(
  deps: Pick<Deps, 'store' | 'catalog'>,
  input: { readonly productKey: string; readonly builtinPacks: readonly RulePack[] },
): Promise<ProductRule[]> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const own = await productPacks(r, product.id, deps.catalog);
    const settings = new Map((await r.listRuleSettings(product.id)).map((s) => [s.ruleId, s]));
    return [...input.builtinPacks, ...own].flatMap((pack) =>
      pack.rules.map((rule) => {
        const s = settings.get(rule.id);
        return {
          pack,
          rule,
          applies: ruleAppliesTo(pack, rule, product.safetyClass),
          disabled: s !== undefined && !s.enabled ? s.justification : null,
          severity: s?.severity ?? ruleSeverity(rule, product.safetyClass),
        };
      }),
    );
  });
}

/** A rule explained for people: its definition, the classes it applies to, and what it checks in words. */
export interface RuleExplanation {
  readonly pack: RulePack;
  readonly rule: Rule;
  readonly classes: readonly string[] | null;
  readonly checks: readonly string[];
}

/**
 * Explains one rule of the built-in packs (or, given a product, of its own packs too).
 * @throws AppError NOT_FOUND for an unknown rule
 */
export async function explainRule(
  deps: Pick<Deps, 'store' | 'catalog'>,
  input: { readonly ruleId: string; readonly builtinPacks: readonly RulePack[]; readonly productKey?: string },
): Promise<RuleExplanation> {
  const packs =
    input.productKey === undefined
      ? input.builtinPacks
      : (await listProductRules(deps, { productKey: input.productKey, builtinPacks: input.builtinPacks })).map((r) => r.pack);
  for (const pack of new Set(packs)) {
    const rule = pack.rules.find((r) => r.id === input.ruleId);
    if (rule !== undefined) {
      return { pack, rule, classes: ruleClasses(pack, rule), checks: describeRuleCheck(rule, deps.catalog) };
    }
  }
  throw notFound(`no rule ${input.ruleId}; \`dossier rules list\` shows the rules`, { item: input.ruleId });
}

/** A rule as a product sees it, as data: the pack is named rather than repeated on every rule. */
export const ProductRuleSchema = z.strictObject({
  pack: z.string(),
  rule: RuleSchema,
  applies: z.boolean(),
  disabled: z.string().nullable(),
  severity: SeveritySchema,
});

/** `rule.list`: every rule of the packs in force for a product, with whether it applies and the product's setting. */
export const listProductRulesUseCase = defineUseCase({
  name: 'rule.list',
  summary: "List the rules of the packs in force for a product, with the product's settings.",
  kind: 'read',
  what: 'rule list',
  input: z.strictObject({ productKey: ProductKeySchema }),
  output: z.array(ProductRuleSchema),
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/rules' },
  run: async ({ deps, services }, input) =>
    (await listProductRules(deps, { productKey: input.productKey, builtinPacks: services.builtinPacks() })).map((r) => ({ ...r, pack: r.pack.pack })),
});

/** `rule.explain`: one rule in plain words; with a product, its own packs are searched too (and need product.read). */
export const explainRuleUseCase = defineUseCase({
  name: 'rule.explain',
  summary: 'Explain what a rule asks, why, and how to fix a finding.',
  kind: 'read',
  what: 'rule',
  input: z.strictObject({ ruleId: z.string().min(1).max(100).transform((s) => s.toUpperCase()), productKey: ProductKeySchema.optional() }),
  output: z.strictObject({
    pack: z.strictObject({ pack: z.string(), title: z.string() }),
    rule: RuleSchema,
    classes: z.array(z.string()).readonly().nullable(),
    checks: z.array(z.string()).readonly(),
  }),
  // The shipped packs are the same for everyone; a product's own packs are checked below.
  permission: 'signed-in',
  http: { method: 'GET', path: '/api/v1/rules/:ruleId' },
  run: async ({ deps, services, principal }, input) => {
    if (input.productKey !== undefined && !grants(principal.grants, 'product.read', input.productKey, principal.scope)) {
      throw forbidden(`${principal.id} may not read the rules of ${input.productKey}: it needs the permission product.read`, {
        permission: 'product.read',
        item: input.productKey,
      });
    }
    const e = await explainRule(deps, { ...input, builtinPacks: services.builtinPacks() });
    return { ...e, pack: { pack: e.pack.pack, title: e.pack.title } };
  },
});

import type { ProductRulePack, RuleSetting } from '../../core/entities.js';
import { AppError } from '../../core/errors.js';
import type { StoreReader } from '../../core/ports.js';
import type { RuleSettings } from '../../core/rules/evaluate-rules.js';
import { checkPackAgainstCatalog, RulePackSchema, type RulePack, type Severity } from '../../core/rules/rule-pack.js';
import type { Catalog } from '../../core/catalog/catalog.js';

/**
 * A pack a product added, read back from the store and checked again (the catalog may have changed since).
 * @throws AppError INTERNAL when the stored definition no longer parses or fits the catalog
 */
export function productPack(p: ProductRulePack, catalog: Catalog): RulePack {
  const parsed = RulePackSchema.safeParse(JSON.parse(p.definition));
  const problem = parsed.success ? checkPackAgainstCatalog(parsed.data, catalog)[0] : undefined;
  if (!parsed.success || problem !== undefined) {
    throw new AppError('INTERNAL', `stored rule pack ${p.pack} no longer fits the catalog: ${problem?.message ?? 'invalid definition'}`);
  }
  return parsed.data;
}

/** The rule packs a product added, read back and checked against the catalog. */
export async function productPacks(r: StoreReader, productId: number, catalog: Catalog): Promise<RulePack[]> {
  return (await r.listProductRulePacks(productId)).map((p) => productPack(p, catalog));
}

/** A product's stored rule settings as the rule engine and the release gate read them. */
export function ruleSettingsOf(settings: readonly RuleSetting[]): RuleSettings {
  return {
    disabled: new Map(settings.filter((s) => !s.enabled).map((s) => [s.ruleId, s.justification])),
    severity: new Map(settings.filter((s) => s.enabled && s.severity !== null).map((s) => [s.ruleId, s.severity as Severity])),
  };
}

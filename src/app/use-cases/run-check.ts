import type { Product, ProductRulePack, RuleSetting } from '../../core/entities.js';
import type { TraceGraph } from '../../core/trace/trace-graph.js';
import { AppError } from '../../core/errors.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import { evaluateRules, type CheckResult, type RuleSettings } from '../../core/rules/evaluate-rules.js';
import { checkPackAgainstCatalog, RulePackSchema, type RulePack, type Severity } from '../../core/rules/rule-pack.js';
import type { Catalog } from '../../core/catalog/catalog.js';
import { buildGraph } from './load-trace-graph.js';
import { testVerdicts, type Verdict } from '../../core/evidence/verdicts.js';
import { policyFromGraph } from '../../core/risk/current-policy.js';
import { analyseRisks } from '../../core/risk/risk-file.js';

/** A pack a product added, read back from the store and checked again (the catalog may have changed since). */
export function productPack(p: ProductRulePack, catalog: Catalog): RulePack {
  const parsed = RulePackSchema.safeParse(JSON.parse(p.definition));
  const problem = parsed.success ? checkPackAgainstCatalog(parsed.data, catalog)[0] : undefined;
  if (!parsed.success || problem !== undefined) {
    throw new AppError('INTERNAL', `stored rule pack ${p.pack} no longer fits the catalog: ${problem?.message ?? 'invalid definition'}`);
  }
  return parsed.data;
}

/** A product's stored rule settings as the rule engine and the release gate read them. */
export function ruleSettingsOf(settings: readonly RuleSetting[]): RuleSettings {
  return {
    disabled: new Map(settings.filter((s) => !s.enabled).map((s) => [s.ruleId, s.justification])),
    severity: new Map(settings.filter((s) => s.enabled && s.severity !== null).map((s) => [s.ruleId, s.severity as Severity])),
  };
}

/** The rule packs a product added, read back and checked against the catalog. */
export async function productPacks(r: StoreReader, productId: number, catalog: Catalog): Promise<RulePack[]> {
  return (await r.listProductRulePacks(productId)).map((p) => productPack(p, catalog));
}

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

/** The newest verdict of every record the product's test results name, over all its test runs. */
export async function productVerdicts(r: StoreReader, product: Product): Promise<Map<number, Verdict>> {
  return testVerdicts(await r.listNewestTestResults(product.id)).byRecord;
}

/**
 * Runs the packs that apply to a product, with its settings, over a graph (the product's now, or a release baseline).
 * The risk file's computed values (zones, control verification, review state) are worked out first so rules can test them.
 * @param verdicts - test verdicts to judge risk controls by (default: the product's newest results over all runs)
 */
export async function checkGraph(
  deps: Pick<Deps, 'catalog' | 'clock'>,
  r: StoreReader,
  product: Product,
  graph: TraceGraph,
  builtinPacks: readonly RulePack[],
  verdicts?: ReadonlyMap<number, Verdict>,
): Promise<CheckResult & { readonly allPacks: readonly RulePack[] }> {
  const ruleSettings = ruleSettingsOf(await r.listRuleSettings(product.id));
  const own = await productPacks(r, product.id, deps.catalog);
  const allPacks = [...builtinPacks, ...own];
  const risks = analyseRisks(graph, policyFromGraph(graph), verdicts ?? (await productVerdicts(r, product)), deps.clock.now());
  return { ...evaluateRules(graph, product, allPacks, ruleSettings, risks.computed), allPacks };
}

import type { Product } from '../../core/entities.js';
import type { Verdict } from '../../core/evidence/verdicts.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import { evaluateRules, type CheckResult } from '../../core/rules/evaluate-rules.js';
import type { RulePack } from '../../core/rules/rule-pack.js';
import { policyFromGraph } from '../../core/risk/current-policy.js';
import { analyseRisks } from '../../core/risk/risk-file.js';
import type { TraceGraph } from '../../core/trace/trace-graph.js';
import { withEsigned } from '../../core/signatures/esigned.js';
import { withQmsComputed } from '../../core/qms/computed.js';
import { loadQmsFacts } from './qms-facts.js';
import { productVerdicts } from './product-verdicts.js';
import { productPacks, ruleSettingsOf } from './rule-packs.js';

/**
 * Runs the packs that apply to a product, with its settings, over a graph (the product's now, or a release baseline).
 * The risk file's computed values (zones, control verification, review state) and whether each approved revision
 * carries its workflow's electronic signatures (`esigned`), and the quality-system records' computed values
 * (`withQmsComputed`: process state, overdue, documents in force, untrained signers) are worked out first so rules
 * can test them.
 * @param builtinPacks - the shipped packs (`services.builtinPacks()`; core does no file I/O)
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
  // One query for every signature of the product (never one per record): which approved revisions are e-signed.
  const esigned = withEsigned(graph, product.id, await r.listWorkflows(product.id), await r.listRecordSignatureSteps(product.id), risks.computed);
  // The quality-system records' values (process state, what is late, documents in force, untrained signers), judged today.
  const today = deps.clock.now().slice(0, 10);
  const computed = withQmsComputed(graph, await loadQmsFacts(r, product, today), today, esigned);
  return { ...evaluateRules(graph, product, allPacks, ruleSettings, computed), allPacks };
}

import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { ProductKeySchema, type Product } from '../../core/entities.js';
import { loadReleaseEvidence, type ReleaseEvidenceSet } from '../../core/evidence/release-evidence.js';
import { evaluateReleaseGate, type GateResult } from '../../core/evidence/release-gate.js';
import { testVerdicts } from '../../core/evidence/verdicts.js';
import type { Release } from '../../core/evidence/model.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import { failsGate, type CheckResult } from '../../core/rules/evaluate-rules.js';
import { SeveritySchema, type RulePack } from '../../core/rules/rule-pack.js';
import { TraceLinkColumnsBuilder } from '../../core/trace/link-columns.js';
import { findSuspectLinks } from '../../core/trace/suspect-links.js';
import { TraceGraph } from '../../core/trace/trace-graph.js';
import { parseInput } from '../../core/validation.js';
import { ReleaseVersionSchema } from './create-release.js';
import { checkGraph } from '../services/check-graph.js';
import { ruleSettingsOf } from '../services/rule-packs.js';

export const CheckReleaseInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  version: ReleaseVersionSchema,
  unreferencedCommits: SeveritySchema.default('warning'),
  failOn: SeveritySchema.default('error'),
});
export type CheckReleaseInput = z.input<typeof CheckReleaseInputSchema>;

export interface ReleaseCheck {
  readonly release: Release;
  readonly passed: boolean;
  readonly failOn: string;
  /** Rule-pack findings on the baseline, then the gate's own, each with its clause. */
  readonly findings: CheckResult['findings'];
  readonly rules: Omit<CheckResult, 'findings'>;
  readonly gate: Omit<GateResult, 'findings' | 'verdicts'> & { readonly verdicts: Readonly<Record<string, string>> };
  readonly evidence: {
    readonly testRuns: readonly { readonly id: number; readonly source: string; readonly meta: Readonly<Record<string, unknown>> }[];
    readonly results: number;
    readonly commits: number;
    readonly reviews: number;
    readonly sboms: readonly number[];
  };
}

/** A release baseline's trace graph: its records at their frozen revisions and its frozen links. */
export async function baselineGraph(deps: Pick<Deps, 'catalog'>, r: StoreReader, release: Release): Promise<TraceGraph> {
  const links = new TraceLinkColumnsBuilder();
  for (const l of await r.listReleaseLinks(release.id)) links.add(l.linkId, l.type, l.fromId, l.toId, l.fromRevision, l.toRevision, l.checkedAt);
  const records = await r.loadReleaseTraceRecordColumns(release.id);
  return TraceGraph.build(deps.catalog, records, links.build(), await r.listRevisionContents(release.productId));
}

/**
 * @throws AppError NOT_FOUND naming the product and version
 */
export async function getRelease(r: StoreReader, product: Product, version: string): Promise<Release> {
  const release = await r.findRelease(product.id, version);
  if (release === undefined) throw notFound(`release ${product.key} ${version} does not exist (create it with dossier release create ${product.key} ${version})`, { item: version });
  return release;
}

/**
 * Runs the release gate against a release's frozen baseline and evidence: the rule packs (as `dossier check`, on
 * the baseline), failing tests, requirements without a passing result in this release's runs, suspect links,
 * merged changes without an independent approval, commits that name no record, open anomalies not accepted as
 * residual, records not approved. Known residual anomalies are listed (IEC 62304 5.8.2/5.8.3).
 * @throws AppError NOT_FOUND for the product or release
 */
export async function checkRelease(
  deps: Pick<Deps, 'store' | 'catalog' | 'clock'>,
  input: CheckReleaseInput & { readonly builtinPacks: readonly RulePack[] },
): Promise<ReleaseCheck> {
  const { builtinPacks, ...rest } = input;
  const i = parseInput(CheckReleaseInputSchema, rest, 'release check');
  return deps.store.read(async (r) => {
    const product = await getProduct(r, i.productKey);
    const release = await getRelease(r, product, i.version);
    return evaluateRelease(deps, r, product, release, builtinPacks, i);
  });
}

/** The gate's evaluation inside a read or write transaction (mark-released runs it in its own write). */
export async function evaluateRelease(
  deps: Pick<Deps, 'catalog' | 'clock'>,
  r: StoreReader,
  product: Product,
  release: Release,
  builtinPacks: readonly RulePack[],
  options: { readonly unreferencedCommits: z.infer<typeof SeveritySchema>; readonly failOn: z.infer<typeof SeveritySchema> },
): Promise<ReleaseCheck> {
  const graph = await baselineGraph(deps, r, release);
  const evidence: ReleaseEvidenceSet = await loadReleaseEvidence(r, product, release);
  const { findings: ruleFindings, allPacks: _packs, ...rules } = await checkGraph(deps, r, product, graph, builtinPacks, testVerdicts(evidence.results).byRecord);
  const gate = evaluateReleaseGate(graph, product.key, release.version, evidence, findSuspectLinks(graph), {
    unreferencedCommits: options.unreferencedCommits,
    settings: ruleSettingsOf(await r.listRuleSettings(product.id)),
  });
  const findings = [...ruleFindings, ...gate.findings];
  return {
    release,
    passed: !failsGate(findings, options.failOn),
    failOn: options.failOn,
    findings,
    rules,
    gate: { residualAnomalies: gate.residualAnomalies, totals: gate.totals, verdicts: Object.fromEntries(gate.verdicts) },
    evidence: {
      testRuns: evidence.testRuns.map((t) => ({ id: t.id, source: t.source, meta: t.meta })),
      results: evidence.results.length,
      commits: evidence.commits.length,
      reviews: evidence.reviews.length,
      sboms: evidence.sboms.map((s) => s.id),
    },
  };
}

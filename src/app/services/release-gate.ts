import { z } from 'zod';
import type { Product } from '../../core/entities.js';
import { loadReleaseEvidence, type ReleaseEvidenceSet } from '../../core/evidence/release-evidence.js';
import { evaluateReleaseGate } from '../../core/evidence/release-gate.js';
import { testVerdicts } from '../../core/evidence/verdicts.js';
import { ReleaseSchema, type Release } from '../../core/evidence/model.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import { failsGate, type Finding } from '../../core/rules/evaluate-rules.js';
import { FindingSchema } from '../../core/rules/finding-schema.js';
import { SeveritySchema, type RulePack, type Severity } from '../../core/rules/rule-pack.js';
import { findSuspectLinks } from '../../core/trace/suspect-links.js';
import { checkGraph } from './check-graph.js';
import { ruleSettingsOf } from './rule-packs.js';
import { baselineGraph } from './release-baseline.js';

export type PlainFinding = z.infer<typeof FindingSchema>;

/**
 * A finding as a plain object: rule findings are objects that build their message and hint on demand (a large
 * check makes many); an output that leaves the application is plain data.
 */
export function plainFinding(f: Finding): PlainFinding {
  return { id: f.id, ruleId: f.ruleId, pack: f.pack, clause: f.clause, severity: f.severity, title: f.title, record: f.record, message: f.message, hint: f.hint };
}

/** The release gate's result on one baseline. */
export const ReleaseCheckSchema = z.object({
  release: ReleaseSchema,
  passed: z.boolean(),
  failOn: SeveritySchema,
  /** Rule-pack findings on the baseline, then the gate's own, each with its clause. */
  findings: z.array(FindingSchema),
  /** The rule run's facts (as `dossier check` gives them, without its findings). */
  rules: z.object({
    product: z.string(),
    safetyClass: z.string(),
    packs: z.array(z.string()).readonly(),
    rulesRun: z.number().int(),
    recordsChecked: z.number().int(),
    disabled: z.array(z.object({ ruleId: z.string(), justification: z.string() })).readonly(),
    notes: z.array(z.string()).readonly(),
  }),
  gate: z.object({
    residualAnomalies: z.array(z.object({ record: z.string(), title: z.string(), criticality: z.string() })).readonly(),
    totals: z.record(z.string(), z.number()),
    /** Per requirement (by record ID): passed, failed or not_run in this release's runs. */
    verdicts: z.record(z.string(), z.string()),
  }),
  evidence: z.object({
    testRuns: z.array(z.object({ id: z.number().int(), source: z.string(), meta: z.record(z.string(), z.unknown()) })),
    results: z.number().int(),
    commits: z.number().int(),
    reviews: z.number().int(),
    sboms: z.array(z.number().int()),
  }),
});
export type ReleaseCheck = z.infer<typeof ReleaseCheckSchema>;

/**
 * Runs the release gate against a release's frozen baseline and evidence, inside the caller's read or write
 * transaction (mark-released runs it in its own write, so nothing can slip in between): the rule packs (as
 * `dossier check`, on the baseline), failing tests, requirements without a passing result in this release's runs,
 * suspect links, merged changes without an independent approval, commits that name no record, open anomalies not
 * accepted as residual, records not approved. Known residual anomalies are listed (IEC 62304 5.8.2/5.8.3).
 */
export async function evaluateRelease(
  deps: Pick<Deps, 'catalog' | 'clock'>,
  r: StoreReader,
  product: Product,
  release: Release,
  builtinPacks: readonly RulePack[],
  options: { readonly unreferencedCommits: Severity; readonly failOn: Severity },
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

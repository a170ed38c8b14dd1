import { isQualitySystemRecord } from '../qms/processes.js';
import { sha256Hex } from '../hashing.js';
import { naturalCompare } from '../natural-order.js';
import type { Finding, RuleSettings } from '../rules/evaluate-rules.js';
import type { Severity } from '../rules/rule-pack.js';
import type { SuspectLink } from '../trace/suspect-links.js';
import type { TraceGraph } from '../trace/trace-graph.js';
import { dataText } from './model.js';
import type { ReleaseEvidenceSet } from './release-evidence.js';
import { REVIEW_FINDING, REVIEW_OUTCOMES, type ReviewOutcome } from './reviews.js';
import { testVerdicts, type Verdict } from './verdicts.js';

/** The release gate's own checks, beside the rule packs run on the baseline. Clause numbers only. */
export const GATE_RULES = {
  noTestRun: { id: 'RELEASE-TEST-RUN', clause: 'IEC 62304 5.7.5', title: 'The release has a recorded test run' },
  testFailed: { id: 'RELEASE-TEST-FAILED', clause: 'IEC 62304 5.7.2', title: 'No test fails in the release\'s test runs' },
  unverified: { id: 'RELEASE-REQUIREMENT-VERIFIED', clause: 'IEC 62304 5.7.1', title: 'Every requirement is verified by a passing result in this release' },
  suspect: { id: 'RELEASE-NO-SUSPECT-LINK', clause: 'ISO 13485 7.3.9', title: 'No suspect trace link is left unreviewed' },
  review: { id: 'RELEASE-INDEPENDENT-REVIEW', clause: 'IEC 62304 5.5.2', title: 'Every merged change was approved on its merged head, before merge, by someone other than its author' },
  reviewData: { id: 'RELEASE-REVIEW-DATA', clause: 'IEC 62304 5.5.2', title: 'Every merged change has its review data recorded' },
  unreferenced: { id: 'RELEASE-COMMIT-TRACED', clause: 'IEC 62304 8.2.4', title: 'Every code change names the record it implements or fixes' },
  anomaly: { id: 'RELEASE-ANOMALY-RESOLVED', clause: 'IEC 62304 5.8.2', title: 'Open anomalies are resolved or accepted as known residual anomalies' },
  overallResidual: { id: 'RELEASE-OVERALL-RESIDUAL-RISK', clause: 'ISO 14971 8', title: 'The release has an overall residual risk evaluation that finds it acceptable' },
  unapproved: { id: 'RELEASE-RECORD-APPROVED', clause: 'ISO 13485 4.2.4', title: 'Every record in the release is approved' },
} as const;

/**
 * The gate's rules a product may disable or re-grade, with a justification, like pack rules (`dossier rules
 * disable`), and their default severity. The others are fixed.
 */
export const CONFIGURABLE_GATE_RULES: ReadonlyMap<string, { readonly severity: Severity; readonly title: string }> = new Map([
  [GATE_RULES.unapproved.id, { severity: 'error', title: GATE_RULES.unapproved.title }],
]);

export interface GateOptions {
  /** How a commit that changes code without naming a record counts (default warning). */
  readonly unreferencedCommits: Severity;
  /** The product's rule settings: they disable or re-grade the configurable gate rules. */
  readonly settings?: RuleSettings;
}

export type { Verdict };

export interface GateResult {
  readonly findings: readonly Finding[];
  readonly residualAnomalies: readonly { readonly record: string; readonly title: string; readonly criticality: string }[];
  readonly verdicts: ReadonlyMap<string, Verdict>;
  readonly totals: Readonly<Record<string, number>>;
}

const REQUIREMENT_TYPES = new Set(['SYS', 'SRS']);

/**
 * Checks a release baseline against its evidence: test results (failures; requirements without a passing result),
 * suspect links, reviews, commits and anomalies. Each finding names its clause, like rule findings.
 */
export function evaluateReleaseGate(
  graph: TraceGraph,
  productKey: string,
  version: string,
  evidence: ReleaseEvidenceSet,
  suspects: readonly SuspectLink[],
  options: GateOptions,
): GateResult {
  const findings: Finding[] = [];
  const add = (rule: (typeof GATE_RULES)[keyof typeof GATE_RULES], severity: Severity, record: string | null, message: string, hint: string, discriminator = ''): void => {
    findings.push({
      id: sha256Hex(`${rule.id}|${productKey}|${version}|${record ?? '*'}|${discriminator}`).slice(0, 16),
      ruleId: rule.id,
      pack: 'release-gate',
      clause: rule.clause,
      severity,
      title: rule.title,
      record,
      message,
      hint,
    });
  };

  const totals: Record<string, number> = { passed: 0, failed: 0, error: 0, skipped: 0, flaky: 0 };
  // Totals count every result of the release's runs, so they add up to the number of results.
  for (const r of evidence.results) totals[r.outcome ?? 'skipped'] = (totals[r.outcome ?? 'skipped'] ?? 0) + 1;
  // Only the results that decide a verdict can fail the gate: a test renamed or dropped since does not.
  const { deciding, byRecord } = testVerdicts(evidence.results);
  for (const r of deciding) {
    const failed = r.outcome === 'failed' || r.outcome === 'error';
    if (failed) {
      const keys = r.refs.map((ref) => graph.indexOfRecord(ref.recordId)).filter((i): i is number => i !== undefined).map((i) => graph.key(i));
      const name = `${dataText(r.data['classname'])} ${dataText(r.data['name'])}`.trim();
      const message = dataText(r.data['message']).split('\n')[0] ?? '';
      add(
        GATE_RULES.testFailed,
        'error',
        keys[0] ?? null,
        `test "${name}"${keys.length > 0 ? ` (${keys.join(', ')})` : ' (not mapped to a record)'} ${r.outcome === 'error' ? 'errored' : 'failed'} in test run ${r.importId}${message === '' ? '' : `: ${message.slice(0, 200)}`}`,
        'Fix the software or the test and record a new passing run for this version; if the failure is accepted, raise an anomaly (ANOM) and evaluate it.',
        r.key,
      );
    }
  }
  if (evidence.testRuns.length === 0) {
    add(GATE_RULES.noTestRun, 'error', null, `release ${version} has no test run`, `Import the results with: dossier evidence tests <files> --version ${version}, then freeze the release again: dossier release create <product> ${version}.`);
  }

  const verdicts = new Map<string, Verdict>();
  for (const i of graph.nodesOfType('TC')) verdicts.set(graph.key(i), byRecord.get(graph.id(i)) ?? 'not_run');
  if (evidence.testRuns.length > 0) {
    for (let i = 0; i < graph.size; i++) {
      if (graph.obsolete[i] === 1 || !REQUIREMENT_TYPES.has(graph.type(i))) continue;
      const via: string[] = [];
      let verdict: Verdict = byRecord.get(graph.id(i)) ?? 'not_run';
      graph.forEachDown(i, (edge, other) => {
        if (graph.linkType(edge) !== 'verifies' || graph.type(other) !== 'TC' || graph.obsolete[other] === 1) return;
        const v = byRecord.get(graph.id(other)) ?? 'not_run';
        via.push(`${graph.key(other)} ${v.replace('_', ' ')}`);
        if (v === 'failed' || verdict === 'failed') verdict = 'failed';
        else if (v === 'passed') verdict = 'passed';
      });
      verdicts.set(graph.key(i), verdict);
      if (verdict !== 'passed') {
        add(
          GATE_RULES.unverified,
          'error',
          graph.key(i),
          `${graph.key(i)} has no passing result in this release's test runs${via.length === 0 ? ' (no test case verifies it)' : ` (${via.sort(naturalCompare).join('; ')})`}`,
          'Run its tests for this version and import the results; a failing test must be fixed or evaluated as an anomaly first.',
        );
      }
    }
  }

  for (const s of suspects) {
    add(GATE_RULES.suspect, 'error', s.from, `${s.from} ${s.type} ${s.to} is suspect: ${s.cause} changed (${s.reason.replace(/_/g, ' ')})`, `Check the link still holds, then: dossier trace confirm ${s.linkId} --reason "…"`, String(s.linkId));
  }

  for (const r of evidence.reviews) {
    const outcome = (REVIEW_OUTCOMES as readonly (string | null)[]).includes(r.outcome) ? (r.outcome as ReviewOutcome) : null;
    const finding = outcome === null ? null : REVIEW_FINDING[outcome];
    if (finding === null) continue;
    const missing = outcome === 'review_data_missing';
    const head = typeof r.data['headSha'] === 'string' ? ` (head ${r.data['headSha'].slice(0, 12)})` : '';
    add(
      missing ? GATE_RULES.reviewData : GATE_RULES.review,
      finding.severity,
      null,
      `${r.key} "${String(r.data['title'])}" by ${String(r.data['author'])} was merged${head} ${finding.text}`,
      finding.hint,
      r.key,
    );
  }
  for (const c of evidence.commits) {
    if (c.outcome !== 'unreferenced') continue;
    add(
      GATE_RULES.unreferenced,
      options.unreferencedCommits,
      null,
      `commit ${c.key.slice(0, 12)} "${String(c.data['subject'])}" by ${String(c.data['authorEmail'])} changes code but names no record`,
      'Name the requirement or anomaly it belongs to in the commit message trailers (Implements:, Fixes:, Refs:) from now on; for this one, record the link in its review.',
      c.key,
    );
  }

  const residualAnomalies: { record: string; title: string; criticality: string }[] = [];
  for (const i of graph.nodesOfType('ANOM')) {
    const fields = graph.fields(i);
    if (typeof fields['resolvedIn'] === 'string') continue;
    if (fields['residual'] === true) residualAnomalies.push({ record: graph.key(i), title: graph.title(i), criticality: String(fields['criticality']) });
    else {
      add(GATE_RULES.anomaly, 'error', graph.key(i), `${graph.key(i)} is open and not accepted as a known residual anomaly`, `Fix it (set resolvedIn=${version}) or evaluate it and accept it: dossier record edit ${graph.key(i)} --base <n> --set residual=true, with the justification in its body.`);
    }
  }
  const evaluations = graph.nodesOfType('ORR').filter((i) => graph.fields(i)['release'] === version);
  if (evaluations.length === 0) {
    add(
      GATE_RULES.overallResidual,
      'error',
      null,
      `release ${version} has no overall residual risk evaluation`,
      `Weigh the residual risks together against the policy's overall criteria and record it: dossier record add -t ORR --title "Overall residual risk ${version}" --set release=${version} --set acceptable=true, with the labeling disclosures; then freeze the release again.`,
    );
  }
  for (const i of evaluations) {
    if (graph.fields(i)['acceptable'] === true) continue;
    add(GATE_RULES.overallResidual, 'error', graph.key(i), `${graph.key(i)} finds the overall residual risk of ${version} not acceptable`, 'Reduce the risks further, or record a benefit-risk analysis that justifies them, and evaluate again.');
  }
  // ISO 13485 4.2.4, IEC 62304 5.8: what is released is what was reviewed and approved (the design file; the quality
  // system's own records run on their own lifecycle). An edit after approval starts
  // a draft, so a baseline frozen after it holds the draft, not the approved revision.
  if (!(options.settings?.disabled.has(GATE_RULES.unapproved.id) ?? false)) {
    const severity = options.settings?.severity.get(GATE_RULES.unapproved.id) ?? CONFIGURABLE_GATE_RULES.get(GATE_RULES.unapproved.id)?.severity ?? 'error';
    for (let i = 0; i < graph.size; i++) {
      const status = graph.status(i);
      const revision = graph.revision(i);
      if (status === 'approved' || status === 'obsolete') continue;
      // An open CAPA or an SOP in review is the quality system at work, not an unapproved part of what ships.
      if (isQualitySystemRecord(graph.type(i), graph.fields(i))) continue;
      add(
        GATE_RULES.unapproved,
        severity,
        graph.key(i),
        `${graph.key(i)} is ${status.replace('_', ' ')} at revision ${revision} in this baseline`,
        `${status === 'draft' ? `Send it to review (dossier record status ${graph.key(i)} in_review --base ${revision}), have` : 'Have'} a reviewer other than its author approve it (dossier record status ${graph.key(i)} approved --base ${revision}), then freeze the release again: dossier release create ${productKey} ${version}`,
      );
    }
  }
  return { findings, residualAnomalies, verdicts, totals };
}

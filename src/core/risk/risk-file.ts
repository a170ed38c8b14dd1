import { naturalCompare } from '../natural-order.js';
import { valueText } from '../value-text.js';
import type { Verdict } from '../evidence/verdicts.js';
import type { TraceGraph } from '../trace/trace-graph.js';
import type { CurrentPolicy } from './current-policy.js';
import { estimateOf, evaluateEstimate, hasEstimate, type Evaluated, type Zone } from './policy.js';

/**
 * The risk file computed from a trace graph (the product now, or a release baseline), its policy, the newest test
 * verdicts and a date: one row per risk estimate with its chain (hazards, causes, sequences, situation, harm), its
 * initial and residual zone, its controls with their verification, its benefit-risk analyses and its review state.
 * Pure: nothing is read or stored here. The table, matrix, report, `due` list and the ISO 14971 rules all read it.
 */

export type ControlVerification = Verdict | 'untested';
export type ReviewState = 'current' | 'flagged' | 'overdue';

export interface ControlView {
  readonly key: string;
  readonly title: string;
  readonly status: string;
  readonly option: string;
  /** Risk-control requirements implementing it. */
  readonly implementedBy: readonly string[];
  /** Tests verifying it or its risk-control requirements, with their newest verdicts. */
  readonly tests: readonly { readonly key: string; readonly verdict: Verdict }[];
  readonly verification: ControlVerification;
  /** Validation activities showing it is effective. */
  readonly effectiveness: readonly string[];
  /** Hazards it introduces (ISO 14971 7.5). */
  readonly introduces: readonly string[];
}

export interface RiskRow {
  readonly key: string;
  readonly title: string;
  readonly status: string;
  readonly hazards: readonly string[];
  readonly sequences: readonly string[];
  /** Causes: records that cause the situation, a sequence or a hazard, and the sequences of events with what drives them. */
  readonly causes: readonly { readonly key: string; readonly kind: string; readonly title: string }[];
  readonly situations: readonly string[];
  readonly harms: readonly string[];
  readonly initial: Evaluated | null;
  readonly residual: Evaluated | null;
  /** What is wrong with an estimate under the current policy (only if the policy changed under it). */
  readonly problems: readonly string[];
  readonly controls: readonly ControlView[];
  readonly benefitRisk: readonly { readonly key: string; readonly conclusion: string }[];
  readonly policyRevision: number | null;
  readonly review: {
    readonly state: ReviewState;
    readonly lastAssessed: string;
    readonly due: string;
    /** Post-production information, anomalies and vulnerabilities linked since the last assessment. */
    readonly newInformation: readonly string[];
    readonly reviews: readonly string[];
  };
}

export type ZoneCounts = Record<string, Record<string, number>>;

export interface RiskFile {
  readonly policy: CurrentPolicy;
  readonly asOf: string;
  readonly rows: readonly RiskRow[];
  readonly matrix: { readonly initial: ZoneCounts; readonly residual: ZoneCounts; readonly notEstimated: { readonly initial: number; readonly residual: number } };
  readonly zoneTotals: { readonly initial: Readonly<Record<Zone, number>>; readonly residual: Readonly<Record<Zone, number>> };
  /** Title of every record the rows name by ID (hazards, sequences, causes, situations, harms, controls, analyses, reviews). */
  readonly titles: Readonly<Record<string, string>>;
  /** Node index → computed values for the rules (see the catalog's `computed`); they sit beside the stored fields. */
  readonly computed: ReadonlyMap<number, Readonly<Record<string, unknown>>>;
}

const DAY_MS = 86_400_000;

/** When a review record counts as done: its recording time, or the end of its stated day for a backdated review. */
function reviewTime(reviewedOn: unknown, revisedAt: string): number {
  const recorded = Date.parse(revisedAt);
  if (typeof reviewedOn !== 'string') return recorded;
  const endOfDay = Date.parse(`${reviewedOn}T23:59:59.999Z`);
  return Number.isNaN(endOfDay) ? recorded : Math.min(endOfDay, recorded);
}

/**
 * Builds the risk file.
 * @param verdicts - newest verdict per record ID (from test results); records without one count as not run
 * @param asOf - the date the review state is judged at (ISO)
 */
export function analyseRisks(graph: TraceGraph, current: CurrentPolicy, verdicts: ReadonlyMap<number, Verdict>, asOf: string): RiskFile {
  const policy = current.policy;
  const now = Date.parse(asOf);
  const live = (i: number): boolean => graph.obsolete[i] !== 1;
  const neighbours = (i: number, dir: 'up' | 'down', linkType: string, types?: readonly string[]): number[] => {
    const out: number[] = [];
    const visit = (edge: number, other: number): void => {
      if (graph.linkType(edge) !== linkType || !live(other)) return;
      if (types !== undefined && !types.includes(graph.type(other))) return;
      out.push(other);
    };
    if (dir === 'up') graph.forEachUp(i, visit);
    else graph.forEachDown(i, visit);
    return out;
  };
  // A record's key is asked for many times (a harm or hazard is shared by many risks): make each string once.
  const keyMemo = new Map<number, string>();
  const key = (i: number): string => {
    let hit = keyMemo.get(i);
    if (hit === undefined) {
      hit = graph.key(i);
      keyMemo.set(i, hit);
    }
    return hit;
  };
  const titles: Record<string, string> = {};
  const titled = new Uint8Array(graph.size);
  const addTitle = (i: number): void => {
    if (titled[i] === 1) return;
    titled[i] = 1;
    titles[key(i)] = graph.title(i);
  };
  const keys = (idx: readonly number[] | ReadonlySet<number>): string[] => {
    const list = [...idx];
    for (const i of list) addTitle(i);
    if (list.length <= 1) return list.map((i) => key(i));
    return [...new Set(list.map((i) => key(i)))].sort(naturalCompare);
  };
  // Many records share a write time (one import, one transaction): convert each time once, both ways.
  const timeMemo = new Map<string, number>();
  const time = (at: string): number => {
    let hit = timeMemo.get(at);
    if (hit === undefined) {
      hit = Date.parse(at);
      timeMemo.set(at, hit);
    }
    return hit;
  };
  const isoMemo = new Map<number, string>();
  const iso = (ms: number): string => {
    let hit = isoMemo.get(ms);
    if (hit === undefined) {
      hit = new Date(ms).toISOString();
      isoMemo.set(ms, hit);
    }
    return hit;
  };

  // Upstream of a situation: the sequences and hazards that lead to it (memoised; leads_to never loops).
  const ancestorsMemo = new Map<number, number[]>();
  const ancestors = (hs: number): number[] => {
    const hit = ancestorsMemo.get(hs);
    if (hit !== undefined) return hit;
    const seen = new Set<number>();
    const stack = [hs];
    while (stack.length > 0) {
      const at = stack.pop() ?? 0;
      for (const up of neighbours(at, 'up', 'leads_to')) {
        if (seen.has(up)) continue;
        seen.add(up);
        stack.push(up);
      }
    }
    const out = [...seen];
    ancestorsMemo.set(hs, out);
    return out;
  };

  // Controls mitigating a node; memoised because a harm or hazard is shared by many risks (and has many edges).
  const mitigatorsMemo = new Map<number, number[]>();
  const mitigators = (x: number): number[] => {
    let hit = mitigatorsMemo.get(x);
    if (hit === undefined) {
      hit = neighbours(x, 'down', 'mitigates', ['RC']);
      mitigatorsMemo.set(x, hit);
    }
    return hit;
  };

  const controlMemo = new Map<number, ControlView>();
  const control = (rc: number): ControlView => {
    const hit = controlMemo.get(rc);
    if (hit !== undefined) return hit;
    const reqs = neighbours(rc, 'down', 'implements', ['SRS']).filter((s) => graph.fields(s)['riskControl'] === true);
    const tcs = new Set([...neighbours(rc, 'down', 'verifies', ['TC']), ...reqs.flatMap((s) => neighbours(s, 'down', 'verifies', ['TC']))]);
    const tests = [...tcs].map((t) => ({ key: key(t), verdict: verdicts.get(graph.id(t)) ?? 'not_run' })).sort((a, b) => naturalCompare(a.key, b.key));
    const verification: ControlVerification =
      tests.length === 0 ? 'untested' : tests.some((t) => t.verdict === 'failed') ? 'failed' : tests.some((t) => t.verdict === 'passed') ? 'passed' : 'not_run';
    const view: ControlView = {
      key: key(rc),
      title: graph.title(rc),
      status: graph.status(rc),
      option: valueText(graph.fields(rc)['option']),
      implementedBy: keys(reqs),
      tests,
      verification,
      effectiveness: keys(neighbours(rc, 'down', 'validates', ['VAL'])),
      introduces: keys(neighbours(rc, 'down', 'introduces', ['HAZ'])),
    };
    controlMemo.set(rc, view);
    return view;
  };

  // Downstream of a hazard: the sequences of events and situations it leads to (the same chain `ancestors` walks up).
  const descendants = (haz: number): number[] => {
    const seen = new Set<number>();
    const stack = [haz];
    while (stack.length > 0) {
      const at = stack.pop() ?? 0;
      for (const down of neighbours(at, 'down', 'leads_to')) {
        if (seen.has(down)) continue;
        seen.add(down);
        stack.push(down);
      }
    }
    return [...seen];
  };
  // IEC 62304 7.1: a hazard's software causes are what causes it, a sequence of events it leads to or a situation it
  // leads to (as a risk's causes are counted). A hazard reached only through sequences driven by a use error, hardware
  // or the environment has no software cause to identify.
  const softwareCauseOf = (haz: number): SoftwareCause => {
    const chain = descendants(haz);
    const causes = [haz, ...chain].flatMap((x) => neighbours(x, 'down', 'causes'));
    if (causes.some((c) => SOFTWARE_CAUSE_TYPES.has(graph.type(c)))) return 'identified';
    const sequences = chain.filter((x) => graph.type(x) === 'SEQ');
    const notSoftware = sequences.length > 0 && sequences.every((x) => NOT_SOFTWARE_KINDS.has(valueText(graph.fields(x)['cause'])));
    return notSoftware ? 'not_software' : 'missing';
  };

  const severityRank = new Map(policy.severity.map((l, k) => [l.key, k]));
  const blankCounts = (): ZoneCounts => Object.fromEntries(policy.severity.map((s) => [s.key, Object.fromEntries(policy.probability.map((p) => [p.key, 0]))]));
  const matrix = { initial: blankCounts(), residual: blankCounts(), notEstimated: { initial: 0, residual: 0 } };
  const zoneTotals = { initial: { acceptable: 0, reduce: 0, unacceptable: 0 }, residual: { acceptable: 0, reduce: 0, unacceptable: 0 } };
  const computed = new Map<number, Record<string, unknown>>();
  const rows: RiskRow[] = [];
  const intervalMs = policy.reviewIntervalDays * DAY_MS;

  const typeIs = (name: string): number => graph.typeNames.indexOf(name);
  const [RC, HAZ, HARM, RISK] = [typeIs('RC'), typeIs('HAZ'), typeIs('HARM'), typeIs('RISK')];
  for (let i = 0; i < graph.size; i++) {
    const t = graph.typeOf[i];
    if (t !== RC && t !== HAZ && t !== HARM && t !== RISK) continue;
    if (!live(i)) continue;
    if (t === RC) computed.set(i, { verification: control(i).verification });
    if (t === HAZ) computed.set(i, { softwareCause: softwareCauseOf(i) });
    if (t === HARM) {
      const severity = graph.fields(i)['severity'];
      computed.set(i, { severityInPolicy: severity === undefined || severityRank.has(valueText(severity)) });
    }
    if (t !== RISK) continue;
    const fields = graph.fields(i);
    const situations = neighbours(i, 'up', 'assesses', ['HS']);
    const harms = neighbours(i, 'up', 'assesses', ['HARM']);
    const chain = new Set(situations.flatMap(ancestors));
    const hazards = [...chain].filter((x) => graph.type(x) === 'HAZ');
    const sequences = [...chain].filter((x) => graph.type(x) === 'SEQ');
    const causeNodes = new Set([...situations, ...chain].flatMap((x) => neighbours(x, 'down', 'causes')));
    const causes = [
      ...[...causeNodes].map((c) => ({ key: key(c), kind: causeKind(graph.type(c)), title: graph.title(c) })),
      ...sequences.map((s) => ({ key: key(s), kind: valueText(graph.fields(s)['cause'] ?? 'other'), title: graph.title(s) })),
    ].sort((a, b) => naturalCompare(a.key, b.key));
    const rcs = new Set([i, ...situations, ...harms, ...hazards].flatMap(mitigators));
    const controls = [...rcs].map(control).sort((a, b) => naturalCompare(a.key, b.key));

    const problems: string[] = [];
    const evaluate = (which: 'initial' | 'residual'): Evaluated | null => {
      const e = estimateOf(fields, which);
      if (!hasEstimate(e)) return null;
      const v = evaluateEstimate(policy, e);
      if ('problem' in v) {
        problems.push(`${which} estimate ${v.problem}`);
        return null;
      }
      return v;
    };
    const initial = evaluate('initial');
    const residual = evaluate('residual');
    for (const [which, v] of [['initial', initial], ['residual', residual]] as const) {
      if (v === null) matrix.notEstimated[which]++;
      else {
        const row = matrix[which][v.severity];
        if (row !== undefined) row[v.probability] = (row[v.probability] ?? 0) + 1;
        zoneTotals[which][v.zone]++;
      }
    }

    // Review: last assessed when the estimate was last revised or a review covered it; flagged by newer information.
    const reviewNodes = neighbours(i, 'down', 'reviews', ['RREV']);
    let last = time(graph.revisedAt(i));
    for (const rv of reviewNodes) {
      last = Math.max(last, reviewTime(graph.fields(rv)['reviewedOn'], graph.revisedAt(rv)));
    }
    const newInformation = new Set<number>();
    // Post-production information, anomalies, complaints and nonconformances that concern a risk are new information;
    // a CAPA is only when it says the risk file needs review (riskReviewRequired).
    const bearsOnRisk = (other: number): boolean => graph.type(other) !== 'CAPA' || graph.fields(other)['riskReviewRequired'] === true;
    for (const x of [i, ...situations, ...hazards]) {
      graph.forEachUp(x, (edge, other) => {
        if (graph.linkType(edge) === 'concerns' && live(other) && bearsOnRisk(other) && (graph.edgeCheckedAt[edge] ?? 0) > last) newInformation.add(other);
      });
    }
    const due = last + intervalMs;
    const state: ReviewState = now > due ? 'overdue' : newInformation.size > 0 ? 'flagged' : 'current';
    const analyses = neighbours(i, 'down', 'justifies', ['BRA']);
    const benefitRisk = analyses.map((b) => ({ key: key(b), conclusion: valueText(graph.fields(b)['conclusion']) }));
    const policyRevision = typeof fields['policyRevision'] === 'number' ? fields['policyRevision'] : null;

    for (const c of causes) titles[c.key] = c.title;
    for (const x of [i, ...rcs, ...analyses]) addTitle(x);
    rows.push({
      key: key(i),
      title: graph.title(i),
      status: graph.status(i),
      hazards: keys(hazards),
      sequences: keys(sequences),
      causes,
      situations: keys(situations),
      harms: keys(harms),
      initial,
      residual,
      problems,
      controls,
      benefitRisk: benefitRisk.sort((a, b) => naturalCompare(a.key, b.key)),
      policyRevision,
      review: { state, lastAssessed: iso(last), due: iso(due), newInformation: keys(newInformation), reviews: keys(reviewNodes) },
    });
    const securityCause = causes.some((x) => x.kind === 'security_threat' || x.kind === 'vulnerability');
    const usesExploitability = typeof fields['exploitability'] === 'string' || typeof fields['residualExploitability'] === 'string';
    const c: Record<string, unknown> = { securityCause, usesExploitability, controlled: controls.length > 0, controlsVerified: controls.length > 0 && controls.every((x) => x.verification === 'passed'), review: state };
    // ISO 14971 5.5: severity belongs to the harm; an estimate may not grade it lower (controls may lower the residual).
    const harmRanks = harms.map((h) => severityRank.get(valueText(graph.fields(h)['severity'])) ?? -1);
    const worstHarm = Math.max(-1, ...harmRanks);
    const ownRank = severityRank.get(valueText(fields['severity']));
    if (worstHarm >= 0) c['harmSeverity'] = policy.severity[worstHarm]?.key;
    c['severityFitsHarm'] = ownRank === undefined || ownRank >= worstHarm;
    if (initial !== null) c['initialZone'] = initial.zone;
    if (residual !== null) c['residualZone'] = residual.zone;
    const final = residual ?? initial;
    if (final !== null) c['finalZone'] = final.zone;
    computed.set(i, c);
  }
  // Every row is a RISK: their numbers order them as their IDs would.
  const numberOf = new Map(rows.map((r) => [r, Number(r.key.slice(5))]));
  rows.sort((a, b) => (numberOf.get(a) ?? 0) - (numberOf.get(b) ?? 0));
  return { policy: current, asOf, rows, matrix, zoneTotals, titles, computed };
}

/** `identified`, `not_software` (only use error, hardware or environment drive it) or `missing`. */
export type SoftwareCause = 'identified' | 'not_software' | 'missing';

/** Record types that are software causes of a hazard (IEC 62304 7.1): an item, SOUP, an anomaly, a vulnerability. */
const SOFTWARE_CAUSE_TYPES: ReadonlySet<string> = new Set(['SWI', 'SOUP', 'ANOM', 'VULN']);
/** What drives a sequence of events when software is not the cause. */
const NOT_SOFTWARE_KINDS: ReadonlySet<string> = new Set(['use_error', 'hardware_failure', 'environment']);

function causeKind(type: string): string {
  switch (type) {
    case 'SWI':
      return 'software_item';
    case 'SOUP':
      return 'soup';
    case 'THREAT':
      return 'security_threat';
    case 'VULN':
      return 'vulnerability';
    case 'ANOM':
      return 'anomaly';
    default:
      return type.toLowerCase();
  }
}

/**
 * Risks whose review is due: overdue or flagged by new information now, or (with `withinDays`) falling due within
 * that many days of the file's date.
 */
export function dueRisks(file: Pick<RiskFile, 'rows' | 'asOf'>, withinDays = 0): RiskRow[] {
  const horizon = Date.parse(file.asOf) + withinDays * DAY_MS;
  return file.rows.filter((r) => r.review.state !== 'current' || Date.parse(r.review.due) <= horizon);
}

import { z } from 'zod';
import { storableText } from '../validation.js';

/**
 * A product's risk policy (ISO 14971 4.2, 5.5, 6): the ordered severity levels and probability bands with their
 * definitions, the acceptability of each cell, how probability is estimated (one figure, or P1 × P2), an
 * exploitability scale that stands in for probability for security causes, the criteria for the overall residual
 * risk, and how often the risk file is reviewed. Versioned: each change is a new revision, audit-trailed.
 */
export const ZONES = ['acceptable', 'reduce', 'unacceptable'] as const;
export type Zone = (typeof ZONES)[number];
export const ZONE_RANK: Readonly<Record<Zone, number>> = { acceptable: 0, reduce: 1, unacceptable: 2 };
export const ZONE_LABEL: Readonly<Record<Zone, string>> = { acceptable: 'acceptable', reduce: 'reduce as far as possible', unacceptable: 'unacceptable' };

const Key = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,19}$/, 'level keys are short names like S3, P2 or HIGH');
const Level = z.strictObject({
  key: Key,
  name: storableText().trim().min(1).max(100),
  definition: storableText().trim().min(1).max(1000),
});
export type Level = z.infer<typeof Level>;
const Levels = z.array(Level).min(2).max(10);

export const RiskPolicySchema = z.strictObject({
  /** Ordered from least to most severe. */
  severity: Levels,
  /** Ordered from least to most likely. */
  probability: Levels,
  /** `single`: one probability per estimate; `p1xp2`: P1 (situation occurs) and P2 (situation leads to harm). */
  probabilityMode: z.enum(['single', 'p1xp2']),
  p1: Levels.optional(),
  p2: Levels.optional(),
  /** p1xp2: `combine[P1 key][P2 key]` is the probability band of the product. */
  combine: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  /** Exploitability scale for security causes, ordered from hardest to easiest to exploit. */
  exploitability: Levels,
  /** Which probability band each exploitability level stands for. */
  exploitabilityAsProbability: z.record(z.string(), z.string()),
  /** `security`: risks caused by a security threat may be estimated by exploitability instead of probability; `never`: not at all. */
  exploitabilityUse: z.enum(['security', 'never']).default('security'),
  /** `matrix[severity key][probability key]` is the zone of that cell. */
  matrix: z.record(z.string(), z.record(z.string(), z.enum(ZONES))),
  /** ISO 14971 8: how the overall residual risk is judged acceptable. */
  overallCriteria: storableText().trim().min(1).max(4000),
  /** ISO 14971 10: how often each risk is reviewed, in days. */
  reviewIntervalDays: z.number().int().min(1).max(3650),
});
export type RiskPolicy = z.infer<typeof RiskPolicySchema>;

/** A problem in a policy, with the path of the offending value (for line numbers in a YAML file). */
export interface PolicyProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * Checks what the schema cannot: unique keys, a complete matrix (every severity × probability cell), a complete
 * P1 × P2 table when used, every exploitability level mapped, and a monotone matrix (a cell is never in a better zone
 * than a cell of lower severity or probability), so that raising an estimate can never lower its zone.
 */
export function checkPolicy(p: RiskPolicy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const unique = (levels: readonly Level[], name: string): void => {
    const seen = new Set<string>();
    levels.forEach((l, i) => {
      if (seen.has(l.key)) out.push({ path: [name, i, 'key'], message: `duplicate level ${l.key}` });
      seen.add(l.key);
    });
  };
  unique(p.severity, 'severity');
  unique(p.probability, 'probability');
  unique(p.exploitability, 'exploitability');
  const probKeys = new Set(p.probability.map((l) => l.key));
  for (const s of p.severity) {
    const row = p.matrix[s.key];
    if (row === undefined) {
      out.push({ path: ['matrix'], message: `the matrix has no row for severity ${s.key}` });
      continue;
    }
    for (const q of p.probability) if (row[q.key] === undefined) out.push({ path: ['matrix', s.key], message: `the matrix has no cell for ${s.key} × ${q.key}` });
    for (const k of Object.keys(row)) if (!probKeys.has(k)) out.push({ path: ['matrix', s.key, k], message: `${k} is not a probability level` });
  }
  for (const k of Object.keys(p.matrix)) if (!p.severity.some((s) => s.key === k)) out.push({ path: ['matrix', k], message: `${k} is not a severity level` });
  if (out.length === 0) {
    p.severity.forEach((s, i) =>
      p.probability.forEach((q, j) => {
        const here = ZONE_RANK[p.matrix[s.key]?.[q.key] ?? 'acceptable'];
        const below = i > 0 ? ZONE_RANK[p.matrix[p.severity[i - 1]?.key ?? '']?.[q.key] ?? 'acceptable'] : -1;
        const left = j > 0 ? ZONE_RANK[p.matrix[s.key]?.[p.probability[j - 1]?.key ?? ''] ?? 'acceptable'] : -1;
        if (here < below || here < left) {
          out.push({ path: ['matrix', s.key, q.key], message: `${s.key} × ${q.key} is in a better zone than a cell of lower severity or probability: the matrix must not improve as risk grows` });
        }
      }),
    );
  }
  if (p.probabilityMode === 'p1xp2') {
    if (p.p1 === undefined || p.p2 === undefined || p.combine === undefined) out.push({ path: ['probabilityMode'], message: 'p1xp2 needs p1, p2 and combine' });
    else {
      for (const a of p.p1) {
        for (const b of p.p2) {
          const v = p.combine[a.key]?.[b.key];
          if (v === undefined) out.push({ path: ['combine'], message: `combine has no band for ${a.key} × ${b.key}` });
          else if (!probKeys.has(v)) out.push({ path: ['combine', a.key, b.key], message: `${v} is not a probability level` });
        }
      }
    }
  }
  for (const e of p.exploitability) {
    const v = p.exploitabilityAsProbability[e.key];
    if (v === undefined) out.push({ path: ['exploitabilityAsProbability'], message: `exploitability ${e.key} is not mapped to a probability band` });
    else if (!probKeys.has(v)) out.push({ path: ['exploitabilityAsProbability', e.key], message: `${v} is not a probability level` });
  }
  if (out.length === 0) out.push(...monotoneMappings(p));
  return out;
}

/** The P1 × P2 table and the exploitability mapping must not lower the band as their inputs rise. */
function monotoneMappings(p: RiskPolicy): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const band = new Map(p.probability.map((l, i) => [l.key, i]));
  const rank = (k: string | undefined): number => band.get(k ?? '') ?? -1;
  let prev = -1;
  for (const e of p.exploitability) {
    const here = rank(p.exploitabilityAsProbability[e.key]);
    if (here < prev) out.push({ path: ['exploitabilityAsProbability', e.key], message: `${e.key} maps to a lower probability band than an easier-to-exploit level before it would allow: bands must not fall as exploitability rises` });
    prev = Math.max(prev, here);
  }
  if (p.probabilityMode === 'p1xp2' && p.p1 !== undefined && p.p2 !== undefined && p.combine !== undefined) {
    const combine = p.combine;
    p.p1.forEach((a, i) =>
      p.p2?.forEach((b, j) => {
        const here = rank(combine[a.key]?.[b.key]);
        const up = i > 0 ? rank(combine[p.p1?.[i - 1]?.key ?? '']?.[b.key]) : -1;
        const left = j > 0 ? rank(combine[a.key]?.[p.p2?.[j - 1]?.key ?? '']) : -1;
        if (here < up || here < left) out.push({ path: ['combine', a.key, b.key], message: `${a.key} × ${b.key} gives a lower band than a lower P1 or P2 does: the table must not fall as P1 or P2 rises` });
      }),
    );
  }
  return out;
}

/** One estimate as stored on a risk record: a severity and a probability band, P1 and P2, or an exploitability level. */
export interface Estimate {
  readonly severity?: string | undefined;
  readonly probability?: string | undefined;
  readonly p1?: string | undefined;
  readonly p2?: string | undefined;
  readonly exploitability?: string | undefined;
}

/** An estimate evaluated against a policy: the probability band it comes to and the matrix cell's zone. */
export interface Evaluated {
  readonly severity: string;
  readonly probability: string;
  /** How the band was reached: `P3`, `P1 2 × P2 3`, or `E4`. */
  readonly basis: string;
  readonly zone: Zone;
}

/** The initial or residual estimate of a risk record's fields. */
export function estimateOf(fields: Readonly<Record<string, unknown>>, which: 'initial' | 'residual'): Estimate {
  const get = (name: string): string | undefined => {
    const v = fields[which === 'initial' ? name : `residual${name.charAt(0).toUpperCase()}${name.slice(1)}`];
    return typeof v === 'string' ? v : undefined;
  };
  return { severity: get('severity'), probability: get('probability'), p1: get('p1'), p2: get('p2'), exploitability: get('exploitability') };
}

/** True when any part of the estimate is given. */
export function hasEstimate(e: Estimate): boolean {
  return [e.severity, e.probability, e.p1, e.p2, e.exploitability].some((v) => v !== undefined);
}

/**
 * Evaluates an estimate under a policy, or says what is wrong with it (a level the policy lacks, a missing or
 * surplus part). Pure and cheap: it runs for every estimate on every policy change.
 */
export function evaluateEstimate(p: RiskPolicy, e: Estimate): Evaluated | { readonly problem: string; readonly field: string } {
  const has = (levels: readonly Level[] | undefined, k: string): boolean => levels?.some((l) => l.key === k) ?? false;
  const keys = (levels: readonly Level[] | undefined): string => (levels ?? []).map((l) => l.key).join(', ');
  if (e.severity === undefined) return { problem: 'has no severity', field: 'severity' };
  if (!has(p.severity, e.severity)) return { problem: `severity ${e.severity} is not a level of the policy (${keys(p.severity)})`, field: 'severity' };
  const given = [e.probability !== undefined, e.p1 !== undefined || e.p2 !== undefined, e.exploitability !== undefined].filter(Boolean).length;
  if (given === 0) return { problem: `has no probability${p.probabilityMode === 'p1xp2' ? ' (P1 and P2)' : ''} or exploitability`, field: p.probabilityMode === 'p1xp2' ? 'p1' : 'probability' };
  if (given > 1) return { problem: 'gives more than one of probability, P1 × P2 and exploitability: give one', field: 'probability' };
  let band: string;
  let basis: string;
  if (e.exploitability !== undefined) {
    if (p.exploitabilityUse === 'never') return { problem: 'uses exploitability, which the policy does not allow: give probability', field: 'exploitability' };
    if (!has(p.exploitability, e.exploitability)) return { problem: `exploitability ${e.exploitability} is not a level of the policy (${keys(p.exploitability)})`, field: 'exploitability' };
    band = p.exploitabilityAsProbability[e.exploitability] ?? '';
    basis = e.exploitability;
  } else if (e.probability !== undefined) {
    if (p.probabilityMode === 'p1xp2') return { problem: 'gives one probability, but the policy estimates P1 × P2: give p1 and p2', field: 'probability' };
    if (!has(p.probability, e.probability)) return { problem: `probability ${e.probability} is not a band of the policy (${keys(p.probability)})`, field: 'probability' };
    band = e.probability;
    basis = e.probability;
  } else {
    if (p.probabilityMode !== 'p1xp2') return { problem: 'gives P1 × P2, but the policy estimates one probability: give probability', field: 'p1' };
    if (e.p1 === undefined || !has(p.p1, e.p1)) return { problem: `P1 ${e.p1 ?? '(missing)'} is not a level of the policy (${keys(p.p1)})`, field: 'p1' };
    if (e.p2 === undefined || !has(p.p2, e.p2)) return { problem: `P2 ${e.p2 ?? '(missing)'} is not a level of the policy (${keys(p.p2)})`, field: 'p2' };
    band = p.combine?.[e.p1]?.[e.p2] ?? '';
    basis = `P1 ${e.p1} × P2 ${e.p2}`;
  }
  const zone = p.matrix[e.severity]?.[band];
  if (zone === undefined) return { problem: `the policy has no cell ${e.severity} × ${band}`, field: 'severity' };
  return { severity: e.severity, probability: band, basis, zone };
}

const lv = (key: string, name: string, definition: string): Level => ({ key, name, definition });
const A = 'acceptable';
const R = 'reduce';
const U = 'unacceptable';

/** The default policy: 5 severity levels × 5 probability bands, one probability figure, 5-level exploitability. */
export const DEFAULT_RISK_POLICY: RiskPolicy = {
  severity: [
    lv('S1', 'Negligible', 'Inconvenience or temporary discomfort; no injury.'),
    lv('S2', 'Minor', 'Temporary injury or impairment not needing medical intervention.'),
    lv('S3', 'Serious', 'Injury or impairment needing medical intervention; a delayed treatment that recovers.'),
    lv('S4', 'Critical', 'Permanent impairment or life-threatening injury.'),
    lv('S5', 'Catastrophic', 'Death.'),
  ],
  probability: [
    lv('P1', 'Improbable', 'Less than once in 1,000,000 uses.'),
    lv('P2', 'Remote', 'Between once in 1,000,000 and once in 10,000 uses.'),
    lv('P3', 'Occasional', 'Between once in 10,000 and once in 1,000 uses.'),
    lv('P4', 'Probable', 'Between once in 1,000 and once in 100 uses.'),
    lv('P5', 'Frequent', 'More than once in 100 uses.'),
  ],
  probabilityMode: 'single',
  exploitability: [
    lv('E1', 'Very hard', 'Needs physical access and expert knowledge; no known exploit.'),
    lv('E2', 'Hard', 'Needs adjacent network access and specialist tools.'),
    lv('E3', 'Moderate', 'Reachable over a network with some skill; public techniques exist.'),
    lv('E4', 'Easy', 'Reachable over a network with common tools.'),
    lv('E5', 'Very easy', 'Automated, public exploit; no authentication needed.'),
  ],
  exploitabilityAsProbability: { E1: 'P1', E2: 'P2', E3: 'P3', E4: 'P4', E5: 'P5' },
  exploitabilityUse: 'security',
  matrix: {
    S1: { P1: A, P2: A, P3: A, P4: A, P5: R },
    S2: { P1: A, P2: A, P3: A, P4: R, P5: R },
    S3: { P1: A, P2: R, P3: R, P4: U, P5: U },
    S4: { P1: R, P2: R, P3: U, P4: U, P5: U },
    S5: { P1: R, P2: U, P3: U, P4: U, P5: U },
  },
  overallCriteria:
    'The overall residual risk is acceptable when no individual residual risk is unacceptable, every residual risk in the ' +
    '"reduce as far as possible" zone has a benefit-risk analysis, and the medical benefit of the device outweighs the ' +
    'combined residual risks, as judged by the clinical lead and the risk manager.',
  reviewIntervalDays: 365,
};

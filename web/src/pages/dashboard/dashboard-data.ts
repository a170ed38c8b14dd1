/** Pure helpers of the dashboard: findings grouped, coverage worked out. No DOM, no React. */

export interface FindingLike {
  readonly id: string;
  readonly ruleId: string;
  readonly clause: string;
  readonly severity: string;
  readonly record: string | null;
}

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export function countBySeverity(findings: readonly FindingLike[]): SeverityCounts {
  const c: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) if (f.severity === 'error' || f.severity === 'warning' || f.severity === 'info') c[f.severity]++;
  return c;
}

/** Compares clause numbers as numbers part by part (`IEC 62304 5.10` after `5.9`). */
export function compareClauses(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Findings per standard clause, with counts per severity, in clause order. */
export function groupByClause(findings: readonly FindingLike[]): { clause: string; counts: SeverityCounts; total: number }[] {
  const m = new Map<string, FindingLike[]>();
  for (const f of findings) {
    const list = m.get(f.clause);
    if (list === undefined) m.set(f.clause, [f]);
    else list.push(f);
  }
  return [...m.entries()].sort(([a], [b]) => compareClauses(a, b)).map(([clause, list]) => ({ clause, counts: countBySeverity(list), total: list.length }));
}

/** Findings matching the URL's filters (severity, clause); undefined filters match everything. */
export function filterFindings<F extends FindingLike>(findings: readonly F[], f: { severity?: string | undefined; clause?: string | undefined }): F[] {
  return findings.filter((x) => (f.severity === undefined || x.severity === f.severity) && (f.clause === undefined || x.clause === f.clause));
}

/** A record key without its product (`RPM/SRS-3` → `SRS-3`). */
export function bareKey(key: string): string {
  const i = key.lastIndexOf('/');
  return i < 0 ? key : key.slice(i + 1);
}

/** The record an audit entity names (`RPM/SRS-12` → `SRS-12`); undefined for links, products and others. */
export function auditRecordKey(entityType: string, entityId: string): string | undefined {
  if (entityType !== 'record') return undefined;
  const k = bareKey(entityId);
  return /^[A-Z][A-Z0-9]*-\d+$/.test(k) ? k : undefined;
}

/** `RECORD_REVISED` → `Record revised`. */
export function humanAction(action: string): string {
  const s = action.toLowerCase().replaceAll('_', ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface Ratio {
  readonly covered: number;
  readonly total: number;
  /** 0–100, rounded to one decimal; null when there is nothing to cover. */
  readonly percent: number | null;
}

export function ratio(covered: number, total: number): Ratio {
  return { covered, total, percent: total === 0 ? null : Math.round((covered / total) * 1000) / 10 };
}

/** The record type of a key (`SRS-12` → `SRS`). */
export function typeOf(key: string): string {
  const k = bareKey(key);
  const i = k.lastIndexOf('-');
  return i < 0 ? k : k.slice(0, i);
}

/**
 * Requirements verified in a release: of the software requirements the release gate judged (its per-requirement
 * verdicts), those with a passing result in the release's own test runs.
 */
export function verifiedInRelease(verdicts: Readonly<Record<string, string>>, type = 'SRS'): Ratio {
  const own = Object.entries(verdicts).filter(([k]) => typeOf(k) === type);
  return ratio(own.filter(([, v]) => v === 'passed').length, own.length);
}

/** Newest baseline of each version, voided ones left out, oldest version first (the release list's order). */
export function countingReleases<R extends { readonly version: string; readonly baseline: number; readonly voidedAt: string | null }>(releases: readonly R[]): R[] {
  const newest = new Map<string, R>();
  for (const r of releases) {
    if (r.voidedAt !== null) continue;
    const seen = newest.get(r.version);
    if (seen === undefined || r.baseline > seen.baseline) newest.set(r.version, r);
  }
  const order = [...new Set(releases.map((r) => r.version))];
  return order.flatMap((v) => {
    const r = newest.get(v);
    return r === undefined ? [] : [r];
  });
}

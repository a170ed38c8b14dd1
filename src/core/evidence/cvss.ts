/**
 * CVSS base scores from vectors, so an advisory that publishes only a vector still gets a severity. Versions 3.0
 * and 3.1 are computed with FIRST's base-score equations; version 2 the same way (its own equations and NVD's
 * three bands); version 4.0 is not computed here (its score comes from a lookup of macro vectors): a v4.0 vector
 * alone gives no severity, and the caller says so.
 */

export type CvssSeverity = 'critical' | 'high' | 'medium' | 'low' | 'none';

export interface CvssScore {
  readonly version: '2.0' | '3.0' | '3.1';
  readonly score: number;
  readonly severity: CvssSeverity;
}

const V3 = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** Metrics of a vector `K:V/K:V…` (after its version prefix); undefined when a metric repeats or is malformed. */
function metrics(parts: readonly string[]): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (const p of parts) {
    const m = /^([A-Za-z]+):([A-Za-z])$/.exec(p);
    if (m === null || out.has(m[1] as string)) return undefined;
    out.set(m[1] as string, m[2] as string);
  }
  return out;
}

const pick = <T extends Record<string, number>>(table: T, key: string | undefined): number | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key as keyof T] : undefined;

/** CVSS 3.1 Roundup: the smallest number with one decimal that is ≥ the input, free of floating-point noise. */
function roundUp31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** Severity band of a CVSS v3/v4 score (0 none, 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10 critical). */
export function severityOfScore(score: number): CvssSeverity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

function v3(version: '3.0' | '3.1', parts: readonly string[]): CvssScore | undefined {
  const m = metrics(parts);
  if (m === undefined) return undefined;
  const scope = m.get('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const pr = m.get('PR');
  const prValue = pr === 'N' ? 0.85 : pr === 'L' ? (scope === 'C' ? 0.68 : 0.62) : pr === 'H' ? (scope === 'C' ? 0.5 : 0.27) : undefined;
  const av = pick(V3.AV, m.get('AV'));
  const ac = pick(V3.AC, m.get('AC'));
  const ui = pick(V3.UI, m.get('UI'));
  const c = pick(V3.CIA, m.get('C'));
  const i = pick(V3.CIA, m.get('I'));
  const a = pick(V3.CIA, m.get('A'));
  if (av === undefined || ac === undefined || ui === undefined || c === undefined || i === undefined || a === undefined || prValue === undefined) {
    return undefined;
  }
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15);
  const exploitability = 8.22 * av * ac * prValue * ui;
  const roundUp = version === '3.1' ? roundUp31 : (x: number): number => Math.ceil(x * 10) / 10;
  const score = impact <= 0 ? 0 : roundUp(Math.min((scope === 'U' ? 1 : 1.08) * (impact + exploitability), 10));
  return { version, score, severity: severityOfScore(score) };
}

const V2 = {
  AV: { L: 0.395, A: 0.646, N: 1 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  CIA: { N: 0, P: 0.275, C: 0.66 },
} as const;

function v2(parts: readonly string[]): CvssScore | undefined {
  const m = metrics(parts);
  if (m === undefined) return undefined;
  const av = pick(V2.AV, m.get('AV'));
  const ac = pick(V2.AC, m.get('AC'));
  const au = pick(V2.Au, m.get('Au'));
  const c = pick(V2.CIA, m.get('C'));
  const i = pick(V2.CIA, m.get('I'));
  const a = pick(V2.CIA, m.get('A'));
  if (av === undefined || ac === undefined || au === undefined || c === undefined || i === undefined || a === undefined) return undefined;
  const impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  const exploitability = 20 * av * ac * au;
  const score = impact === 0 ? 0 : Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * 1.176 * 10) / 10;
  // NVD's v2 bands: low below 4.0, medium below 7.0, high from 7.0 (v2 has no critical).
  return { version: '2.0', score, severity: score === 0 ? 'none' : score < 4 ? 'low' : score < 7 ? 'medium' : 'high' };
}

/**
 * The base score and severity of a CVSS v2, v3.0 or v3.1 vector; undefined for v4.0 (not computed), for other
 * versions and for malformed vectors. Temporal and environmental metrics in the vector are ignored (base only).
 */
export function cvssBaseScore(vector: string): CvssScore | undefined {
  const parts = vector.trim().replace(/^\(|\)$/g, '').split('/');
  const head = parts[0] ?? '';
  const base = (keys: readonly string[]): string[] | undefined => {
    const rest = parts.slice(1).filter((p) => keys.includes(p.split(':')[0] ?? ''));
    return rest.length === keys.length ? rest : undefined;
  };
  if (head === 'CVSS:3.0' || head === 'CVSS:3.1') {
    const b = base(['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A']);
    return b === undefined ? undefined : v3(head === 'CVSS:3.0' ? '3.0' : '3.1', b);
  }
  // v2 vectors carry no prefix (`AV:N/AC:L/Au:N/C:P/I:P/A:P`), sometimes `CVSS:2.0/`; v4.0 is not computed.
  if (head.startsWith('CVSS:') && head !== 'CVSS:2.0') return undefined;
  const all = parts.filter((p) => ['AV', 'AC', 'Au', 'C', 'I', 'A'].includes(p.split(':')[0] ?? ''));
  return all.length === 6 ? v2(all) : undefined;
}

/** The CVSS version a vector names (`CVSS:4.0/…` → '4.0'; a bare `AV:…/Au:…` vector → '2.0'), or undefined. */
export function cvssVersionOf(vector: string): string | undefined {
  const m = /^CVSS:(\d\.\d)\//.exec(vector.trim());
  if (m !== null) return m[1];
  return /(^|\/)Au:[MSN](\/|$)/.test(vector) ? '2.0' : undefined;
}

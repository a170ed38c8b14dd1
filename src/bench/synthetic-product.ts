import type { NewLink } from '../core/use-cases/add-links.js';
import type { NewRecord } from '../core/use-cases/add-records.js';

/** Share of each record type in a synthetic product of realistic shape. */
const MIX: readonly (readonly [string, number])[] = [
  ['UN', 0.04], ['SYS', 0.08], ['SRS', 0.3], ['SWI', 0.06], ['TC', 0.34],
  ['HAZ', 0.02], ['HS', 0.04], ['HARM', 0.02], ['RC', 0.05], ['SOUP', 0.05],
];

/** Link patterns `[from type, link type, to type]`, tried in turn so links spread over the whole graph. */
const PATTERNS: readonly (readonly [string, string, string])[] = [
  ['SYS', 'derives_from', 'UN'], ['SRS', 'derives_from', 'SYS'], ['SWI', 'implements', 'SRS'], ['TC', 'verifies', 'SRS'],
  ['TC', 'verifies', 'SYS'], ['HAZ', 'leads_to', 'HS'], ['HS', 'results_in', 'HARM'], ['RC', 'mitigates', 'HS'],
  ['SRS', 'implements', 'RC'], ['TC', 'verifies', 'RC'], ['SWI', 'uses', 'SOUP'], ['SRS', 'refines', 'SRS'],
];

const FIELDS: Record<string, Record<string, unknown>> = {
  SWI: { level: 'unit', safetyClass: 'C' },
  TC: { level: 'unit', steps: [{ action: 'run', expected: 'passes' }], automated: true },
  HAZ: { category: 'technical' },
  RC: { option: 'protective_measure' },
  SOUP: { package: 'left-pad', version: '1.3.0' },
  SRS: { riskControl: false, category: 'functional' },
};

/** A deterministic pseudo-random generator (mulberry32), so every run builds the same product. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Records and links of a synthetic product: `records` records and about `links` links, all catalog-valid. */
export function syntheticProduct(records: number, links: number): { records: NewRecord[]; links: NewLink[] } {
  const rand = rng(42);
  const counts = new Map<string, number>();
  const out: NewRecord[] = [];
  let left = records;
  MIX.forEach(([type, share], i) => {
    const n = i === MIX.length - 1 ? left : Math.round(records * share);
    left -= n;
    counts.set(type, n);
    for (let k = 1; k <= n; k++) {
      out.push({
        type,
        title: `${type} ${k}: synthetic ${type === 'TC' ? 'test of' : 'statement about'} behaviour ${Math.floor(rand() * 1e6)}`,
        body: `Generated for benchmarking. ${'Lorem ipsum dolor sit amet. '.repeat(1 + Math.floor(rand() * 4))}`,
        fields: FIELDS[type] ?? {},
      });
    }
  });
  const seen = new Set<string>();
  const linksOut: NewLink[] = [];
  for (let i = 0; linksOut.length < links && i < links * 3; i++) {
    const [from, type, to] = PATTERNS[i % PATTERNS.length] ?? PATTERNS[0]!;
    const nf = counts.get(from) ?? 0;
    const nt = counts.get(to) ?? 0;
    if (nf === 0 || nt === 0) continue;
    const a = 1 + Math.floor(rand() * nf);
    const b = 1 + Math.floor(rand() * nt);
    if (from === to && a === b) continue;
    const key = `${from}-${a}:${type}:${to}-${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    linksOut.push({ from: `${from}-${a}`, type, to: `${to}-${b}` });
  }
  return { records: out, links: linksOut };
}

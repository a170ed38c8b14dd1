import type { NewLink } from '../app/use-cases/add-links.js';
import type { NewRecord } from '../app/use-cases/add-records.js';

/** Share of each record type in a synthetic product of realistic shape. */
const MIX: readonly (readonly [string, number])[] = [
  ['UN', 0.04], ['SYS', 0.08], ['SRS', 0.3], ['SWI', 0.06], ['TC', 0.34], ['VAL', 0.01],
  ['HAZ', 0.02], ['HS', 0.04], ['HARM', 0.02], ['RC', 0.04], ['SOUP', 0.05],
];

/**
 * How records link, as a real team's would: `[from, link type, to, links per record of the iterated side, side]`.
 * Targets are chosen by position (record k of one type links near record k·n_to/n_from of the other), so the
 * graph is a forest of traces like a real product's, not a random graph where everything reaches everything.
 */
const PATTERNS: readonly (readonly [string, string, string, number, 'from' | 'to'])[] = [
  ['SYS', 'derives_from', 'UN', 2, 'from'],
  ['SRS', 'derives_from', 'SYS', 2, 'from'],
  ['SWI', 'implements', 'SRS', 10, 'from'],
  ['TC', 'verifies', 'SRS', 3, 'from'],
  ['TC', 'verifies', 'SYS', 1, 'from'],
  ['VAL', 'validates', 'UN', 4, 'from'],
  ['HAZ', 'leads_to', 'HS', 2, 'from'],
  ['HS', 'results_in', 'HARM', 1, 'from'],
  ['RC', 'mitigates', 'HS', 1, 'from'],
  ['SRS', 'implements', 'RC', 2, 'to'],
  ['TC', 'verifies', 'RC', 2, 'to'],
  ['SWI', 'uses', 'SOUP', 2, 'to'],
  ['SWI', 'causes', 'HAZ', 1, 'to'],
];

const FIELDS: Record<string, Record<string, unknown>> = {
  SWI: { level: 'item', safetyClass: 'C' },
  TC: { level: 'unit', steps: [{ action: 'run', expected: 'passes' }], automated: true },
  VAL: { method: 'usability_test' },
  HAZ: { category: 'technical' },
  HARM: { severity: 'S3' },
  RC: { option: 'protective_measure' },
  SOUP: { package: 'left-pad', version: '1.3.0', supplier: 'npm' },
  SRS: { riskControl: true, category: 'functional' },
};

/**
 * Records and links of a synthetic product: `records` records (plus one development plan) and about `links`
 * links (≈ 3.2 per record before any is left out), all valid in the catalog. Deterministic.
 */
export function syntheticProduct(records: number, links: number): { records: NewRecord[]; links: NewLink[] } {
  const counts = new Map<string, number>();
  const out: NewRecord[] = [{ type: 'DOC', title: 'Software development plan', fields: { docType: 'plan' } }];
  let left = records - 1;
  MIX.forEach(([type, share], i) => {
    const n = i === MIX.length - 1 ? left : Math.max(1, Math.round(records * share));
    left -= n;
    counts.set(type, n);
    for (let k = 1; k <= n; k++) {
      out.push({
        type,
        title: `${type} ${k}: synthetic ${type === 'TC' ? 'test of' : 'statement about'} behaviour ${(k * 7919) % 100_000}`,
        body: `Generated for benchmarking. ${'Lorem ipsum dolor sit amet. '.repeat(1 + (k % 4))}`,
        fields: FIELDS[type] ?? {},
      });
    }
  });
  const linksOut: NewLink[] = [];
  for (const [from, type, to, per, side] of PATTERNS) {
    const nf = counts.get(from) ?? 0;
    const nt = counts.get(to) ?? 0;
    const [nIter, nOther] = side === 'from' ? [nf, nt] : [nt, nf];
    if (nIter === 0 || nOther === 0) continue;
    for (let k = 0; k < nIter; k++) {
      const base = Math.floor((k * nOther) / nIter);
      for (let j = 0; j < Math.min(per, nOther); j++) {
        const other = ((base + j) % nOther) + 1;
        const [a, b] = side === 'from' ? [k + 1, other] : [other, k + 1];
        linksOut.push({ from: `${from}-${a}`, type, to: `${to}-${b}` });
      }
    }
  }
  const unique = [...new Map(linksOut.map((l) => [`${l.from} ${l.type} ${l.to}`, l])).values()];
  // Spread the cut evenly over the patterns when fewer links are asked for than the shape has.
  const keep = Math.min(1, links / Math.max(1, unique.length));
  return { records: out, links: keep === 1 ? unique : unique.filter((_, i) => Math.floor((i + 1) * keep) > Math.floor(i * keep)) };
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isAppError } from '../core/errors.js';
import { checkPolicy, DEFAULT_RISK_POLICY } from '../core/risk/policy.js';
import { parseRiskPolicy } from './risk-policy-file.js';

const GOOD = stringify(DEFAULT_RISK_POLICY);

function errorOf(text: string): string {
  try {
    const p = parseRiskPolicy(text, 'policy.yaml');
    // Whatever parses is a sound policy.
    expect(checkPolicy(p)).toEqual([]);
    return 'no error';
  } catch (e) {
    if (!isAppError(e, 'INVALID_INPUT')) throw e;
    return e.message;
  }
}

describe('risk policy files', () => {
  it('read back the policy `risk policy show` prints', () => {
    expect(parseRiskPolicy(GOOD, 'policy.yaml')).toEqual(DEFAULT_RISK_POLICY);
  });

  it('name the line of a wrong value, a missing cell and a non-monotone cell [DOSSIER-SRS-23]', () => {
    expect(errorOf(GOOD.replace('reviewIntervalDays: 365', 'reviewIntervalDays: forever'))).toMatch(/^policy\.yaml:\d+:\d+: reviewIntervalDays: /);
    const lines = GOOD.split('\n');
    const p5 = lines.findIndex((l, i) => l.trim().startsWith('P5:') && lines.slice(0, i).some((x) => x.startsWith('matrix:')));
    const holed = lines.filter((_, i) => i !== p5).join('\n');
    expect(errorOf(holed)).toMatch(/^policy\.yaml:\d+:\d+: matrix\.S1: the matrix has no cell for S1 × P5$/);
    expect(errorOf(GOOD.replace(/(S5:\n\s+P1: )reduce/, '$1acceptable'))).toMatch(/^policy\.yaml:\d+:\d+: matrix\.S5\.P1: S5 × P1 is in a better zone/);
  });

  it('never crash on mutated files: a sound policy or a clear error with a line', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string({ maxLength: 4 }), (at, junk) => {
        const pos = at % (GOOD.length + 1);
        const m = errorOf(GOOD.slice(0, pos) + junk + GOOD.slice(pos));
        expect(m === 'no error' || /^policy\.yaml:\d+:\d+: /.test(m)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

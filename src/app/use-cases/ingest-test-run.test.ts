import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedTestCase } from '../../core/evidence/test-results.js';
import { isParsedTestCase, ParsedTestCaseSchema } from './ingest-test-run.js';

const valid: ParsedTestCase = {
  suites: ['s', 'inner'],
  classname: 'unit',
  name: '[TC-1] refuses TLS 1.2',
  file: 'tls.test.ts',
  outcome: 'failed',
  durationMs: 1.5,
  message: 'expected 1 but was 2',
  failureType: 'AssertionError',
  line: 12,
  systemOut: 'out',
  systemErr: null,
  attempts: 2,
  flaky: true,
  report: 'run.xml',
  properties: [['verifies', 'SRS-1']],
  at: 'run.xml:4',
};

/** Values a field might hold in a bad (or hostile) body: wrong types, non-finite numbers, unstorable text. */
const ODD = fc.constantFrom<unknown>(
  null, undefined, 0, 1, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60, '', 'x', 'a\u0000b', '\uD800', '\uD83D\uDE00', true, false,
  [], ['x'], ['\u0000'], [['a', 'b']], [['a']], [['a', 'b', 'c']], [['a', 1]], {}, 'passed', 'exploded', 'flaky',
);

describe('isParsedTestCase', () => {
  it('accepts a parsed case', () => {
    expect(isParsedTestCase(valid)).toBe(true);
    expect(ParsedTestCaseSchema.safeParse(valid).success).toBe(true);
  });

  it('gives the same answer as ParsedTestCaseSchema for any change to any field', () => {
    const keys = Object.keys(valid);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys, 'extra'), ODD, { maxKeys: 4 }), fc.subarray(keys, { maxLength: 2 }), (changes, dropped) => {
        const c: Record<string, unknown> = { ...valid, ...changes };
        for (const k of dropped) delete c[k];
        expect(isParsedTestCase(c)).toBe(ParsedTestCaseSchema.safeParse(c).success);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses what is not an object', () => {
    for (const x of [null, undefined, 'case', 1, [valid]]) expect([isParsedTestCase(x), ParsedTestCaseSchema.safeParse(x).success]).toEqual([false, false]);
  });
});

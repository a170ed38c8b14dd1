import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../hashing.js';
import { evidenceDigestEntry, evidenceDigestText, type EvidenceRole } from './model.js';
import { testResultData, testResultDataJson, type TestResultData } from './test-result-data.js';
import { TEST_OUTCOMES, type ParsedTestCase } from './test-results.js';

/** Any UTF-16 text: code points of every plane, control characters, and lone surrogates (JSON escapes those). */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), maxLength: 30 }),
  fc.constantFrom('', '"', '\\', '\u2028', '\u0000', '\ud800', 'é', '😀', 'constructor', '__proto__'),
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e21, 1e-7, 2 ** 53, 0.1 + 0.2));
const nullable = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { nil: null });

const data: fc.Arbitrary<TestResultData> = fc.record(
  {
    suites: fc.array(text, { maxLength: 4 }),
    classname: nullable(text),
    name: text,
    file: nullable(text),
    durationMs: nullable(number),
    message: nullable(text),
    report: text,
    line: number,
    failureType: text,
    systemOut: text,
    systemErr: text,
    attempts: number,
    flaky: fc.constant(true as const),
    properties: fc.array(fc.tuple(text, text), { maxLength: 4 }),
  },
  { requiredKeys: ['suites', 'classname', 'name', 'file', 'durationMs', 'message', 'report'] },
);

const parsedCase: fc.Arbitrary<ParsedTestCase> = fc.record({
  suites: fc.array(text, { maxLength: 3 }),
  classname: nullable(text),
  name: text,
  file: nullable(text),
  outcome: fc.constantFrom(...TEST_OUTCOMES),
  durationMs: nullable(fc.nat()),
  message: nullable(text),
  failureType: nullable(text),
  line: nullable(fc.integer({ min: 1 })),
  systemOut: nullable(text),
  systemErr: nullable(text),
  attempts: fc.integer({ min: 1, max: 5 }),
  flaky: fc.boolean(),
  report: text,
  properties: fc.array(fc.tuple(text, text), { maxLength: 60 }),
  at: text,
});

describe('testResultDataJson', () => {
  it('writes exactly the canonical JSON (RFC 8785, the canonicalize library) of any test result data', () => {
    fc.assert(
      fc.property(data, (d) => {
        expect(testResultDataJson(d)).toBe(canonicalJson(d));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes exactly the canonical JSON of the data of any parsed test case', () => {
    fc.assert(
      fc.property(parsedCase, (c) => {
        const d = testResultData(c);
        expect(testResultDataJson(d)).toBe(canonicalJson(d));
        // At most 50 properties are kept; nothing the producer did not write appears.
        expect(d.properties?.length ?? 0).toBe(Math.min(50, c.properties.length));
        expect('line' in d).toBe(c.line !== null);
        expect('attempts' in d).toBe(c.attempts > 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a number that has no JSON form, as canonicalJson does', () => {
    const d: TestResultData = { suites: [], classname: null, name: 'n', file: null, durationMs: Number.NaN, message: null, report: 'r' };
    expect(() => testResultDataJson(d)).toThrow(/NaN/);
    expect(() => testResultDataJson({ ...d, durationMs: 1, line: Number.POSITIVE_INFINITY })).toThrow(/Infinity/);
  });
});

describe('evidenceDigestText', () => {
  it('is the canonical JSON of the digest entry of any item', () => {
    const role = fc.constantFrom<EvidenceRole>('result_of', 'verifies', 'implements', 'fixes', 'refs', 'component_of');
    fc.assert(
      fc.property(
        text,
        text,
        nullable(text),
        data,
        fc.array(fc.record({ recordId: fc.oneof(fc.nat(), number), role }), { maxLength: 4 }),
        (kind, key, outcome, d, refs) => {
          const item = { kind: kind as 'test_result', key, outcome, data: d, refs };
          expect(evidenceDigestText(item, canonicalJson(d))).toBe(canonicalJson(evidenceDigestEntry(item)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

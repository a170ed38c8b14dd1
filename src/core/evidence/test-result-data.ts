import { canonicalJson } from '../hashing.js';
import type { ParsedTestCase } from './test-results.js';

/**
 * What a test result item stores as its data (`EvidenceItem.data` of kind `test_result`). A type, not an interface,
 * so that it is a `Record<string, unknown>` as item data must be.
 */
export type TestResultData = {
  readonly suites: readonly string[];
  readonly classname: string | null;
  readonly name: string;
  readonly file: string | null;
  readonly durationMs: number | null;
  readonly message: string | null;
  readonly report: string;
  readonly line?: number;
  readonly failureType?: string;
  readonly systemOut?: string;
  readonly systemErr?: string;
  readonly attempts?: number;
  readonly flaky?: true;
  readonly properties?: readonly (readonly [string, string])[];
};

/** Most properties kept per result. */
const MAX_PROPERTIES = 50;

/** The data a parsed test case is stored with: only what the producer wrote, so results of simple producers stay small. */
export function testResultData(c: ParsedTestCase): TestResultData {
  const d: { -readonly [K in keyof TestResultData]: TestResultData[K] } = {
    suites: c.suites,
    classname: c.classname,
    name: c.name,
    file: c.file,
    durationMs: c.durationMs,
    message: c.message,
    report: c.report,
  };
  if (c.line !== null) d.line = c.line;
  if (c.failureType !== null) d.failureType = c.failureType;
  if (c.systemOut !== null) d.systemOut = c.systemOut;
  if (c.systemErr !== null) d.systemErr = c.systemErr;
  if (c.attempts > 1) d.attempts = c.attempts;
  if (c.flaky) d.flaky = true;
  if (c.properties.length > 0) d.properties = c.properties.slice(0, MAX_PROPERTIES);
  return d;
}

// RFC 8785 3.2.2: strings and numbers in canonical JSON are exactly what ECMAScript's JSON.stringify writes.
const str = (s: string): string => JSON.stringify(s);
const strOrNull = (s: string | null): string => (s === null ? 'null' : JSON.stringify(s));
/** A finite number as JSON; NaN and infinities go to `canonicalJson`, which refuses them as it always did. */
const num = (n: number): string => (Number.isFinite(n) ? JSON.stringify(n) : canonicalJson(n));

/**
 * `canonicalJson(d)`, byte for byte, written for this one flat shape: the keys in their sorted order, no sort and
 * no generic walk per value. Recording 100,000 results spends most of its serializing time here.
 * @throws Error when a number is NaN or infinite (as `canonicalJson` does)
 */
export function testResultDataJson(d: TestResultData): string {
  // Keys in UTF-16 code-unit order (RFC 8785 3.2.3); a key whose value is undefined is left out, as JCS does.
  let s = '{';
  if (d.attempts !== undefined) s += `"attempts":${num(d.attempts)},`;
  s += `"classname":${strOrNull(d.classname)},"durationMs":${d.durationMs === null ? 'null' : num(d.durationMs)}`;
  if (d.failureType !== undefined) s += `,"failureType":${str(d.failureType)}`;
  s += `,"file":${strOrNull(d.file)}`;
  if (d.flaky !== undefined) s += `,"flaky":${String(d.flaky)}`;
  if (d.line !== undefined) s += `,"line":${num(d.line)}`;
  s += `,"message":${strOrNull(d.message)},"name":${str(d.name)}`;
  if (d.properties !== undefined) {
    s += ',"properties":[';
    for (let i = 0; i < d.properties.length; i++) {
      const p = d.properties[i] as readonly [string, string];
      s += `${i === 0 ? '' : ','}[${str(p[0])},${str(p[1])}]`;
    }
    s += ']';
  }
  s += `,"report":${str(d.report)},"suites":[`;
  for (let i = 0; i < d.suites.length; i++) s += `${i === 0 ? '' : ','}${str(d.suites[i] as string)}`;
  s += ']';
  if (d.systemErr !== undefined) s += `,"systemErr":${str(d.systemErr)}`;
  if (d.systemOut !== undefined) s += `,"systemOut":${str(d.systemOut)}`;
  return `${s}}`;
}

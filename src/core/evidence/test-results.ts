import { z } from 'zod';

/** What the parsers give the test-run import: one test case's result, dialect differences already resolved. */
export const TestOutcomeSchema = z.enum(['passed', 'failed', 'error', 'skipped', 'flaky']);
export type TestOutcome = z.infer<typeof TestOutcomeSchema>;
export const TEST_OUTCOMES: readonly TestOutcome[] = TestOutcomeSchema.options;

export interface ParsedTestCase {
  /** Names of the enclosing suites, outermost first. */
  readonly suites: readonly string[];
  readonly classname: string | null;
  readonly name: string;
  readonly file: string | null;
  readonly outcome: TestOutcome;
  readonly durationMs: number | null;
  /** The failure, error or skip message and its body (capped: head and tail, with what was cut said), if any. */
  readonly message: string | null;
  /** The failure's or error's `type` (an exception class, an assertion kind). */
  readonly failureType: string | null;
  /** The test's source line, when the producer writes one (GoogleTest, pytest xunit1, Playwright …). */
  readonly line: number | null;
  /** `<system-out>` / `<system-err>` of the test case (capped like the message). */
  readonly systemOut: string | null;
  readonly systemErr: string | null;
  /**
   * How many times the test ran in this file: retries written as repeated `<testcase>` elements are folded into
   * one result (the last attempt decides; passing after a failure is `flaky`).
   */
  readonly attempts: number;
  /** True when the attempts (or Surefire's flaky/rerun elements) disagreed. */
  readonly flaky: boolean;
  /** The JUnit file it came from. */
  readonly report: string;
  /** `<property name value>` pairs of the test case (verifies, requirement, Playwright annotations …). */
  readonly properties: readonly (readonly [string, string])[];
  /** Where the test case starts in its file, for messages. */
  readonly at: string;
}

/** Facts a JUnit file states about its run (earliest suite timestamp as ISO-8601 UTC, host, suite properties). */
export interface ParsedRunFacts {
  startedAt: string | null;
  hostname: string | null;
  properties: Record<string, string>;
}

/**
 * The test's full name as Dossier keys it: `file::classname::name` when the producer names the test's file,
 * else `classname::name` (suite name when there is no classname), so equal names in different files do not collide.
 */
export function testKey(t: Pick<ParsedTestCase, 'suites' | 'classname' | 'name' | 'file'>): string {
  const head = `${t.classname ?? t.suites.at(-1) ?? ''}::${t.name}`;
  return t.file === null || t.file === t.classname ? head : `${t.file}::${head}`;
}

const NO_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A time as ISO-8601 UTC (`2026-11-20T09:14:03.120Z`), or null when it is not a date and time. A time without a
 * zone (Surefire and GoogleTest write local time without one) is taken as UTC: the file does not say, and reading
 * it in the importing machine's zone would make the same file mean different instants on different machines.
 */
export function utcTime(text: string): string | null {
  const t = text.trim();
  const ms = Date.parse(NO_ZONE.test(t) ? `${t.replace(' ', 'T')}Z` : t);
  return Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(t) ? null : new Date(ms).toISOString();
}

/**
 * The names a test result can be matched by against a test case's `automationId` or a mapping file: its name, its
 * class name, its file, and class-qualified names in the usual spellings.
 */
export function testMatchKeys(t: Pick<ParsedTestCase, 'suites' | 'classname' | 'name' | 'file'>): string[] {
  const keys = [t.name, testKey(t)];
  if (t.classname !== null) keys.push(t.classname, `${t.classname}.${t.name}`, `${t.classname} > ${t.name}`);
  if (t.file !== null) keys.push(t.file, `${t.file}::${t.name}`);
  return keys;
}

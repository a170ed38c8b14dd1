/** What the parsers give the test-run import: one test case's result, dialect differences already resolved. */
export type TestOutcome = 'passed' | 'failed' | 'error' | 'skipped' | 'flaky';
export const TEST_OUTCOMES: readonly TestOutcome[] = ['passed', 'failed', 'error', 'skipped', 'flaky'];

export interface ParsedTestCase {
  /** Names of the enclosing suites, outermost first. */
  readonly suites: readonly string[];
  readonly classname: string | null;
  readonly name: string;
  readonly file: string | null;
  readonly outcome: TestOutcome;
  readonly durationMs: number | null;
  /** The failure, error or skip message (first line of it, and some of the body), if any. */
  readonly message: string | null;
  /** `<property name value>` pairs of the test case (verifies, requirement, Playwright annotations …). */
  readonly properties: readonly (readonly [string, string])[];
  /** Where the test case starts in its file, for messages. */
  readonly at: string;
}

/** Facts a JUnit file states about its run (earliest suite timestamp, host, suite properties). */
export interface ParsedRunFacts {
  startedAt: string | null;
  hostname: string | null;
  properties: Record<string, string>;
}

/** The test's full name as Dossier keys it: `classname::name` (suite name when there is no classname). */
export function testKey(t: Pick<ParsedTestCase, 'suites' | 'classname' | 'name'>): string {
  return `${t.classname ?? t.suites.at(-1) ?? ''}::${t.name}`;
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

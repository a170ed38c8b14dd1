import type { EvidenceItem } from './model.js';

/** What test results say about a record: the newest run that ran a test of it decides. */
export type Verdict = 'passed' | 'failed' | 'not_run';

/** Results as the verdicts need them. */
export type ResultItem = Pick<EvidenceItem, 'id' | 'importId' | 'key' | 'outcome' | 'refs'>;

/** The verdicts of a set of test results, and the results that decided them. */
export interface TestVerdicts<T extends ResultItem> {
  /** Per record the results name (test cases, requirements): its verdict. */
  readonly byRecord: Map<number, Verdict>;
  /** Per test that names no record (by its key): its verdict. */
  readonly byTest: Map<string, Verdict>;
  /**
   * The results that decided a verdict, in item order: for each record (and each unmapped test), the results of
   * the newest run that ran it. A result only in older runs (a test renamed, moved or dropped since) is not here.
   */
  readonly deciding: readonly T[];
}

/** Outcomes that say a test was run; `skipped` (and no outcome) say it was not. */
const RAN = new Set(['passed', 'failed', 'error', 'flaky']);

/**
 * The one rule for test verdicts, used by `check`, the risk file, the release gate and release diff. A test case
 * is identified by the record it is mapped to (a `[TC-n]` tag, a property, a mapping file or its `automationId`),
 * not by the JUnit name, which changes when a test is renamed, parameterised or moved.
 *
 * - Per record: among the runs (imports, in import order) with a result that ran a test mapped to it, the newest
 *   decides: failed if any of its results in that run failed or errored, else passed (passed or flaky).
 * - A skipped result is not a result: a run that only skipped a record's tests leaves the earlier verdict standing.
 * - A JUnit name that stops appearing does not keep a record failed: only the newest run counts.
 * - Tests that name no record are judged the same way per key.
 * - No result that ran: not run.
 *
 * Void runs must be left out by the caller (the store and the release evidence do).
 * @param results - results of any number of runs, in any order
 */
export function testVerdicts<T extends ResultItem>(results: readonly T[]): TestVerdicts<T> {
  /** Per identity (`r<id>` or `t<key>`): the newest run seen, and its results. */
  const newest = new Map<string, { importId: number; results: T[] }>();
  const note = (identity: string, r: T): void => {
    const n = newest.get(identity);
    if (n === undefined || r.importId > n.importId) newest.set(identity, { importId: r.importId, results: [r] });
    else if (r.importId === n.importId) n.results.push(r);
  };
  for (const r of results) {
    if (r.outcome === null || !RAN.has(r.outcome)) continue;
    if (r.refs.length === 0) note(`t${r.key}`, r);
    else for (const recordId of new Set(r.refs.map((x) => x.recordId))) note(`r${recordId}`, r);
  }
  const byRecord = new Map<number, Verdict>();
  const byTest = new Map<string, Verdict>();
  const deciding = new Map<number, T>();
  for (const [identity, n] of newest) {
    const verdict: Verdict = n.results.some((r) => r.outcome === 'failed' || r.outcome === 'error') ? 'failed' : 'passed';
    if (identity.startsWith('r')) byRecord.set(Number(identity.slice(1)), verdict);
    else byTest.set(identity.slice(1), verdict);
    for (const r of n.results) deciding.set(r.id, r);
  }
  return { byRecord, byTest, deciding: [...deciding.values()].sort((a, b) => a.importId - b.importId || a.id - b.id) };
}

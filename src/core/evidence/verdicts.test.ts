import { describe, expect, it } from 'vitest';
import { testVerdicts, type ResultItem } from './verdicts.js';

let nextId = 1;
/** A result of run `run` for test `key`, naming records `records` (by ID). */
const result = (run: number, key: string, outcome: string, ...records: number[]): ResultItem => ({
  id: nextId++,
  importId: run,
  key,
  outcome,
  refs: records.map((recordId) => ({ recordId, role: 'result_of' as const })),
});
const byRecord = (results: ResultItem[]): Record<number, string> => Object.fromEntries(testVerdicts(results).byRecord);

describe('testVerdicts', () => {
  it('a test renamed after it failed: the newest run decides, the old name does not keep the test case failed', () => {
    const history = [result(1, 'ui::login works [TC-5]', 'failed', 5), result(2, 'ui::signs in with a valid password [TC-5]', 'passed', 5)];
    expect(byRecord(history)).toEqual({ 5: 'passed' });
    // Given in any order, the same.
    expect(byRecord([...history].reverse())).toEqual({ 5: 'passed' });
  });

  it('a parameterised test: one failing case of the newest run fails the test case; the next run passing all clears it [DOSSIER-SRS-19]', () => {
    const run1 = [result(1, 'limits[0]', 'passed', 7), result(1, 'limits[1]', 'failed', 7), result(1, 'limits[2]', 'passed', 7)];
    expect(byRecord(run1)).toEqual({ 7: 'failed' });
    const run2 = [result(2, 'limits[low]', 'passed', 7), result(2, 'limits[high]', 'flaky', 7)];
    expect(byRecord([...run1, ...run2])).toEqual({ 7: 'passed' });
  });

  it('a test moved to another file passes while the old file\'s failing result is only in older runs', () => {
    const history = [result(1, 'old/a.test.ts::x', 'error', 3), result(1, 'b.test.ts::y', 'passed', 4), result(2, 'new/a.test.ts::x', 'passed', 3)];
    expect(byRecord(history)).toEqual({ 3: 'passed', 4: 'passed' });
  });

  it('a newer failure replaces an older pass [DOSSIER-SRS-19]', () => {
    expect(byRecord([result(1, 'a', 'passed', 1), result(2, 'a', 'failed', 1)])).toEqual({ 1: 'failed' });
  });

  it('a run that only skipped a test case leaves the earlier verdict; never run at all is absent (not run) [DOSSIER-SRS-19]', () => {
    expect(byRecord([result(1, 'a', 'failed', 1), result(2, 'a', 'skipped', 1)])).toEqual({ 1: 'failed' });
    expect(byRecord([result(1, 'a', 'passed', 1), result(2, 'a', 'skipped', 1), result(2, 'b', 'skipped', 2)])).toEqual({ 1: 'passed' });
  });

  it('a result naming two records decides each by its own newest run', () => {
    const history = [result(1, 'both', 'failed', 1, 2), result(2, 'only one', 'passed', 1)];
    const v = testVerdicts(history);
    expect(Object.fromEntries(v.byRecord)).toEqual({ 1: 'passed', 2: 'failed' });
    expect(v.deciding.map((r) => r.key)).toEqual(['both', 'only one']);
  });

  it('tests that name no record are judged per name; the deciding results are those of each newest run', () => {
    const history = [result(1, 'u', 'failed'), result(2, 'u', 'passed'), result(1, 'v', 'failed'), result(2, 'w', 'passed', 9), result(1, 'w', 'failed', 9)];
    const v = testVerdicts(history);
    expect(Object.fromEntries(v.byTest)).toEqual({ u: 'passed', v: 'failed' });
    expect(v.deciding.filter((r) => r.outcome === 'failed').map((r) => `${r.importId} ${r.key}`)).toEqual(['1 v']);
  });
});

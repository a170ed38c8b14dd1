import type { EvidenceItem } from './model.js';

/** What test results say about a record: failed if any newest result for it failed, passed if any passed, else not run. */
export type Verdict = 'passed' | 'failed' | 'not_run';

/** Results as the verdicts need them. */
export type ResultItem = Pick<EvidenceItem, 'id' | 'importId' | 'key' | 'outcome' | 'refs'>;

/**
 * The newest result of each test (a test run again replaces its earlier result: later import, then later item) and,
 * per record the results name, its verdict.
 */
export function resultVerdicts<T extends ResultItem>(results: readonly T[]): { readonly latest: readonly T[]; readonly byRecord: Map<number, Verdict> } {
  const newest = new Map<string, T>();
  for (const r of [...results].sort((a, b) => a.importId - b.importId || a.id - b.id)) newest.set(r.key, r);
  const byRecord = new Map<number, Verdict>();
  for (const r of newest.values()) {
    const failed = r.outcome === 'failed' || r.outcome === 'error';
    const passed = r.outcome === 'passed' || r.outcome === 'flaky';
    for (const ref of r.refs) {
      const prev = byRecord.get(ref.recordId) ?? 'not_run';
      byRecord.set(ref.recordId, prev === 'failed' || failed ? 'failed' : passed || prev === 'passed' ? 'passed' : 'not_run');
    }
  }
  return { latest: [...newest.values()], byRecord };
}

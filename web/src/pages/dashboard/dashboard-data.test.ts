import { describe, expect, it } from 'vitest';
import { auditRecordKey, compareClauses, countBySeverity, countingReleases, filterFindings, groupByClause, humanAction, ratio, verifiedInRelease } from './dashboard-data';

const f = (id: string, clause: string, severity: string) => ({ id, ruleId: `R-${id}`, clause, severity, record: null });

describe('dashboard helpers', () => {
  it('groups findings by clause in clause order with counts per severity', () => {
    const list = [f('1', 'IEC 62304 5.10.1', 'error'), f('2', 'IEC 62304 5.2.3', 'warning'), f('3', 'IEC 62304 5.2.3', 'error'), f('4', 'ISO 14971 7.1', 'info')];
    expect(groupByClause(list)).toEqual([
      { clause: 'IEC 62304 5.2.3', counts: { error: 1, warning: 1, info: 0 }, total: 2 },
      { clause: 'IEC 62304 5.10.1', counts: { error: 1, warning: 0, info: 0 }, total: 1 },
      { clause: 'ISO 14971 7.1', counts: { error: 0, warning: 0, info: 1 }, total: 1 },
    ]);
    expect(countBySeverity(list)).toEqual({ error: 2, warning: 1, info: 1 });
    expect(filterFindings(list, { severity: 'error' }).map((x) => x.id)).toEqual(['1', '3']);
    expect(filterFindings(list, { severity: 'error', clause: 'IEC 62304 5.2.3' }).map((x) => x.id)).toEqual(['3']);
    expect(compareClauses('5.9', '5.10')).toBeLessThan(0);
  });

  it('works out coverage ratios, with no percentage when there is nothing to cover', () => {
    expect(ratio(19, 20)).toEqual({ covered: 19, total: 20, percent: 95 });
    expect(ratio(2, 3).percent).toBe(66.7);
    expect(ratio(0, 0).percent).toBeNull();
    expect(verifiedInRelease({ 'TC-1': 'passed', 'SRS-1': 'passed', 'SRS-2': 'failed', 'SRS-3': 'not_run', 'SYS-1': 'passed' })).toEqual({ covered: 1, total: 3, percent: 33.3 });
  });

  it('keeps the newest baseline of each version and leaves voided ones out', () => {
    const r = (version: string, baseline: number, voided = false) => ({ version, baseline, voidedAt: voided ? '2026-01-01' : null });
    expect(countingReleases([r('1.0', 1), r('1.0', 2), r('1.1', 1, true), r('1.2', 1)])).toEqual([r('1.0', 2), r('1.2', 1)]);
  });

  it('names audit events for people and links only record entities', () => {
    expect(humanAction('RECORD_REVISED')).toBe('Record revised');
    expect(auditRecordKey('record', 'RPM/SRS-12')).toBe('SRS-12');
    expect(auditRecordKey('link', 'RPM/link/4')).toBeUndefined();
  });
});

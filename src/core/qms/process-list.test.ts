import { describe, expect, it } from 'vitest';
import { processRow, processRows, type ProcessRecord } from './process-list.js';

const capa = (key: string, fields: Record<string, unknown>, status: ProcessRecord['status'] = 'draft'): ProcessRecord => ({
  key,
  title: `${key} title`,
  status,
  createdAt: '2026-01-05T10:00:00.000Z',
  fields: { source: 'complaint', ...fields },
});

describe('process lists', () => {
  it('shows state, owner, due day, overdue and age of an open CAPA', () => {
    const row = processRow('CAPA', capa('CAPA-1', { state: 'planned', owner: 'dana', openedOn: '2026-02-01', dueOn: '2026-03-01' }), '2026-03-03');
    expect(row).toEqual({ key: 'CAPA-1', title: 'CAPA-1 title', state: 'planned', owner: 'dana', due: '2026-03-01', overdue: true, ageDays: 30 });
    expect(processRow('CAPA', capa('CAPA-1', { state: 'planned', dueOn: '2026-03-03' }), '2026-03-03')).toMatchObject({ overdue: false, owner: null, ageDays: 57 });
  });

  it('never calls a closed CAPA overdue and gives it no age', () => {
    const closed = capa('CAPA-2', { state: 'effectiveness_check', effectivenessResult: 'effective', dueOn: '2026-01-10' }, 'approved');
    expect(processRow('CAPA', closed, '2026-03-03')).toMatchObject({ state: 'closed', overdue: false, ageDays: null });
    expect(processRow('CAPA', { ...closed, status: 'in_review' }, '2026-03-03')).toMatchObject({ state: 'effectiveness_check', overdue: true, ageDays: 57 });
  });

  it('dates a CAPA in its effectiveness check by the check, and a complaint by its first report due', () => {
    const checking = capa('CAPA-3', { state: 'effectiveness_check', dueOn: '2026-01-10', effectivenessDueOn: '2026-06-01' });
    expect(processRow('CAPA', checking, '2026-03-03')).toMatchObject({ due: '2026-06-01', overdue: false });
    const cmp: ProcessRecord = {
      key: 'CMP-1',
      title: 'alarm late',
      status: 'draft',
      createdAt: '2026-03-01T00:00:00.000Z',
      fields: { state: 'reportability_decided', receivedOn: '2026-03-01', channel: 'email', awareOn: '2026-03-02', euReportability: 'serious_incident', fdaReportability: 'malfunction' },
    };
    expect(processRow('CMP', cmp, '2026-03-20')).toMatchObject({ due: '2026-03-17', overdue: true, ageDays: 19 });
    expect(processRow('CMP', { ...cmp, fields: { ...cmp.fields, euReportedOn: '2026-03-10' } }, '2026-03-20')).toMatchObject({ due: '2026-04-01', overdue: false });
  });

  it('filters by the state people see and by overdue, in key order', () => {
    const records = [
      capa('CAPA-10', { state: 'planned', dueOn: '2026-01-01' }),
      capa('CAPA-2', { state: 'planned', dueOn: '2026-12-01' }),
      capa('CAPA-3', { state: 'open' }),
      capa('CAPA-4', { state: 'effectiveness_check', effectivenessResult: 'effective' }, 'approved'),
    ];
    expect(processRows('CAPA', records, '2026-03-03').map((r) => r.key)).toEqual(['CAPA-2', 'CAPA-3', 'CAPA-4', 'CAPA-10']);
    expect(processRows('CAPA', records, '2026-03-03', { state: 'planned' }).map((r) => r.key)).toEqual(['CAPA-2', 'CAPA-10']);
    expect(processRows('CAPA', records, '2026-03-03', { overdue: true }).map((r) => r.key)).toEqual(['CAPA-10']);
    expect(processRows('CAPA', records, '2026-03-03', { state: 'closed' }).map((r) => r.key)).toEqual(['CAPA-4']);
  });
});

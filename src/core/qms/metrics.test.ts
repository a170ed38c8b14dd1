import { describe, expect, it } from 'vitest';
import type { QmsFacts, TrainingFact } from './facts.js';
import { NO_QMS_FACTS } from './facts.js';
import { lastDay, monthsBetween, qmsMetrics } from './metrics.js';
import { addMonths, closedOn, type QmsRecordRow } from './qms-records.js';

let nextId = 1;
/** A quality record; `approvedAt` makes it approved (signed) on that day. */
function rec(type: string, fields: Record<string, unknown>, createdAt = '2026-01-01T10:00:00.000Z', approvedAt?: string): QmsRecordRow {
  const id = nextId++;
  return {
    id,
    type,
    key: `${type}-${id}`,
    title: `${type} ${id}`,
    status: approvedAt === undefined ? 'draft' : 'approved',
    fields,
    createdAt,
    updatedAt: approvedAt ?? createdAt,
    approvedRevision: approvedAt === undefined ? null : 1,
  };
}

function training(over: Partial<TrainingFact>): TrainingFact {
  return {
    id: nextId++,
    recordId: 1,
    documentKey: 'DOC-1',
    revision: 1,
    version: '1.0',
    username: 'ann',
    role: null,
    assignedOn: '2026-01-01',
    dueOn: '2026-01-31',
    completedOn: null,
    superseded: false,
    ...over,
  };
}

const range = { from: '2026-01-01', to: '2026-03-31', asOf: '2026-12-31' };

describe('month arithmetic', () => {
  it('lists months across a year end and finds their last days, leap years included', () => {
    expect(monthsBetween('2025-11-15', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(lastDay('2024-02')).toBe('2024-02-29');
    expect(lastDay('2026-02')).toBe('2026-02-28');
    expect(lastDay('2026-12')).toBe('2026-12-31');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-01', -3)).toBe('2025-12-01');
  });
});

describe('closing day', () => {
  it('is the approval day of a record approved in a closing state, and null for one approved in another state', () => {
    expect(closedOn(rec('CAPA', { source: 'other', state: 'rejected' }, undefined, '2026-02-03T08:00:00.000Z'))).toBe('2026-02-03');
    // An approved CAPA still in investigation is not closed (a closing signature is given only in a closing state).
    expect(closedOn(rec('CAPA', { source: 'other', state: 'investigation' }, undefined, '2026-02-03T08:00:00.000Z'))).toBeNull();
    expect(closedOn(rec('AF', { grade: 'minor', clause: 'x', state: 'corrected' }))).toBeNull();
  });
});

describe('quality metrics', () => {
  it('ages open CAPAs at each month end and rates on-time closure by due date', () => {
    const records = [
      rec('CAPA', { source: 'other', openedOn: '2025-09-01', state: 'effectiveness_check', effectivenessResult: 'effective', dueOn: '2026-01-15' }, undefined, '2026-02-20T00:00:00.000Z'),
      rec('CAPA', { source: 'other', openedOn: '2026-01-20', state: 'rejected', dueOn: '2026-03-31' }, undefined, '2026-03-05T00:00:00.000Z'),
      rec('CAPA', { source: 'other', openedOn: '2026-02-15' }),
      rec('CAPA', { source: 'other', openedOn: '2026-03-01', state: 'rejected' }, undefined, '2026-03-10T00:00:00.000Z'),
    ];
    const m = qmsMetrics(records, NO_QMS_FACTS, range);
    expect(m.capaAgeing).toEqual([
      { month: '2026-01', open: 2, byAge: { '0-30': 1, '31-90': 0, '91-180': 1, '>180': 0 } },
      { month: '2026-02', open: 2, byAge: { '0-30': 1, '31-90': 1, '91-180': 0, '>180': 0 } },
      { month: '2026-03', open: 1, byAge: { '0-30': 0, '31-90': 1, '91-180': 0, '>180': 0 } },
    ]);
    expect(m.capaClosure).toEqual([
      { month: '2026-01', closed: 0, withDueDate: 0, onTime: 0, onTimeRate: null },
      // Due 2026-01-15, closed 2026-02-20: late.
      { month: '2026-02', closed: 1, withDueDate: 1, onTime: 0, onTimeRate: 0 },
      // One on time; one without a due date is not rated.
      { month: '2026-03', closed: 2, withDueDate: 1, onTime: 1, onTimeRate: 100 },
    ]);
  });

  it('stops at the day judged: a month after asOf counts what is open on asOf', () => {
    const records = [rec('CAPA', { source: 'other', openedOn: '2026-01-10' })];
    const m = qmsMetrics(records, NO_QMS_FACTS, { from: '2026-01-01', to: '2026-02-28', asOf: '2026-01-20' });
    expect(m.capaAgeing.map((p) => p.byAge['0-30'])).toEqual([1, 1]);
  });

  it('counts complaints per month by category and product version; cancelled records count nowhere', () => {
    const cancelled = { ...rec('CMP', { receivedOn: '2026-01-03', channel: 'email', category: 'security' }), status: 'obsolete' as const };
    const records = [
      rec('CMP', { receivedOn: '2026-01-03', channel: 'email', category: 'malfunction', productVersion: '1.2.0' }),
      rec('CMP', { receivedOn: '2026-01-30', channel: 'email', productVersion: '1.2.0' }),
      rec('CMP', { receivedOn: '2026-03-02', channel: 'phone', category: 'malfunction', productVersion: '1.3.0' }),
      cancelled,
    ];
    const m = qmsMetrics(records, NO_QMS_FACTS, range);
    expect(m.complaints).toEqual([
      { month: '2026-01', received: 2, byCategory: { malfunction: 1, uncategorised: 1 }, byProductVersion: { '1.2.0': 2 } },
      { month: '2026-02', received: 0, byCategory: {}, byProductVersion: {} },
      { month: '2026-03', received: 1, byCategory: { malfunction: 1 }, byProductVersion: { '1.3.0': 1 } },
    ]);
  });

  it('tracks audit findings raised, closed (on time against their due day) and open at month end', () => {
    const records = [
      rec('AF', { grade: 'major', clause: '8.5.2', state: 'corrected', dueOn: '2026-02-28' }, '2026-01-05T00:00:00.000Z', '2026-02-10T00:00:00.000Z'),
      rec('AF', { grade: 'minor', clause: '7.4.1', state: 'corrected', dueOn: '2026-02-01' }, '2026-01-05T00:00:00.000Z', '2026-03-10T00:00:00.000Z'),
      rec('AF', { grade: 'observation', clause: '6.2' }, '2026-02-01T00:00:00.000Z'),
    ];
    const m = qmsMetrics(records, NO_QMS_FACTS, range);
    expect(m.auditFindings).toEqual([
      { month: '2026-01', raised: 2, closed: 0, openAtEnd: 2, closedOnTime: 0 },
      { month: '2026-02', raised: 1, closed: 1, openAtEnd: 2, closedOnTime: 1 },
      { month: '2026-03', raised: 0, closed: 1, openAtEnd: 1, closedOnTime: 0 },
    ]);
  });

  it('computes training compliance from the facts: overdue assignments at each month end, superseded ones left out', () => {
    const facts: QmsFacts = {
      ...NO_QMS_FACTS,
      trainings: [
        training({ dueOn: '2026-01-31', completedOn: '2026-01-20' }),
        training({ dueOn: '2026-01-31', completedOn: '2026-02-10' }),
        training({ dueOn: '2026-02-15' }),
        training({ dueOn: '2026-01-10', superseded: true }),
        training({ assignedOn: '2026-03-01', dueOn: '2026-03-31' }),
      ],
    };
    const m = qmsMetrics([], facts, range);
    expect(m.training).toEqual([
      // 3 current assignments by Jan 31; none overdue yet (due on the 31st is not late on the 31st).
      { month: '2026-01', assignments: 3, overdue: 0, compliance: 100 },
      // Feb 28: the third is past its due day and not done.
      { month: '2026-02', assignments: 3, overdue: 1, compliance: 66.7 },
      { month: '2026-03', assignments: 4, overdue: 1, compliance: 75 },
    ]);
    expect(m.factsAvailable).toEqual({ trainings: true, documents: false });
    expect(qmsMetrics([], NO_QMS_FACTS, range).training.map((p) => p.compliance)).toEqual([null, null, null]);
  });

  it('computes document review compliance: a version in force is overdue once its interval since the last review passed', () => {
    const doc = { recordId: 1, key: 'DOC-1', revision: 1, version: '1.0', effectiveOn: '2025-01-15', lastReviewedOn: null, reviewIntervalMonths: 12 };
    const facts: QmsFacts = {
      ...NO_QMS_FACTS,
      documents: [
        doc,
        { ...doc, recordId: 2, key: 'DOC-2', effectiveOn: '2024-06-01', lastReviewedOn: '2026-02-20' },
        { ...doc, recordId: 3, key: 'DOC-3', effectiveOn: '2026-02-01', reviewIntervalMonths: null },
      ],
    };
    const m = qmsMetrics([], facts, range);
    expect(m.documentReview).toEqual([
      // DOC-1 due 2026-01-15: overdue at Jan 31; DOC-2 due 2025-06-01, not reviewed yet by Jan 31.
      { month: '2026-01', documents: 2, overdue: 2, compliance: 0 },
      // DOC-2 reviewed on Feb 20; DOC-3 has no interval.
      { month: '2026-02', documents: 3, overdue: 1, compliance: 66.7 },
      { month: '2026-03', documents: 3, overdue: 1, compliance: 66.7 },
    ]);
  });
});

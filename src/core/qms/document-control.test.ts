import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  assignmentStates,
  makeEffectiveRefusal,
  scoreQuiz,
  untrainedSignatures,
  versionInForce,
  type GoverningVersion,
  type TrainingAssignmentRow,
} from './document-control.js';

const doc = { item: 'RPM/DOC-1', status: 'approved', approvedRevision: 2, version: '1.1' };

describe('makeEffectiveRefusal', () => {
  it('allows a first version and a higher one', () => {
    expect(makeEffectiveRefusal(doc, undefined)).toBeNull();
    expect(makeEffectiveRefusal(doc, { revision: 1, version: '1.0' })).toBeNull();
  });
  it('refuses the same revision, a version not higher (naming both), obsolete, unapproved, no version', () => {
    expect(makeEffectiveRefusal(doc, { revision: 2, version: '1.1' })).toMatch(/revision 2 \(version 1\.1\) is already effective/);
    expect(makeEffectiveRefusal({ ...doc, version: '1.0' }, { revision: 1, version: '1.0' })).toBe('RPM/DOC-1 version 1.0 is not higher than version 1.0, which is in force');
    expect(makeEffectiveRefusal({ ...doc, version: '1.9' }, { revision: 1, version: '1.10' })).toMatch(/1\.9 is not higher than version 1\.10/);
    expect(makeEffectiveRefusal({ ...doc, status: 'obsolete' }, undefined)).toMatch(/is obsolete/);
    expect(makeEffectiveRefusal({ ...doc, approvedRevision: null }, undefined)).toMatch(/no approved revision/);
    expect(makeEffectiveRefusal({ ...doc, version: null }, undefined)).toMatch(/no version field/);
  });
});

describe('dates', () => {
  it('adds days and months, clamping to the end of a month', () => {
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 14)).toBe('2028-01-15');
  });
  it('property: addMonths moves forward by whole months, never past the month', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 120 }), (d, m) => {
        const day = d.toISOString().slice(0, 10);
        const out = addMonths(day, m);
        const [y0 = 0, m0 = 0] = day.split('-').map(Number);
        const [y1 = 0, m1 = 0] = out.split('-').map(Number);
        expect(y1 * 12 + m1 - (y0 * 12 + m0)).toBe(m);
        expect(out >= day).toBe(true);
      }),
    );
  });
});

describe('scoreQuiz', () => {
  const quiz = { questions: [0, 1, 2].map((answer) => ({ question: `q${answer}`, options: ['a', 'b', 'c'], answer })), passMark: 67 };
  it('scores percent right against the pass mark', () => {
    expect(scoreQuiz(quiz, [0, 1, 2])).toMatchObject({ score: 100, passed: true, right: 3 });
    expect(scoreQuiz(quiz, [0, 1, 0])).toMatchObject({ score: 66, passed: false, right: 2 });
    expect(() => scoreQuiz(quiz, [0])).toThrow(/3 questions; 1 answers/);
  });
  it('property: passed exactly when the score reaches the pass mark; the score is in 0..100', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 1, max: 100 }), (answers, passMark) => {
        const r = scoreQuiz({ ...quiz, passMark }, answers);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(r.passed).toBe(r.score >= passMark);
      }),
    );
  });
});

const assignment = (over: Partial<TrainingAssignmentRow>): TrainingAssignmentRow => ({
  id: 1,
  productId: 1,
  recordId: 7,
  revision: 1,
  version: '1.0',
  username: 'ada',
  roleRecordId: null,
  assignedOn: '2026-01-01',
  dueOn: '2026-01-31',
  assignedAt: '2026-01-01T00:00:00.000Z',
  assignedBy: 'ops',
  ...over,
});
const eff = (id: number, revision: number, effectiveOn: string) => ({ id, productId: 1, recordId: 7, revision, version: `1.${revision - 1}`, effectiveOn, madeAt: '', madeBy: 'ops' });

describe('versions in force and assignment states', () => {
  it('the newest effectivity row is in force; on a day, the newest effective by then', () => {
    const rows = [eff(1, 1, '2026-01-01'), eff(2, 2, '2026-06-01')];
    expect(versionInForce(rows)?.revision).toBe(2);
    expect(versionInForce(rows, '2026-05-31')?.revision).toBe(1);
    expect(versionInForce(rows, '2025-12-31')).toBeUndefined();
  });
  it('completed, overdue, open, superseded', () => {
    const states = assignmentStates(
      [assignment({ id: 1 }), assignment({ id: 2, username: 'bob' }), assignment({ id: 3, username: 'cy', revision: 2, dueOn: '2026-12-31' }), assignment({ id: 4, username: 'di', revision: 2, dueOn: '2026-02-01' })],
      [{ id: 1, assignmentId: 1, method: 'read_and_understood', score: null, passMark: null, passed: true, signatureId: 1, completedAt: '2026-01-05T00:00:00.000Z' }],
      [eff(1, 1, '2026-01-01'), eff(2, 2, '2026-01-10')],
      '2026-03-01',
    );
    expect(states.map((s) => s.status)).toEqual(['completed', 'superseded', 'open', 'overdue']);
  });
});

describe('untrainedSignatures (21 CFR 11.10(i))', () => {
  const v1: GoverningVersion = { recordId: 7, documentKey: 'DOC-7', revision: 1, version: '1.0', effectiveOn: '2026-01-01', order: 1, governs: ['SRS'] };
  const v2: GoverningVersion = { ...v1, revision: 2, version: '2.0', effectiveOn: '2026-03-01', order: 2 };
  const sig = (username: string, signedAt: string, recordType = 'SRS') => ({ recordId: 1, recordKey: 'SRS-1', recordType, username, signedAt });
  const done = (username: string, revision: number, completedAt: string | null, dueOn = '2026-12-31') => ({ recordId: 7, revision, username, dueOn, completedAt });

  it('P11-09: flags a signer not trained on the version in force at signing; not before it was effective, not other types', () => {
    const out = untrainedSignatures([v1], [done('ada', 1, '2026-01-10T00:00:00.000Z')], [sig('ada', '2026-01-20T10:00:00.000Z'), sig('bob', '2026-01-20T10:00:00.000Z'), sig('bob', '2025-12-01T10:00:00.000Z'), sig('bob', '2026-01-20T10:00:00.000Z', 'TC')]);
    expect(out.map((u) => [u.username, u.document])).toEqual([['bob', 'DOC-7 v1.0']]);
  });
  it('flags training completed only after the signing', () => {
    expect(untrainedSignatures([v1], [done('ada', 1, '2026-02-01T00:00:00.000Z')], [sig('ada', '2026-01-20T10:00:00.000Z')])).toHaveLength(1);
  });
  it('accepts the previous version while the new assignment is not due, then flags it', () => {
    const trainings = [done('ada', 1, '2026-01-10T00:00:00.000Z'), done('ada', 2, null, '2026-03-31')];
    expect(untrainedSignatures([v1, v2], trainings, [sig('ada', '2026-03-15T10:00:00.000Z')])).toEqual([]);
    expect(untrainedSignatures([v1, v2], trainings, [sig('ada', '2026-04-02T10:00:00.000Z')]).map((u) => u.document)).toEqual(['DOC-7 v2.0']);
  });
  it('does not judge a signature by a version made effective only after it, even with an earlier effective date', () => {
    const backdated: GoverningVersion = { ...v1, effectiveOn: '2026-01-01', madeAt: '2026-06-01T09:00:00.000Z' };
    expect(untrainedSignatures([backdated], [], [sig('bob', '2026-05-31T10:00:00.000Z')])).toEqual([]);
    expect(untrainedSignatures([backdated], [], [sig('bob', '2026-06-02T10:00:00.000Z')]).map((u) => u.username)).toEqual(['bob']);
  });
  it('property: someone trained on every version before any signing is never flagged', () => {
    fc.assert(
      fc.property(fc.array(fc.date({ min: new Date('2026-01-02'), max: new Date('2027-12-31'), noInvalidDate: true }), { maxLength: 20 }), (dates) => {
        const trainings = [done('ada', 1, '2026-01-01T00:00:00.000Z'), done('ada', 2, '2026-01-01T00:00:00.000Z')];
        expect(untrainedSignatures([v1, v2], trainings, dates.map((d) => sig('ada', d.toISOString())))).toEqual([]);
      }),
    );
  });
});

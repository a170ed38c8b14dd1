import { describe, expect, it } from 'vitest';
import { AUDIT_QUESTIONS } from './audit-questions.js';
import { clausesOverlap, independenceConflicts } from './audit-programme.js';
import { ISO13485_CLAUSES } from './iso13485.js';
import type { QmsRecordRow } from './qms-records.js';

const doc = (key: string, fields: Record<string, unknown>, status: QmsRecordRow['status'] = 'approved'): QmsRecordRow => ({
  id: Number(key.split('-')[1]),
  type: 'DOC',
  key,
  title: `Document ${key}`,
  status,
  fields: { docType: 'procedure', ...fields },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  approvedRevision: 1,
});

describe('clauses and independence', () => {
  it('overlaps a clause with its sub-clauses both ways, never with a sibling that shares a prefix', () => {
    expect(clausesOverlap('7.3', '7.3.9')).toBe(true);
    expect(clausesOverlap('7.3.9', '7.3')).toBe(true);
    expect(clausesOverlap('7.3.1', '7.3.10')).toBe(false);
    expect(clausesOverlap('8.2', '8.2')).toBe(true);
  });

  it('names the documents the auditor owns whose clauses meet the scope; obsolete and others\' documents do not count', () => {
    const docs = [
      doc('DOC-1', { owner: 'ann', clauses: ['ISO 13485 8.5.2'] }),
      doc('DOC-2', { owner: 'ann', clauses: ['ISO 13485 7.4'] }),
      doc('DOC-3', { owner: 'bob', clauses: ['ISO 13485 8.5.3'] }),
      doc('DOC-4', { owner: 'ann', clauses: ['ISO 13485 8.5.1'] }, 'obsolete'),
      doc('DOC-5', { owner: 'ann', clauses: ['IEC 62304 8.5'] }),
    ];
    const audit = { fields: { auditor: 'ann', scope: ['ISO 13485 8.5', 'ISO 13485 6.2'] } };
    expect(independenceConflicts(audit, docs)).toEqual([{ clause: '8.5', document: 'DOC-1', title: 'Document DOC-1' }]);
    expect(independenceConflicts({ fields: { scope: ['ISO 13485 8.5'] } }, docs)).toEqual([]);
    expect(independenceConflicts({ fields: { auditor: 'ann', scope: ['ISO 13485 7.4.1'] } }, docs).map((c) => c.document)).toEqual(['DOC-2']);
  });

  it('has a question of our own for every clause of the list', () => {
    expect(ISO13485_CLAUSES.filter((c) => AUDIT_QUESTIONS[c.number] === undefined).map((c) => c.number)).toEqual([]);
  });
});

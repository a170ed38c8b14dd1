import { describe, expect, it } from 'vitest';
import { graphOf, type NodeSpec } from '../../test-support/graphs.js';
import { addDays, addMonths, clausesCovered, lateCapaItems, lateReports, reviewStateOn, withQmsComputed } from './computed.js';
import { NO_QMS_FACTS, type EffectiveDocumentFact, type QmsFacts } from './facts.js';

const TODAY = '2026-06-15';

const doc = (recordId: number, key: string, over: Partial<EffectiveDocumentFact> = {}): EffectiveDocumentFact => ({
  recordId,
  key,
  revision: 1,
  version: '1.0',
  effectiveOn: '2026-01-10',
  lastReviewedOn: null,
  reviewIntervalMonths: 12,
  ...over,
});

function computedOf(nodes: NodeSpec[], facts: QmsFacts = NO_QMS_FACTS): Record<string, Readonly<Record<string, unknown>>> {
  const graph = graphOf(nodes, []);
  const out = withQmsComputed(graph, facts, TODAY, new Map([[0, { esigned: true }]]));
  return Object.fromEntries([...out].map(([i, v]) => [graph.key(i), v]));
}

describe('dates', () => {
  it('adds months keeping the day, or the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  });
});

describe('CAPA overdue', () => {
  const open = { state: 'implementation', source: 'complaint', kind: 'corrective', actions: [] };
  it('is late when open past its due date, an action is past due and not done, or the effectiveness check has no result', () => {
    expect(lateCapaItems({ ...open, dueOn: '2026-06-14' }, false, TODAY).map((l) => l.what)).toEqual(['the CAPA is open past its due date']);
    expect(lateCapaItems({ ...open, dueOn: TODAY }, false, TODAY)).toEqual([]);
    const actions = [
      { kind: 'corrective', description: 'fix the parser', owner: 'ann', dueOn: '2026-05-01' },
      { kind: 'corrective', description: 'add a test', owner: 'ann', dueOn: '2026-05-01', doneOn: '2026-05-02' },
      { kind: 'preventive', description: 'train', owner: 'bob', dueOn: '2026-07-01' },
    ];
    expect(lateCapaItems({ ...open, actions }, false, TODAY)).toEqual([{ what: 'the action "fix the parser" is not done', dueOn: '2026-05-01' }]);
    expect(lateCapaItems({ ...open, effectivenessDueOn: '2026-06-01' }, false, TODAY).map((l) => l.dueOn)).toEqual(['2026-06-01']);
    expect(lateCapaItems({ ...open, effectivenessDueOn: '2026-06-01', effectivenessResult: 'effective' }, false, TODAY)).toEqual([]);
  });

  it('is never late once closed or rejected', () => {
    expect(lateCapaItems({ ...open, dueOn: '2026-01-01' }, true, TODAY)).toEqual([]);
    expect(lateCapaItems({ ...open, state: 'rejected', dueOn: '2026-01-01' }, false, TODAY)).toEqual([]);
  });

  it('gives processState and overdue per CAPA; closed once approved in its closing state [DOSSIER-SRS-39]', () => {
    const c = computedOf([
      { key: 'CAPA-1', status: 'draft', fields: { ...open, dueOn: '2026-06-01' } },
      { key: 'CAPA-2', status: 'approved', fields: { ...open, state: 'effectiveness_check', dueOn: '2026-06-01', effectivenessResult: 'effective' } },
      { key: 'CAPA-3', status: 'draft', fields: { ...open, dueOn: '2026-09-01' } },
    ]);
    expect(c['CAPA-1']).toEqual({ esigned: true, processState: 'implementation', overdue: true });
    expect(c['CAPA-2']).toEqual({ processState: 'closed', overdue: false });
    expect(c['CAPA-3']).toEqual({ processState: 'implementation', overdue: false });
  });
});

describe('complaint reports', () => {
  const cmp = { state: 'reportability_decided', receivedOn: '2026-05-01', channel: 'email', awareOn: '2026-05-20' };
  it('a reportable event not reported by its deadline is late; a sent one or one still in time is not [DOSSIER-SRS-40]', () => {
    // EU serious incident: 15 days → 2026-06-04; FDA malfunction: 30 days → 2026-06-19.
    expect(lateReports({ ...cmp, euReportability: 'serious_incident', fdaReportability: 'malfunction' }, TODAY)).toEqual([
      { what: 'the EU report (serious incident) is not sent', dueOn: '2026-06-04' },
    ]);
    expect(lateReports({ ...cmp, euReportability: 'serious_incident', euReportedOn: '2026-06-10' }, TODAY)).toEqual([]);
    expect(lateReports({ ...cmp, euReportability: 'not_reportable', fdaReportability: 'not_reportable' }, TODAY)).toEqual([]);
    expect(lateReports({ ...cmp, awareOn: undefined, euReportability: 'serious_incident' }, TODAY)).toEqual([]);
  });

  it('sets overdue on the complaint', () => {
    const c = computedOf([{ key: 'CMP-1', status: 'draft', fields: { ...cmp, fdaReportability: 'remedial_action' } }]);
    expect(c['CMP-1']).toEqual({ esigned: true, processState: 'reportability_decided', overdue: true });
  });
});

describe('supplier re-evaluation', () => {
  it('is overdue once reevaluationMonths have passed since evaluatedOn, absent when never evaluated or blocked', () => {
    const sup = { kind: 'cloud_provider', scope: 'hosting', criticality: 'high', evaluation: 'ok' };
    const c = computedOf([
      { key: 'SUP-1', fields: { ...sup, state: 'approved', evaluatedOn: '2025-06-14', reevaluationMonths: 12 } },
      { key: 'SUP-2', fields: { ...sup, state: 'approved', evaluatedOn: '2025-06-15', reevaluationMonths: 12 } },
      { key: 'SUP-3', status: 'draft', fields: { ...sup, state: 'proposed' } },
      { key: 'SUP-4', fields: { ...sup, state: 'blocked', evaluatedOn: '2020-01-01' } },
    ]);
    expect(c['SUP-1']?.['reevaluation']).toBe('overdue');
    expect(c['SUP-2']?.['reevaluation']).toBe('current');
    expect(c['SUP-3']).toEqual({ processState: 'proposed' });
    expect(c['SUP-4']).toEqual({ processState: 'evaluation approved' });
  });
});

describe('documents', () => {
  it('is effective only with a version in force; its review is current, due soon or overdue [DOSSIER-SRS-43]', () => {
    const nodes: NodeSpec[] = [
      { key: 'DOC-1', fields: { docType: 'procedure', clauses: ['ISO 13485 8.5'] } },
      { key: 'DOC-2', fields: { docType: 'procedure', clauses: [] } },
      { key: 'DOC-3', fields: { docType: 'procedure', clauses: ['ISO 13485 4.2.4', 'IEC 62304 5.1'] } },
      { key: 'DOC-4', status: 'draft', fields: { docType: 'procedure', clauses: ['ISO 13485 6.2'] } },
      { key: 'DOC-5', status: 'obsolete', fields: { docType: 'procedure', clauses: [] } },
    ];
    const facts: QmsFacts = {
      ...NO_QMS_FACTS,
      documents: [
        doc(1, 'DOC-1', { effectiveOn: '2025-06-01' }), // due 2026-06-01: overdue
        doc(2, 'DOC-2', { effectiveOn: '2025-01-01', lastReviewedOn: '2025-07-01' }), // due 2026-07-01: due soon
        doc(3, 'DOC-3', { reviewIntervalMonths: null }),
        doc(5, 'DOC-5'), // obsolete: not in force whatever the facts say
      ],
    };
    const c = computedOf(nodes, facts);
    expect(c['DOC-1']).toMatchObject({ effective: true, reviewState: 'overdue', clausesCovered: ['8.5.1', '8.5.2', '8.5.3'] });
    expect(c['DOC-2']).toMatchObject({ effective: true, reviewState: 'due_soon' });
    expect(c['DOC-3']).toMatchObject({ effective: true, reviewState: 'current', clausesCovered: ['4.2.4'] });
    expect(c['DOC-4']).toEqual({ effective: false, clausesCovered: ['6.2'] });
    expect(c['DOC-5']).toEqual({ effective: false, clausesCovered: [] });
  });

  it('review state boundaries', () => {
    expect(reviewStateOn('2026-06-14', TODAY)).toBe('overdue');
    expect(reviewStateOn(TODAY, TODAY)).toBe('due_soon');
    expect(reviewStateOn('2026-07-15', TODAY)).toBe('due_soon');
    expect(reviewStateOn('2026-07-16', TODAY)).toBe('current');
    expect(clausesCovered(['ISO 13485 7.3', 'ISO 14971 7.3'])).toEqual(['7.3.1', '7.3.2', '7.3.3', '7.3.4', '7.3.5', '7.3.6', '7.3.7', '7.3.8', '7.3.9', '7.3.10']);
  });
});

describe('signed untrained', () => {
  it('marks each record signed by someone untrained, with who and on what, once per signer', () => {
    const facts: QmsFacts = {
      ...NO_QMS_FACTS,
      untrainedSignatures: [
        { recordId: 2, recordKey: 'SRS-1', username: 'bob', signedAt: '2026-05-01T10:00:00Z', document: 'DOC-7 v2.0' },
        { recordId: 2, recordKey: 'SRS-1', username: 'bob', signedAt: '2026-05-02T10:00:00Z', document: 'DOC-7 v2.0' },
        { recordId: 2, recordKey: 'SRS-1', username: 'eve', signedAt: '2026-05-02T10:00:00Z', document: 'DOC-7 v2.0' },
        { recordId: 99, recordKey: 'SRS-99', username: 'eve', signedAt: '2026-05-02T10:00:00Z', document: 'DOC-7 v2.0' },
      ],
    };
    const c = computedOf([{ key: 'SRS-2' }, { key: 'SRS-1' }, { key: 'NC-1', status: 'draft', fields: { kind: 'product' } }], facts);
    expect(c['SRS-1']).toEqual({ signedUntrained: true, untrainedSigners: 'bob (DOC-7 v2.0), eve (DOC-7 v2.0)' });
    expect(c['SRS-2']).toEqual({ esigned: true });
    expect(c['NC-1']).toEqual({ processState: 'reported' });
  });
});

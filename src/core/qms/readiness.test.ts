import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { graphOf, type NodeSpec } from '../../test-support/graphs.js';
import { CLAUSE_MAP, unknownMappedClauses } from './clause-map.js';
import { NO_QMS_FACTS, type EffectiveDocumentFact, type QmsFacts } from './facts.js';
import { ISO13485_CLAUSES } from './iso13485.js';
import { readinessReport, type ReadinessReport } from './readiness.js';

const TODAY = '2026-06-15';
const CATALOG_CLAUSES = new Map([...DEFAULT_CATALOG.recordTypes.values()].map((t) => [t.key, t.clauses]));
const RULES = [
  { id: 'QMS-8.5.2-CAPA-OVERDUE', clause: 'ISO 13485 8.5.2' },
  { id: 'QMS-5.6-REVIEW', clause: 'ISO 13485 5.6' },
  { id: 'OTHER', clause: 'IEC 62304 5.1' },
];

const inForce = (recordId: number, over: Partial<EffectiveDocumentFact> = {}): EffectiveDocumentFact => ({
  recordId,
  key: `DOC-${recordId}`,
  revision: 1,
  version: '1.0',
  effectiveOn: '2026-01-01',
  lastReviewedOn: null,
  reviewIntervalMonths: 12,
  ...over,
});

function report(nodes: NodeSpec[], facts: QmsFacts = NO_QMS_FACTS): ReadinessReport {
  return readinessReport({ product: 'RPM', graph: graphOf(nodes, []), facts, today: TODAY, catalogClauses: CATALOG_CLAUSES, rules: RULES });
}
const clause = (r: ReadinessReport, n: string): ReadinessReport['clauses'][number] => {
  const c = r.clauses.find((x) => x.number === n);
  if (c === undefined) throw new Error(`no clause ${n}`);
  return c;
};

describe('the clause map', () => {
  it('has an entry for every clause of 4–8 and names no other clause', () => {
    expect(CLAUSE_MAP.map((c) => c.number)).toEqual(ISO13485_CLAUSES.map((c) => c.number));
    expect(unknownMappedClauses()).toEqual([]);
  });

  it('names only record types the catalog has', () => {
    for (const c of CLAUSE_MAP) for (const t of c.recordTypes) expect(DEFAULT_CATALOG.recordTypes.has(t), `${c.number} ${t}`).toBe(true);
  });
});

describe('readiness per clause', () => {
  it('an empty store: every applicable clause missing, excluded ones not applicable, score 0 [DOSSIER-SRS-45]', () => {
    const r = report([]);
    const excluded = ISO13485_CLAUSES.filter((c) => c.notApplicable !== undefined).length;
    expect(r.counts).toEqual({ met: 0, overdue: 0, draftOnly: 0, missing: ISO13485_CLAUSES.length - excluded, notApplicable: excluded });
    expect(r.score).toMatchObject({ met: 0, applicable: ISO13485_CLAUSES.length - excluded, percent: 0 });
    expect(clause(r, '6.4.2').status).toBe('not_applicable');
    expect(clause(r, '6.4.2').notApplicable).toContain('sterile');
    expect(clause(r, '8.5.2').missing).toEqual(['no procedure covers 8.5.2']);
  });

  it('a clause with only a draft procedure is not met; in force it is; a form does not count where a procedure is asked for', () => {
    const nodes: NodeSpec[] = [
      { key: 'DOC-1', status: 'draft', fields: { docType: 'procedure', clauses: ['ISO 13485 8.5.2'], version: '0.1' } },
      { key: 'DOC-2', fields: { docType: 'procedure', clauses: ['ISO 13485 8.2.2'] } },
      { key: 'DOC-3', fields: { docType: 'form', clauses: ['ISO 13485 8.3'] } },
      { key: 'DOC-4', fields: { docType: 'plan', clauses: ['ISO 13485 7.3.2'] } },
    ];
    const r = report(nodes, { ...NO_QMS_FACTS, documents: [inForce(2), inForce(3), inForce(4)] });
    expect(clause(r, '8.5.2')).toMatchObject({ status: 'draft_only', missing: ['no procedure covering 8.5.2 is in force: DOC-1 is draft, not made effective'] });
    expect(clause(r, '8.5.2').documents).toEqual([{ key: 'DOC-1', title: 'DOC-1 title', docType: 'procedure', number: null, version: '0.1', status: 'draft', inForce: false }]);
    expect(clause(r, '8.2.2')).toMatchObject({ status: 'met', missing: [] });
    expect(clause(r, '8.3')).toMatchObject({ status: 'missing', missing: ['no procedure covers 8.3: DOC-3 (form) cite it but are not procedures'] });
    // 7.3.2 asks for no documented procedure: a plan in force covers it.
    expect(clause(r, '7.3.2').status).toBe('met');
    expect(r.score).toMatchObject({ met: 2, percent: Math.floor(200 / r.score.applicable) });
  });

  it('lists record counts of the evidence types and the rules that check the clause', () => {
    const r = report([
      { key: 'CAPA-1', status: 'draft', fields: { state: 'open', source: 'trend', kind: 'corrective' } },
      { key: 'CAPA-2', status: 'obsolete', fields: { state: 'open', source: 'trend', kind: 'corrective' } },
    ]);
    expect(clause(r, '8.5.2').records).toContainEqual({ type: 'CAPA', count: 1 });
    expect(clause(r, '8.5.2').rules).toEqual(['QMS-8.5.2-CAPA-OVERDUE']);
    expect(clause(r, '5.6.2').rules).toEqual(['QMS-5.6-REVIEW']);
    // Design inputs: the catalog's record types that cite 7.3.3.
    expect(clause(r, '7.3.3').records.map((x) => x.type)).toEqual(['SYS', 'UN']);
  });

  it('reports what is overdue per clause, and an overdue item keeps the clause from being met', () => {
    const nodes: NodeSpec[] = [
      { key: 'DOC-1', fields: { docType: 'procedure', clauses: ['ISO 13485 8.5', 'ISO 13485 4.2.4', 'ISO 13485 7.4', 'ISO 13485 8.2', 'ISO 13485 6.2', 'ISO 13485 5.6'] } },
      { key: 'CAPA-1', status: 'draft', fields: { state: 'planned', source: 'trend', kind: 'corrective', dueOn: '2026-06-01' } },
      { key: 'CAPA-2', status: 'draft', fields: { state: 'planned', source: 'trend', kind: 'preventive', dueOn: '2026-07-01' } },
      { key: 'SUP-1', fields: { state: 'approved', kind: 'service', scope: 'x', criticality: 'low', evaluatedOn: '2025-01-01', reevaluationMonths: 12 } },
      { key: 'CMP-1', status: 'draft', fields: { state: 'action', receivedOn: '2026-05-01', channel: 'email', awareOn: '2026-05-01', euReportability: 'serious_incident' } },
      { key: 'AF-1', status: 'draft', fields: { state: 'open', grade: 'minor', clause: 'ISO 13485 4.2.4', dueOn: '2026-06-01' } },
      { key: 'MREV-1', status: 'draft', fields: { state: 'held', periodFrom: '2026-01-01', periodTo: '2026-03-31', actions: [{ description: 'hire', owner: 'ann', dueOn: '2026-06-10' }] } },
    ];
    const facts: QmsFacts = {
      documents: [inForce(1, { effectiveOn: '2025-01-01' })],
      trainings: [
        { id: 1, recordId: 1, documentKey: 'DOC-1', revision: 1, version: '1.0', username: 'bob', role: null, assignedOn: '2026-05-01', dueOn: '2026-06-01', completedOn: null, superseded: false },
        { id: 2, recordId: 1, documentKey: 'DOC-1', revision: 1, version: '1.0', username: 'ann', role: null, assignedOn: '2026-05-01', dueOn: '2026-06-01', completedOn: '2026-05-03', superseded: false },
        { id: 3, recordId: 1, documentKey: 'DOC-1', revision: 1, version: '0.9', username: 'eve', role: null, assignedOn: '2025-05-01', dueOn: '2025-06-01', completedOn: null, superseded: true },
      ],
      untrainedSignatures: [],
    };
    const r = report(nodes, facts);
    const late = (n: string): string[] => clause(r, n).overdue.map((o) => `${o.record} ${o.kind} ${o.dueOn}`);
    expect(late('4.2.4')).toEqual(['DOC-1 document_review 2026-01-01']);
    expect(late('8.5.2')).toEqual(['CAPA-1 capa 2026-06-01']);
    expect(late('8.5.3')).toEqual([]);
    expect(late('7.4.1')).toEqual(['SUP-1 supplier_reevaluation 2026-01-01']);
    expect(late('8.2.3')).toEqual(['CMP-1 report 2026-05-16']);
    expect(late('8.2.4')).toEqual(['AF-1 finding 2026-06-01']);
    expect(late('5.6.3')).toEqual(['MREV-1 review_action 2026-06-10']);
    expect(late('6.2')).toEqual(['DOC-1 training 2026-06-01']);
    expect(clause(r, '6.2').overdue[0]?.what).toBe('bob is not trained on DOC-1 v1.0');
    for (const n of ['4.2.4', '8.5.2', '7.4.1', '8.2.3', '8.2.4', '5.6.3', '6.2']) expect(clause(r, n).status, n).toBe('overdue');
    expect(clause(r, '8.5.3').status).toBe('met');
    expect(r.score.method).toContain('no item of the clause is overdue');
  });
});

describe('the score', () => {
  const CLAUSE_REFS = ['ISO 13485 4', 'ISO 13485 4.2.4', 'ISO 13485 6.2', 'ISO 13485 7.3', 'ISO 13485 7.4.1', 'ISO 13485 8.5', 'ISO 13485 8.2.2', 'ISO 14971 4'];
  const docArb = fc.record({
    docType: fc.constantFrom('procedure', 'work_instruction', 'form', 'quality_manual', 'plan'),
    clauses: fc.subarray(CLAUSE_REFS),
    status: fc.constantFrom('draft', 'in_review', 'approved', 'obsolete'),
    inForce: fc.boolean(),
  });
  const capaArb = fc.record({ dueOn: fc.constantFrom('2026-01-01', '2026-12-31'), closed: fc.boolean() });
  type DocSpec = { docType: string; clauses: string[]; status: string; inForce: boolean };
  type CapaSpec = { dueOn: string; closed: boolean };

  function scoreOf(docs: readonly DocSpec[], capas: readonly CapaSpec[]): number {
    const nodes: NodeSpec[] = [
      ...docs.map((d, k): NodeSpec => ({ key: `DOC-${k + 1}`, status: d.status as NodeSpec['status'], fields: { docType: d.docType, clauses: d.clauses } })),
      ...capas.map((c, k): NodeSpec => ({
        key: `CAPA-${k + 1}`,
        status: c.closed ? 'approved' : 'draft',
        fields: { state: 'effectiveness_check', source: 'trend', kind: 'corrective', dueOn: c.dueOn, effectivenessResult: 'effective' },
      })),
    ];
    // Documents in force reviewed recently: adding one never brings an overdue review.
    const documents = docs.flatMap((d, k) => (d.inForce ? [inForce(k + 1, { effectiveOn: '2026-05-01' })] : []));
    return report(nodes, { ...NO_QMS_FACTS, documents }).score.met;
  }

  it('adding evidence (a document, in force or not, or a record with nothing late) never lowers it', () => {
    fc.assert(
      fc.property(fc.array(docArb, { maxLength: 6 }), fc.array(capaArb, { maxLength: 4 }), docArb, (docs, capas, extra) => {
        const before = scoreOf(docs, capas);
        expect(scoreOf([...docs, extra], capas)).toBeGreaterThanOrEqual(before);
        expect(scoreOf(docs, [...capas, { dueOn: '2026-12-31', closed: false }])).toBeGreaterThanOrEqual(before);
        expect(scoreOf(docs, [...capas, { dueOn: '2026-01-01', closed: true }])).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 60 },
    );
  });

  it('closing an overdue CAPA raises it when the CAPA clause has its procedure in force', () => {
    const docs: DocSpec[] = [{ docType: 'procedure', clauses: ['ISO 13485 8.5.2'], status: 'approved', inForce: true }];
    expect(scoreOf(docs, [{ dueOn: '2026-01-01', closed: true }])).toBe(scoreOf(docs, [{ dueOn: '2026-01-01', closed: false }]) + 1);
  });
});

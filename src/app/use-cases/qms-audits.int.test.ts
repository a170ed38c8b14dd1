import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../core/ports.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, freshStore, steppingClock, type TestStore } from '../../test-support/stores.js';
import { addLinks } from './add-links.js';
import { addRecords } from './add-records.js';
import { changeRecordStatus } from './change-record-status.js';
import { compileReview } from './compile-review.js';
import { editRecord } from './edit-record.js';
import { getAuditChecklist } from './get-audit-checklist.js';
import { getAuditProgramme } from './get-audit-programme.js';
import { getQmsMetrics } from './get-qms-metrics.js';
import { getReviewInputs } from './get-review-inputs.js';
import { listAuditEvents } from './list-audit-events.js';
import { listSuppliers } from './list-suppliers.js';

async function lastEvents(deps: Deps, n: number): Promise<{ action: string; entityId: string; newValue: Record<string, unknown> }[]> {
  const all = await listAuditEvents(deps, { limit: 10_000 });
  return all.slice(-n).map((e) => ({ action: e.action, entityId: e.entityId, newValue: JSON.parse(e.newValue ?? '{}') as Record<string, unknown> }));
}

const l = (from: string, type: string, to: string): { from: string; type: string; to: string } => ({ from, type, to });

/** Approves a record's latest revision (the local operator's status changes: review, then approval). */
async function approve(deps: Deps, record: string, revision: number): Promise<void> {
  await changeRecordStatus(deps, { productKey: 'RPM', record, to: 'in_review', baseRevision: revision });
  await changeRecordStatus(deps, { productKey: 'RPM', record, to: 'approved', baseRevision: revision });
}

/**
 * A small quality system: two procedures (one owned by alice), two audits of cycle 2026 and one of 2025, findings
 * of the first audit (one addressed by a CAPA), a complaint, a supplier with its SOUP.
 */
async function qualitySystem(deps: Deps): Promise<void> {
  await addRecords(deps, {
    productKey: 'RPM',
    records: [
      { type: 'DOC', title: 'CAPA procedure', fields: { docType: 'procedure', number: 'SOP-8', owner: 'alice', clauses: ['ISO 13485 8.5.2', 'ISO 13485 8.5.3'] } },
      { type: 'DOC', title: 'Purchasing procedure', fields: { docType: 'procedure', number: 'SOP-9', owner: 'bob', clauses: ['ISO 13485 7.4'] } },
      { type: 'AUD', title: 'Improvement and purchasing', fields: { cycle: '2026', scope: ['ISO 13485 8.5', 'ISO 13485 7.4', 'IEC 62304 5.1'], auditor: 'carol', plannedOn: '2026-02-01' } },
      { type: 'AUD', title: 'Management', fields: { cycle: '2026', scope: ['ISO 13485 5'] } },
      { type: 'AUD', title: 'Last year', fields: { cycle: '2025', scope: ['ISO 13485 4'] } },
      { type: 'AF', title: 'CAPA effectiveness not checked', fields: { grade: 'major', clause: 'ISO 13485 8.5.2' } },
      { type: 'AF', title: 'Supplier list out of date', fields: { grade: 'minor', clause: 'ISO 13485 7.4.1' } },
      { type: 'AF', title: 'Could name owners', fields: { grade: 'observation', clause: 'ISO 13485 7.4.1' } },
      { type: 'CAPA', title: 'Check effectiveness of CAPAs', fields: { source: 'audit_finding', openedOn: '2026-01-01', dueOn: '2026-03-01' } },
    ],
  });
  await addLinks(deps, { productKey: 'RPM', links: [l('AF-1', 'found_in', 'AUD-1'), l('AF-2', 'found_in', 'AUD-1'), l('AF-3', 'found_in', 'AUD-1'), l('CAPA-1', 'addresses', 'AF-1')] });
}

describe.each(DIALECTS)('internal audits, management review, suppliers and metrics on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
  });
  afterEach(async () => t.cleanup());

  it('audit programme: clauses covered by the cycle, the uncovered ones, audits with findings by grade and their CAPAs [DOSSIER-SRS-42]', async () => {
    await qualitySystem(deps);
    // AF-3 is corrected and closed: no longer open.
    await editRecord(deps, { productKey: 'RPM', record: 'AF-3', baseRevision: 1, fields: { state: 'corrected' } });
    await approve(deps, 'AF-3', 2);

    const p = await getAuditProgramme(deps, { productKey: 'RPM', cycle: '2026' });
    expect(p.cycles).toEqual(['2025', '2026']);
    expect(p.audits.map((a) => a.key)).toEqual(['AUD-1', 'AUD-2']);
    const covered = new Map(p.clauses.map((c) => [c.number, c.audits]));
    expect(covered.get('8.5.2')).toEqual(['AUD-1']);
    expect(covered.get('7.4.3')).toEqual(['AUD-1']);
    expect(covered.get('5.6.2')).toEqual(['AUD-2']);
    // Section 4 is audited only in 2025; 6 and 8.2 by nobody.
    const uncovered = p.uncovered.map((c) => c.number);
    expect(uncovered).toContain('4.2.4');
    expect(uncovered).toContain('6.2');
    expect(uncovered).toContain('8.2.4');
    expect(uncovered).not.toContain('8.5.2');
    // Clauses that do not apply to software are neither covered nor missing.
    expect(uncovered).not.toContain('6.4.2');
    expect(p.notApplicable.map((c) => c.number)).toContain('6.4.2');
    expect(p.coverage.covered + uncovered.length).toBe(p.coverage.applicable);
    expect(p.coverage.covered).toBe(p.clauses.filter((c) => c.audits.length > 0).length);

    const aud1 = p.audits.find((a) => a.key === 'AUD-1');
    expect(aud1?.findingsByGrade).toEqual({ major: 1, minor: 1, observation: 1 });
    expect(aud1?.openFindings).toBe(2);
    expect(aud1?.openWithoutCapa).toBe(1);
    expect(aud1?.findings.map((f) => [f.key, f.open, f.capas])).toEqual([
      ['AF-1', true, ['CAPA-1']],
      ['AF-2', true, []],
      ['AF-3', false, []],
    ]);
    expect(aud1?.findings.find((f) => f.key === 'AF-3')?.state).toBe('closed');
    expect(aud1?.independence).toEqual([]);

    const all = await getAuditProgramme(deps, { productKey: 'RPM' });
    expect(all.cycle).toBeNull();
    expect(all.audits).toHaveLength(3);
    expect(all.uncovered.map((c) => c.number)).not.toContain('4.2.4');
  });

  it('auditor independence: moving an audit to in_progress is refused while its auditor owns a document in scope, nothing written [DOSSIER-SRS-42]', async () => {
    await qualitySystem(deps);
    // alice owns SOP-8 (8.5.2, 8.5.3); AUD-1 covers 8.5.
    await editRecord(deps, { productKey: 'RPM', record: 'AUD-1', baseRevision: 1, fields: { auditor: 'alice' } });
    const programme = await getAuditProgramme(deps, { productKey: 'RPM', cycle: '2026' });
    expect(programme.audits.find((a) => a.key === 'AUD-1')?.independence).toEqual([{ clause: '8.5', document: 'DOC-1', title: 'CAPA procedure' }]);

    const before = await storeSnapshot(deps);
    await expectAppError(
      editRecord(deps, { productKey: 'RPM', record: 'AUD-1', baseRevision: 2, fields: { state: 'in_progress' } }),
      'INVALID_STATE',
      /RPM\/AUD-1: the auditor may not audit their own work: alice owns DOC-1 "CAPA procedure" \(clause 8\.5\)/,
    );
    expect(await storeSnapshot(deps)).toBe(before);

    // Another auditor, who owns nothing in scope: the audit starts.
    const started = await editRecord(deps, { productKey: 'RPM', record: 'AUD-1', baseRevision: 2, fields: { state: 'in_progress', auditor: 'carol' } });
    expect(started.latestRevision).toBe(3);
    const [e] = await lastEvents(deps, 1);
    expect(e?.action).toBe('RECORD_REVISED');
    expect(e?.entityId).toBe('RPM/AUD-1');
    expect(e?.newValue['fields']).toMatchObject({ state: 'in_progress', auditor: 'carol' });

    // Under way, the auditor cannot be changed to the owner either; an obsolete document no longer counts.
    await expectAppError(
      editRecord(deps, { productKey: 'RPM', record: 'AUD-1', baseRevision: 3, fields: { auditor: 'alice' } }),
      'INVALID_STATE',
      /alice owns DOC-1/,
    );
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'DOC-1', to: 'obsolete', reason: 'replaced by the new CAPA SOP' });
    const moved = await editRecord(deps, { productKey: 'RPM', record: 'AUD-1', baseRevision: 3, fields: { auditor: 'alice' } });
    expect(moved.latestRevision).toBe(4);
  });

  it('audit checklist: a question per clause in scope, the documents and record types that give evidence, with counts [DOSSIER-SRS-42]', async () => {
    await qualitySystem(deps);
    const c = await getAuditChecklist(deps, { productKey: 'RPM', record: 'AUD-1' });
    expect(c.audit).toBe('AUD-1');
    expect(c.auditor).toBe('carol');
    expect(c.items.map((i) => i.clause)).toEqual(['7.4.1', '7.4.2', '7.4.3', '8.5.1', '8.5.2', '8.5.3']);
    expect(c.otherScope).toEqual(['IEC 62304 5.1']);
    const capa = c.items.find((i) => i.clause === '8.5.2');
    expect(capa?.question).toMatch(/cause/);
    expect(capa?.documents).toEqual([{ key: 'DOC-1', title: 'CAPA procedure', number: 'SOP-8', status: 'draft', versionInForce: null, owner: 'alice' }]);
    expect(capa?.recordTypes).toContainEqual({ type: 'CAPA', name: 'CAPA', records: 1 });
    expect(capa?.recordTypes).toContainEqual({ type: 'AF', name: 'Audit finding', records: 3 });
    const supplier = c.items.find((i) => i.clause === '7.4.1');
    expect(supplier?.documents.map((d) => d.key)).toEqual(['DOC-2']);
    expect(supplier?.recordTypes).toContainEqual({ type: 'SUP', name: 'Supplier', records: 0 });

    await expectAppError(getAuditChecklist(deps, { productKey: 'RPM', record: 'AF-1' }), 'INVALID_INPUT', /RPM\/AF-1 is not an internal audit/);
    await expectAppError(getAuditChecklist(deps, { productKey: 'RPM', record: 'AUD-99' }), 'NOT_FOUND', /AUD-99/);
  });

  it('management review inputs: complaints, audits, CAPA, changes, the previous review and its actions, suppliers [DOSSIER-SRS-45]', async () => {
    await qualitySystem(deps);
    await addRecords(deps, {
      productKey: 'RPM',
      records: [
        { type: 'CMP', title: 'Readings missing', fields: { receivedOn: '2025-11-03', channel: 'email', category: 'data_loss', productVersion: '1.2.0', awareOn: '2025-11-03', fdaReportability: 'malfunction', euReportability: 'not_reportable', reportabilityRationale: 'could recur' } },
        { type: 'CMP', title: 'Font too small', fields: { receivedOn: '2025-12-01', channel: 'app_store', category: 'usability', productVersion: '1.2.0' } },
        { type: 'CMP', title: 'Before the period', fields: { receivedOn: '2025-08-01', channel: 'phone', category: 'usability' } },
        { type: 'MREV', title: 'Review Q3 2025', fields: { periodFrom: '2025-07-01', periodTo: '2025-09-30', actions: [{ description: 'Hire a QA engineer', owner: 'bob', dueOn: '2025-11-30' }, { description: 'Update SOP-8', owner: 'alice', dueOn: '2025-12-31', doneOn: '2025-12-15' }] } },
        { type: 'MREV', title: 'Review Q4 2025', fields: { periodFrom: '2025-10-01', periodTo: '2025-12-31' } },
        { type: 'CR', title: 'TLS pinning', fields: { origin: 'capa' } },
        { type: 'SUP', title: 'Cloud host', fields: { kind: 'cloud_provider', scope: 'hosting', criticality: 'high', state: 'evaluating' } },
      ],
    });
    await editRecord(deps, { productKey: 'RPM', record: 'AUD-1', baseRevision: 1, fields: { state: 'in_progress' } });
    await editRecord(deps, { productKey: 'RPM', record: 'AUD-1', baseRevision: 2, fields: { state: 'reported', heldOn: '2025-12-10', summary: 'CAPA and purchasing seen' } });

    const v = await getReviewInputs(deps, { productKey: 'RPM', periodFrom: '2025-10-01', periodTo: '2025-12-31', asOf: '2026-01-05' });
    const i = v.inputs;
    expect(i.feedback.complaintsReceived).toBe(2);
    expect(i.feedback.byCategory).toEqual({ data_loss: 1, usability: 1 });
    expect(i.feedback.byProductVersion).toEqual({ '1.2.0': 2 });
    expect(i.feedback.reportable.map((c) => [c.key, c.fda, c.eu])).toEqual([['CMP-1', 'malfunction', 'not_reportable']]);
    expect(i.feedback.openComplaints).toBe(3);
    expect(i.audits.held.map((a) => a.key)).toEqual(['AUD-1']);
    expect(i.audits.findingsByGrade).toEqual({ major: 1, minor: 1, observation: 1 });
    expect(i.audits.openFindings.map((f) => [f.key, f.capas])).toEqual([
      ['AF-1', ['CAPA-1']],
      ['AF-2', []],
      ['AF-3', []],
    ]);
    expect(i.capa.open).toBe(1);
    expect(i.capa.overdue).toEqual([]);
    expect(i.changes.open.map((c) => c.key)).toEqual(['CR-1']);
    expect(i.previousReview?.key).toBe('MREV-1');
    expect(i.previousReview?.actions.map((a) => a.status)).toEqual(['overdue', 'done']);
    expect(i.suppliers).toMatchObject({ approved: 0, blocked: 0, reevaluationOverdue: [] });
    // No training facts yet: none counted, no compliance figure made up.
    expect(i.training).toEqual({ assignments: 0, completed: 0, overdue: 0, percent: null, source: 'no training records' });
    expect(v.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Later, the CAPA is overdue (due 2026-03-01).
    const later = await getReviewInputs(deps, { productKey: 'RPM', periodFrom: '2025-10-01', periodTo: '2025-12-31', asOf: '2026-03-02' });
    expect(later.inputs.capa.overdue).toEqual(['CAPA-1']);
    expect(later.digest).not.toBe(v.digest);

    await expectAppError(getReviewInputs(deps, { productKey: 'RPM', periodFrom: '2025-12-31', periodTo: '2025-10-01' }), 'INVALID_INPUT', /ends \(2025-10-01\) before it starts/);
  });

  it('compiles a planned review: the digest of its inputs in a new revision with its audit event; refuses one not planned, not a review, unknown', async () => {
    await qualitySystem(deps);
    await addRecords(deps, { productKey: 'RPM', records: [{ type: 'MREV', title: 'Review Q4 2025', fields: { periodFrom: '2025-10-01', periodTo: '2025-12-31' } }] });
    // The same day as the compilation (the test clock starts on 2026-01-01).
    const expected = await getReviewInputs(deps, { productKey: 'RPM', periodFrom: '2025-10-01', periodTo: '2025-12-31', asOf: '2026-01-01' });
    const c = await compileReview(deps, { productKey: 'RPM', record: 'MREV-1', reason: 'inputs for the Q4 review' });
    expect(c.digest).toBe(expected.digest);
    expect(c.inputs).toEqual(expected.inputs);
    expect(c.review.latestRevision).toBe(2);
    const [e] = await lastEvents(deps, 1);
    expect(e?.action).toBe('RECORD_REVISED');
    expect(e?.entityId).toBe('RPM/MREV-1');
    expect(e?.newValue['fields']).toMatchObject({ state: 'inputs_compiled', inputsDigest: expected.digest, periodFrom: '2025-10-01' });

    const before = await storeSnapshot(deps);
    await expectAppError(compileReview(deps, { productKey: 'RPM', record: 'MREV-1' }), 'INVALID_STATE', /RPM\/MREV-1 is inputs compiled: only a planned review is compiled/);
    await expectAppError(compileReview(deps, { productKey: 'RPM', record: 'AUD-1' }), 'INVALID_INPUT', /RPM\/AUD-1 is not a management review/);
    await expectAppError(compileReview(deps, { productKey: 'RPM', record: 'MREV-7' }), 'NOT_FOUND', /MREV-7/);
    expect(await storeSnapshot(deps)).toBe(before);

    // Held, then its minutes signed by the record's workflow: the next review's inputs show it and its actions.
    await editRecord(deps, {
      productKey: 'RPM',
      record: 'MREV-1',
      baseRevision: 2,
      fields: { state: 'held', heldOn: '2026-01-20', attendees: ['alice', 'bob'], outputs: 'More auditors', actions: [{ description: 'Train a second auditor', owner: 'bob', dueOn: '2026-04-30' }] },
    });
    await approve(deps, 'MREV-1', 3);
    const next = await getReviewInputs(deps, { productKey: 'RPM', periodFrom: '2026-01-01', periodTo: '2026-03-31', asOf: '2026-02-01' });
    expect(next.inputs.previousReview).toEqual({
      key: 'MREV-1',
      heldOn: '2026-01-20',
      state: 'minutes signed',
      actions: [{ description: 'Train a second auditor', owner: 'bob', dueOn: '2026-04-30', doneOn: null, status: 'open' }],
    });
  });

  it('supplier list: approved and signed suppliers, re-evaluation overdue, agreements expiring, SOUP with and without supplier', async () => {
    await addRecords(deps, {
      productKey: 'RPM',
      records: [
        { type: 'SUP', title: 'OpenSSL project', fields: { kind: 'soup_vendor', scope: 'TLS', criticality: 'high', state: 'approved', evaluation: 'mature, CVE process', evaluatedOn: '2024-06-01', reevaluationMonths: 12 } },
        { type: 'SUP', title: 'Cloud host', fields: { kind: 'cloud_provider', scope: 'hosting', criticality: 'medium', state: 'conditional', evaluation: 'ok if EU region', evaluatedOn: '2025-09-01', agreements: [{ name: 'DPA', expiresOn: '2026-02-15' }, { name: 'ISO 27001', expiresOn: '2027-06-01' }] } },
        { type: 'SUP', title: 'Contractor', fields: { kind: 'contract_developer', scope: 'mobile app', criticality: 'low', state: 'approved', evaluation: 'interviewed', evaluatedOn: '2025-12-01' } },
        { type: 'SOUP', title: 'OpenSSL', fields: { package: 'openssl', version: '3.0.13' } },
        { type: 'SOUP', title: 'zlib', fields: { package: 'zlib', version: '1.3', supplier: 'zlib authors' } },
      ],
    });
    await approve(deps, 'SUP-1', 1);
    await approve(deps, 'SUP-2', 1);
    await addLinks(deps, { productKey: 'RPM', links: [l('SOUP-1', 'supplied_by', 'SUP-1')] });

    const s = await listSuppliers(deps, { productKey: 'RPM', asOf: '2026-01-10' });
    expect(s.suppliers.map((x) => x.key)).toEqual(['SUP-1', 'SUP-2', 'SUP-3']);
    expect(s.approvedList).toEqual(['SUP-1', 'SUP-2']);
    const [openssl, cloud, contractor] = s.suppliers;
    expect(openssl).toMatchObject({ state: 'approved', signed: true, reevaluationDue: '2025-06-01', reevaluationOverdue: true, supplies: ['SOUP-1'] });
    expect(cloud).toMatchObject({ state: 'conditional', reevaluationDue: '2026-09-01', reevaluationOverdue: false, agreementsExpiring: [{ name: 'DPA', expiresOn: '2026-02-15', expired: false }] });
    // Approved in its fields but the evaluation is not signed: not on the list.
    expect(contractor).toMatchObject({ state: 'approved', signed: false, approvedForUse: false });
    expect(s.soupWithoutSupplier).toEqual([{ key: 'SOUP-2', title: 'zlib', supplierNamed: 'zlib authors' }]);
  });

  it('metrics: CAPA ageing and on-time closure from the closing signature day, complaints per month, findings closed [DOSSIER-SRS-45]', async () => {
    await addRecords(deps, {
      productKey: 'RPM',
      records: [
        { type: 'CAPA', title: 'On time', fields: { source: 'complaint', openedOn: '2026-01-01', dueOn: '2026-03-31', state: 'rejected', rejectionRationale: 'duplicate of CAPA-2' } },
        { type: 'CAPA', title: 'Still open', fields: { source: 'trend', openedOn: '2025-11-01' } },
        { type: 'CMP', title: 'A', fields: { receivedOn: '2026-01-05', channel: 'email', category: 'malfunction', productVersion: '1.2.0' } },
        { type: 'CMP', title: 'B', fields: { receivedOn: '2026-02-07', channel: 'email', category: 'malfunction', productVersion: '1.3.0' } },
      ],
    });
    // CAPA-1 is closed (rejected, signed) on 2026-02-10.
    const feb = { ...deps, clock: steppingClock('2026-02-10T09:00:00.000Z') };
    await approve(feb, 'CAPA-1', 1);
    const m = await getQmsMetrics({ ...deps, clock: steppingClock('2026-03-15T00:00:00.000Z') }, { productKey: 'RPM', periodFrom: '2026-01-01', periodTo: '2026-03-31' });
    expect(m.months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(m.capaAgeing.map((p) => [p.month, p.open, p.byAge])).toEqual([
      ['2026-01', 2, { '0-30': 1, '31-90': 0, '91-180': 1, '>180': 0 }],
      ['2026-02', 1, { '0-30': 0, '31-90': 0, '91-180': 1, '>180': 0 }],
      ['2026-03', 1, { '0-30': 0, '31-90': 0, '91-180': 1, '>180': 0 }],
    ]);
    expect(m.capaClosure.map((p) => [p.month, p.closed, p.onTime, p.onTimeRate])).toEqual([
      ['2026-01', 0, 0, null],
      ['2026-02', 1, 1, 100],
      ['2026-03', 0, 0, null],
    ]);
    expect(m.complaints.map((p) => [p.received, p.byProductVersion])).toEqual([
      [1, { '1.2.0': 1 }],
      [1, { '1.3.0': 1 }],
      [0, {}],
    ]);
    expect(m.training.every((p) => p.compliance === null)).toBe(true);
    expect(m.factsAvailable).toEqual({ trainings: false, documents: false });
  });
});

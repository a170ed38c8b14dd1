import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localPrincipal } from '../../core/access/principal.js';
import type { Deps } from '../../core/ports.js';
import { expectAppError as rejects } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { aSigningTeam, runAs, signAs, SIGNERS } from '../../test-support/signers.js';
import { DIALECTS, freshStore, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { loadQmsFacts } from '../services/qms-facts.js';
import { addLink } from './add-link.js';
import { addRecord } from './add-record.js';
import { changeRecordStatus } from './change-record-status.js';
import { completeTrainingUseCase } from './complete-training.js';
import { editRecord } from './edit-record.js';
import { exportStore } from './export-store.js';
import { getTrainingMatrixUseCase } from './get-training-matrix.js';
import { getTrainingRecordUseCase } from './get-training-record.js';
import { getTrainingStatusUseCase } from './get-training-status.js';
import { importStore } from './import-store.js';
import { listAuditEvents } from './list-audit-events.js';
import { listDocumentsUseCase } from './list-documents.js';
import { makeDocumentEffectiveUseCase } from './make-document-effective.js';
import { reviewDocumentUseCase } from './review-document.js';
import { syncTrainingUseCase } from './sync-training.js';
import { verifyIntegrity } from './verify-integrity.js';

const ops = localPrincipal('ops');
const QUIZ = {
  questions: [
    { question: 'Who approves a change?', options: ['anyone', 'quality'], answer: 1 },
    { question: 'Where are records kept?', options: ['in Dossier', 'on paper', 'nowhere'], answer: 0 },
  ],
  passMark: 100,
};

describe.each(DIALECTS)('document control and training on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect, 'ops'));
    await aProduct(deps);
    await aSigningTeam(deps, 'RPM');
    const doc = (fields: Record<string, unknown>) => addRecord(deps, { productKey: 'RPM', record: { type: 'DOC', title: 'Design control procedure', fields } });
    await doc({ docType: 'procedure', number: 'SOP-001', version: '1.0', trainingDays: 10, reviewIntervalMonths: 12, governs: ['SRS'] });
    await doc({ docType: 'procedure', number: 'SOP-002', version: '1.0', quiz: QUIZ });
    await doc({ docType: 'form', number: 'FRM-001' });
    await addRecord(deps, { productKey: 'RPM', record: { type: 'JOB', title: 'Engineer', fields: { members: ['dana.engineer', 'quinn.qa'] } } });
    await addRecord(deps, { productKey: 'RPM', record: { type: 'JOB', title: 'Quality', fields: { members: ['quinn.qa', 'avery.approver'] } } });
    for (const [from, to] of [['JOB-1', 'DOC-1'], ['JOB-2', 'DOC-1'], ['JOB-1', 'DOC-2']]) {
      await addLink(deps, { productKey: 'RPM', link: { type: 'requires_training', from: from ?? '', to: to ?? '' } });
    }
    for (const r of ['DOC-1', 'DOC-2', 'DOC-3']) await approve(r, 1);
  }, 60_000);
  afterEach(async () => t.cleanup());

  async function approve(record: string, revision: number): Promise<void> {
    await changeRecordStatus(deps, { productKey: 'RPM', record, to: 'in_review', baseRevision: revision });
    await changeRecordStatus(deps, { productKey: 'RPM', record, to: 'approved', baseRevision: revision });
  }
  const effective = (record: string, on: string) => runAs(deps, makeDocumentEffectiveUseCase, ops, { productKey: 'RPM', record, on });
  const complete = (who: keyof typeof SIGNERS, record: string, extra: { quizAnswers?: number[]; version?: string } = {}) =>
    runAs(deps, completeTrainingUseCase, ops, { productKey: 'RPM', record, username: SIGNERS[who].username, password: SIGNERS[who].password, ...extra });
  const stateOf = async () => ({
    events: (await listAuditEvents(deps, {})).length,
    rows: await deps.store.read(async (r) => [
      (await r.listEffectivities()).length,
      (await r.listTrainingAssignments()).length,
      (await r.listTrainingCompletions()).length,
    ]),
  });

  it('makes an approved version effective and assigns training to every role member once, due trainingDays later, with audit events [DOSSIER-SRS-43] [DOSSIER-SRS-44]', async () => {
    const out = await effective('DOC-1', '2026-12-15');
    expect(out).toMatchObject({ document: 'DOC-1', version: '1.0', revision: 1, effectiveOn: '2026-12-15', approval: 'without electronic signature', supersedes: null });
    expect(out.assignments.map((a) => [a.username, a.role, a.dueOn])).toEqual([
      ['dana.engineer', 'JOB-1', '2026-12-25'],
      ['quinn.qa', 'JOB-1', '2026-12-25'],
      ['avery.approver', 'JOB-2', '2026-12-25'],
    ]);
    const events = (await listAuditEvents(deps, {})).slice(-4);
    expect(events.map((e) => [e.action, e.entityId])).toEqual([
      ['DOCUMENT_EFFECTIVE', 'RPM/DOC-1/effective/1'],
      ['TRAINING_ASSIGNED', 'RPM/DOC-1/training/1'],
      ['TRAINING_ASSIGNED', 'RPM/DOC-1/training/2'],
      ['TRAINING_ASSIGNED', 'RPM/DOC-1/training/3'],
    ]);
    expect(JSON.parse(events[0]?.newValue ?? '{}')).toMatchObject({ record: 'RPM/DOC-1', revision: 1, version: '1.0', effectiveOn: '2026-12-15', madeBy: 'ops' });
    expect(JSON.parse(events[3]?.newValue ?? '{}')).toMatchObject({ username: 'avery.approver', role: 'RPM/JOB-2', dueOn: '2026-12-25' });
    const register = await runAs(deps, listDocumentsUseCase, ops, { productKey: 'RPM' });
    expect(register.documents.find((d) => d.document === 'DOC-1')).toMatchObject({ number: 'SOP-001', version: '1.0', effectiveOn: '2026-12-15', nextReviewDue: '2027-12-15', overdue: false });
    expect(register.documents.find((d) => d.document === 'DOC-3')).toMatchObject({ version: null, effectiveOn: null });
  });

  it('refuses, changing nothing: the same revision again, a document without version, unapproved or obsolete [DOSSIER-SRS-43]', async () => {
    await effective('DOC-1', '2026-12-15');
    const before = await stateOf();
    await rejects(effective('DOC-1', '2026-12-20'), 'INVALID_STATE', /DOC-1 revision 1 \(version 1\.0\) is already effective/);
    await rejects(effective('DOC-3', '2026-12-20'), 'INVALID_STATE', /DOC-3 revision 1 has no version field/);
    await addRecord(deps, { productKey: 'RPM', record: { type: 'DOC', title: 'Draft', fields: { docType: 'policy', version: '0.1' } } });
    await rejects(effective('DOC-4', '2026-12-20'), 'INVALID_STATE', /DOC-4 has no approved revision/);
    await rejects(
      addRecord(deps, { productKey: 'RPM', record: { type: 'DOC', title: 'Copy', fields: { docType: 'form', number: 'sop-001' } } }),
      'INVALID_INPUT',
      /document number sop-001 is already RPM\/DOC-1's/,
    );
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'DOC-2', to: 'obsolete', reason: 'replaced by SOP-003' });
    const after = await stateOf();
    await rejects(effective('DOC-2', '2026-12-20'), 'INVALID_STATE', /DOC-2 is obsolete/);
    expect((await stateOf()).rows).toEqual(after.rows);
    expect((await stateOf()).events).toBe(after.events);
    expect(after.rows).toEqual(before.rows);
  });

  it('P11-09: completion is an electronic signature meaning read and understood, bound to the revision; refusals change nothing', async () => {
    await effective('DOC-1', '2026-12-15');
    const done = await complete('quinn', 'DOC-1');
    expect(done).toMatchObject({ passed: true, method: 'read_and_understood', version: '1.0' });
    expect(done.signature?.manifestation).toMatch(/^Read and understood by Quinn Quality \(quinn\.qa\) on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, revision 1$/);
    const hash = await deps.store.read(async (r) => (await r.findRevision((await r.findRecord(1, 'DOC', 1))?.id ?? 0, 1))?.hash);
    expect(done.signature?.contentHash).toBe(hash);
    const events = (await listAuditEvents(deps, {})).slice(-2);
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['SIGNATURE_APPLIED', 'quinn.qa'],
      ['TRAINING_COMPLETED', 'quinn.qa'],
    ]);
    expect(JSON.parse(events[0]?.newValue ?? '{}')).toMatchObject({ entityType: 'training', meaning: 'read_and_understood', entity: 'RPM/DOC-1/training/2' });
    const before = await stateOf();
    await rejects(complete('quinn', 'DOC-1'), 'INVALID_STATE', /already completed training on RPM\/DOC-1 version 1\.0/);
    await rejects(complete('vic', 'DOC-1'), 'INVALID_STATE', /vic\.viewer has no training assignment on RPM\/DOC-1/);
    expect((await stateOf()).rows).toEqual(before.rows);
    const status = await runAs(deps, getTrainingStatusUseCase, ops, { productKey: 'RPM', record: 'DOC-1' });
    expect(status.trained).toEqual(['quinn.qa']);
    const person = await runAs(deps, getTrainingRecordUseCase, ops, { productKey: 'RPM', username: 'quinn.qa' });
    expect(person.roles).toEqual(['JOB-1', 'JOB-2']);
    expect(person.assignments[0]?.manifestation).toMatch(/^Read and understood by Quinn Quality/);
  });

  it('scores a quiz in core: a failed attempt is kept and completes nothing, a passed one signs', async () => {
    await effective('DOC-2', '2026-12-15');
    await rejects(complete('dana', 'DOC-2'), 'INVALID_INPUT', /has a quiz of 2 questions/);
    const failed = await complete('dana', 'DOC-2', { quizAnswers: [1, 2] });
    expect(failed).toMatchObject({ passed: false, score: 50, passMark: 100, signature: null, method: 'quiz' });
    expect((await listAuditEvents(deps, {})).at(-1)?.action).toBe('TRAINING_FAILED');
    const passed = await complete('dana', 'DOC-2', { quizAnswers: [1, 0] });
    expect(passed).toMatchObject({ passed: true, score: 100, method: 'quiz' });
    expect(passed.signature?.meaning).toBe('read_and_understood');
    await rejects(complete('dana', 'DOC-1', { quizAnswers: [0] }), 'INVALID_STATE', /no training assignment/);
  });

  it('a new version supersedes the old: assignments move to it, the old version is refused, the matrix shows the new one [DOSSIER-SRS-43]', async () => {
    await effective('DOC-1', '2026-12-15');
    await complete('dana', 'DOC-1');
    await editRecord(deps, { productKey: 'RPM', record: 'DOC-1', baseRevision: 1, fields: { version: '1.1' } });
    await approve('DOC-1', 2);
    const out = await effective('DOC-1', '2027-01-10');
    expect(out.supersedes).toMatchObject({ version: '1.0', revision: 1 });
    expect(out.assignments.map((a) => a.username)).toEqual(['dana.engineer', 'quinn.qa', 'avery.approver']);
    await rejects(complete('quinn', 'DOC-1', { version: '1.0' }), 'INVALID_STATE', /version 1\.0 is superseded: version 1\.1 is in force/);
    const register = await runAs(deps, listDocumentsUseCase, ops, { productKey: 'RPM' });
    expect(register.documents[0]).toMatchObject({ version: '1.1', superseded: [{ version: '1.0', revision: 1, effectiveOn: '2026-12-15' }] });
    const matrix = await runAs(deps, getTrainingMatrixUseCase, ops, { productKey: 'RPM' });
    expect(matrix.roles[0]?.documents[0]).toMatchObject({ document: 'DOC-1', version: '1.1' });
    expect(matrix.roles[0]?.documents[0]?.people.map((p) => p.status)).toEqual(['open', 'open']);
    const review = await runAs(deps, reviewDocumentUseCase, ops, { productKey: 'RPM', record: 'DOC-1', on: '2027-06-01' });
    expect(review).toMatchObject({ version: '1.1', reviewedOn: '2027-06-01', nextReviewDue: '2028-06-01' });
    expect((await listAuditEvents(deps, {})).at(-1)?.action).toBe('DOCUMENT_REVIEWED');
  });

  it('training sync assigns a new member of a role', async () => {
    await effective('DOC-1', '2026-12-15');
    await editRecord(deps, { productKey: 'RPM', record: 'JOB-2', baseRevision: 1, fields: { members: ['quinn.qa', 'avery.approver', 'vic.viewer'] } });
    const out = await runAs(deps, syncTrainingUseCase, ops, { productKey: 'RPM' });
    expect(out.assignments.map((a) => [a.document, a.username, a.role])).toEqual([['DOC-1', 'vic.viewer', 'JOB-2']]);
    expect((await runAs(deps, syncTrainingUseCase, ops, { productKey: 'RPM' })).assignments).toEqual([]);
  });

  it('P11-09: flags a record signature by someone not trained on the procedure governing the record type [DOSSIER-SRS-44]', async () => {
    await effective('DOC-1', '2026-01-01');
    await complete('quinn', 'DOC-1');
    await addRecord(deps, { productKey: 'RPM', record: { type: 'SRS', title: 'Heart rate shown', fields: {} } });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'in_review', baseRevision: 1 });
    await signAs(deps, 'quinn', 'reviewed');
    await signAs(deps, 'avery', 'approved');
    const facts = await deps.store.read(async (r) => {
      const product = await r.findProduct('RPM');
      if (product === undefined) throw new Error('no RPM');
      return loadQmsFacts(r, product, '2026-02-01');
    });
    expect(facts.untrainedSignatures.map((s) => [s.recordKey, s.username, s.document])).toEqual([['SRS-1', 'avery.approver', 'DOC-1 v1.0']]);
    expect(facts.documents.map((d) => [d.key, d.version])).toEqual([['DOC-1', '1.0']]);
  });

  it('exports and imports the new tables; audit verify proves them and finds a tampered row', async () => {
    await effective('DOC-1', '2026-12-15');
    await complete('quinn', 'DOC-1');
    await runAs(deps, reviewDocumentUseCase, ops, { productKey: 'RPM', record: 'DOC-1', outcome: 'revision_needed', note: 'new template' });
    expect((await verifyIntegrity(deps)).problems).toEqual([]);
    const doc = await exportStore(deps);
    expect([doc.documentEffectivities.length, doc.documentReviews.length, doc.trainingAssignments.length, doc.trainingCompletions.length]).toEqual([1, 1, 3, 1]);
    const dst = await openTestStore(dialect);
    try {
      const target = testDeps(dst.store);
      await importStore(target, JSON.parse(JSON.stringify(doc)), 'backup.json');
      expect((await verifyIntegrity(target)).problems).toEqual([]);
      expect(await exportStore(target)).toEqual(doc);
    } finally {
      await dst.cleanup();
    }
    await expect(sql`update training_assignments set due_on = '2030-01-01'`.execute(t.store.db)).rejects.toThrow(/dossier|append-only|refuse/i);
    // Someone with the database slips in an effectivity without the application.
    await sql`insert into document_effectivities (id, product_id, record_id, revision, version, effective_on, made_at, made_by)
      values (9, 1, 2, 1, '9.9', '2026-12-01', '2026-12-01T00:00:00.000Z', 'mallory')`.execute(t.store.db);
    const bad = await verifyIntegrity(deps);
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => p.message)).toContain('document effectivity RPM/DOC-2/effective/9 has no audit event: it was written outside the application');
  });
});

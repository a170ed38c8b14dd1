import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectAppError as rejects } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { aSigningTeam, runAs, signAs, SIGNERS } from '../../test-support/signers.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { localPrincipal } from '../../core/access/principal.js';
import type { Deps } from '../../core/ports.js';
import { changeRecordStatus, changeRecordStatusUseCase } from './change-record-status.js';
import { editRecord } from './edit-record.js';
import { getRecordHistoryUseCase } from './get-record-history.js';
import { getRecordUseCase } from './get-record.js';
import { listAuditEvents } from './list-audit-events.js';
import { listSignatureInboxUseCase } from './list-signature-inbox.js';
import { setWorkflowUseCase } from './set-workflow.js';
import { showWorkflowsUseCase } from './show-workflows.js';

const ops = localPrincipal('ops');

describe.each(DIALECTS)('signatures in record views, the inbox and workflows on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect, SIGNERS.dana.username));
    await aProduct(deps);
    await aSigningTeam(deps, 'RPM');
    await someRecords(deps, 'RPM', ['SRS', 'SRS', 'SRS']);
    for (const r of ['SRS-1', 'SRS-2']) await changeRecordStatus(deps, { productKey: 'RPM', record: r, to: 'in_review', baseRevision: 1 });
  });
  afterEach(async () => t.cleanup());

  const sign = (who: keyof typeof SIGNERS, meaning: 'reviewed' | 'approved', records = ['SRS-1'], revision = 1) => signAs(deps, who, meaning, records, revision);
  const view = (record = 'SRS-1') => runAs(deps, getRecordUseCase, ops, { productKey: 'RPM', record });
  const inbox = (who: keyof typeof SIGNERS) => runAs(deps, listSignatureInboxUseCase, ops, { username: SIGNERS[who].username });

  it('P11-13/14: a record shows every signature with printed name, time with its zone, meaning and revision; its approval is electronic [DOSSIER-SRS-30]', async () => {
    await sign('quinn', 'reviewed');
    await sign('avery', 'approved');
    const v = await view();
    expect(v.approval).toBe('electronic');
    expect(v.signatures.map((s) => [s.meaning, s.username, s.revision, s.superseded])).toEqual([
      ['reviewed', 'quinn.qa', 1, false],
      ['approved', 'avery.approver', 1, false],
    ]);
    expect(v.signatures[1]?.manifestation).toMatch(/^Approved by Avery Approver \(avery\.approver\) on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, revision 1$/);
    const h = await runAs(deps, getRecordHistoryUseCase, ops, { productKey: 'RPM', record: 'SRS-1' });
    expect(h.revisions.map((r) => r.signatures.map((s) => s.meaning))).toEqual([['reviewed', 'approved']]);
    expect(h.events.map((e) => e.action)).toEqual(['RECORD_CREATED', 'RECORD_STATUS_CHANGED', 'SIGNATURE_APPLIED', 'SIGNATURE_APPLIED', 'RECORD_STATUS_CHANGED']);
    expect(h.approval).toBe('electronic');
  });

  it('P11-15: editing a signed record supersedes its signatures: shown against the old revision, the record back to draft [DOSSIER-SRS-31]', async () => {
    await sign('quinn', 'reviewed');
    const before = await view();
    expect(before.signatures[0]?.contentHash).toBe(before.revision.hash);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'Changed after review' });
    const v = await view();
    expect(v.head.status).toBe('draft');
    expect(v.signatures.map((s) => [s.revision, s.superseded])).toEqual([[1, true]]);
    expect(v.signatures[0]?.manifestation).toMatch(/revision 1 \(superseded by a later revision\)$/);
    expect(v.approval).toBeNull();
    const h = await runAs(deps, getRecordHistoryUseCase, ops, { productKey: 'RPM', record: 'SRS-1' });
    expect(h.revisions.map((r) => [r.revision, r.signatures.length])).toEqual([[1, 1], [2, 0]]);
  });

  it('P11-13/14: a local operator approving by status change is shown as approved without electronic signature', async () => {
    await sign('quinn', 'reviewed');
    await runAs(deps, changeRecordStatusUseCase, ops, { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 1 });
    const v = await view();
    expect(v.head.status).toBe('approved');
    expect(v.approval).toBe('without electronic signature');
    expect((await view('SRS-3')).approval).toBeNull();
  });

  it('P11-06: a signed-in approver may not approve by status change: refused, pointing at signing, audited', async () => {
    const avery = { ...localPrincipal('avery.approver'), kind: 'user' as const, userId: 3, grants: [{ productKey: 'RPM', role: 'approver' as const }], sessionId: 's' };
    await rejects(
      runAs(deps, changeRecordStatusUseCase, avery, { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 1 }),
      'FORBIDDEN',
      /dossier record sign SRS-1@1 --meaning approved.*POST \/api\/v1\/products\/RPM\/signatures.*SRS-1 still needs reviewed/,
    );
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'ACCESS_DENIED', actor: 'avery.approver' });
    expect((await view()).head.status).toBe('in_review');
  });

  it('lists in the inbox only what a user may sign now: not their own work, not signed already, in workflow order', async () => {
    expect((await inbox('quinn')).items.map((i) => [i.record, i.meaning, i.revision, i.author])).toEqual([
      ['RPM/SRS-1', 'reviewed', 1, 'dana.engineer'],
      ['RPM/SRS-2', 'reviewed', 1, 'dana.engineer'],
    ]);
    expect((await inbox('avery')).count).toBe(0);
    expect((await inbox('vic')).count).toBe(0);
    await sign('quinn', 'reviewed');
    expect((await inbox('quinn')).items.map((i) => i.record)).toEqual(['RPM/SRS-2']);
    const a = await inbox('avery');
    expect(a.items.map((i) => [i.productKey, i.key, i.meaning, i.step, i.steps])).toEqual([['RPM', 'SRS-1', 'approved', 1, 2]]);
    expect(a.count).toBe(1);
    await rejects(runAs(deps, listSignatureInboxUseCase, ops, {}), 'INVALID_INPUT', /--user/);
  });

  it('P11-11: a workflow is audit-trailed configuration, checked before it is set, shown in force', async () => {
    await rejects(
      runAs(deps, setWorkflowUseCase, ops, { productKey: 'RPM', subject: 'SRS', steps: [{ meaning: 'reviewed', roles: ['reviewer'] }], reason: 'one step' }),
      'INVALID_INPUT',
      /last step .* must mean approved/,
    );
    await rejects(
      runAs(deps, setWorkflowUseCase, ops, { productKey: 'RPM', subject: 'NOPE', steps: [{ meaning: 'approved', roles: ['approver'] }], reason: 'x' }),
      'INVALID_INPUT',
      /unknown workflow subject 'NOPE'/,
    );
    await rejects(
      runAs(deps, setWorkflowUseCase, ops, { productKey: 'RPM', subject: 'release', steps: [{ meaning: 'approved', roles: ['quality'] }], reason: 'x' }),
      'INVALID_INPUT',
      /must mean released/,
    );
    const set = await runAs(deps, setWorkflowUseCase, ops, {
      productKey: 'RPM',
      subject: 'SRS',
      steps: [{ meaning: 'approved', roles: ['approver', 'quality'] }],
      reason: 'one approval is enough for requirements',
    });
    expect(set).toMatchObject({ subject: 'SRS', configured: true, updatedBy: 'ops' });
    const last = (await listAuditEvents(deps, {})).at(-1);
    expect(last).toMatchObject({ action: 'WORKFLOW_SET', entityType: 'workflow', entityId: 'RPM/workflow/SRS', actor: 'ops', reason: 'one approval is enough for requirements' });
    expect(JSON.parse(last?.newValue ?? '{}')).toMatchObject({ subject: 'SRS', definition: expect.stringContaining('"approved"') as unknown });
    const shown = await runAs(deps, showWorkflowsUseCase, ops, { productKey: 'RPM' });
    expect(shown.workflows.find((w) => w.subject === 'SRS')).toMatchObject({ configured: true, workflow: { steps: [{ meaning: 'approved' }] } });
    expect(shown.workflows.find((w) => w.subject === 'release')).toMatchObject({ configured: false, workflow: { steps: [{ meaning: 'approved' }, { meaning: 'released' }] } });
    // The new workflow applies to the next signature: one approval now completes it.
    expect((await sign('avery', 'approved')).approved).toEqual(['RPM/SRS-1']);
    expect((await view()).approval).toBe('electronic');
  });
});

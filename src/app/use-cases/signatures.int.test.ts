import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectAppError as rejects } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { aSigningTeam, runAs, signAs, SIGNERS } from '../../test-support/signers.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { localPrincipal } from '../../core/access/principal.js';
import type { Deps } from '../../core/ports.js';
import { changeRecordStatus } from './change-record-status.js';
import { getRecord } from './get-record.js';
import { listAuditEvents } from './list-audit-events.js';
import { signRecordsUseCase } from './sign-records.js';

const ops = localPrincipal('ops');

describe.each(DIALECTS)('record signatures on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect, SIGNERS.dana.username));
    await aProduct(deps);
    await aSigningTeam(deps, 'RPM');
    await someRecords(deps, 'RPM', ['SRS', 'SRS']);
    for (const r of ['SRS-1', 'SRS-2']) await changeRecordStatus(deps, { productKey: 'RPM', record: r, to: 'in_review', baseRevision: 1 });
  });
  afterEach(async () => t.cleanup());

  const sign = (who: keyof typeof SIGNERS, meaning: 'reviewed' | 'approved', records = ['SRS-1']) => signAs(deps, who, meaning, records);

  it('P11-06: review then approval by different people approves the record, each signature with its audit event [DOSSIER-SRS-32]', async () => {
    const reviewed = await sign('quinn', 'reviewed', ['SRS-1', 'SRS-2']);
    expect(reviewed.approved).toEqual([]);
    expect(reviewed.signatures.map((s) => s.manifestation)).toEqual([
      expect.stringMatching(/^Reviewed by Quinn Quality \(quinn\.qa\) on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, revision 1$/),
      expect.stringMatching(/^Reviewed by Quinn Quality/),
    ]);
    const approved = await sign('avery', 'approved');
    expect(approved.approved).toEqual(['RPM/SRS-1']);
    const head = await getRecord(deps, { productKey: 'RPM', record: 'SRS-1' });
    expect(head.head.status).toBe('approved');
    const events = (await listAuditEvents(deps, {})).slice(-2);
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['SIGNATURE_APPLIED', 'avery.approver'],
      ['RECORD_STATUS_CHANGED', 'avery.approver'],
    ]);
    expect(JSON.parse(events[0]?.newValue ?? '{}')).toMatchObject({ meaning: 'approved', entity: 'RPM/SRS-1', revision: 1, printedName: 'Avery Approver' });
  });

  it('P11-06: approval before review is refused, audited, nothing changed [DOSSIER-SRS-32]', async () => {
    await rejects(sign('avery', 'approved'), 'INVALID_STATE', /first needs reviewed/);
    const last = (await listAuditEvents(deps, {})).at(-1);
    expect(last?.action).toBe('SIGNATURE_REFUSED');
  });

  it('P11-19: a wrong password is refused and counts toward lockout [DOSSIER-SRS-30]', async () => {
    await rejects(
      runAs(deps, signRecordsUseCase, ops, { productKey: 'RPM', records: [{ record: 'SRS-1', revision: 1 }], meaning: 'reviewed', username: 'quinn.qa', password: 'not-the-password' }),
      'UNAUTHENTICATED',
      /wrong username or password/,
    );
    const last = (await listAuditEvents(deps, {})).at(-1);
    expect(last?.action).toBe('SIGNATURE_REFUSED');
    const users = await deps.store.read((r) => r.findUser('quinn.qa'));
    expect(users?.failedAttempts).toBe(1);
  });
});

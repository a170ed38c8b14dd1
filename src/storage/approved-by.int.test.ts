import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../core/ports.js';
import { loadBuiltinPacks } from '../ingest/rule-pack-file.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { getRecord } from '../app/use-cases/get-record.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { runCheck } from '../app/use-cases/run-check.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { backfillApprovedBy } from './migrations/0011-approved-by.js';

const packs = loadBuiltinPacks(DEFAULT_CATALOG);

describe.each(DIALECTS)('who approved a record, on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  const as = (actor: string): Deps => ({ ...deps, actor: { id: actor } });
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect, 'dana'));
    await aProduct(deps, { safetyClass: 'C' });
    await someRecords(deps, 'RPM', ['SRS', 'UN']);
    for (const record of ['SRS-1', 'UN-1']) await changeRecordStatus(deps, { productKey: 'RPM', record, to: 'in_review', baseRevision: 1 });
  });
  afterEach(async () => t.cleanup());
  const selfApproved = async (): Promise<string[]> =>
    (await runCheck(deps, { productKey: 'RPM', builtinPacks: packs })).findings.filter((f) => f.ruleId === 'DC-4.2.4-SELF-APPROVAL').map((f) => `${f.severity} ${f.record ?? ''}: ${f.message}`);

  it('the approver is kept on the record head with the approved revision, in the same write as its audit event', async () => {
    await changeRecordStatus(as('quinn'), { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 1 });
    const [ev] = (await listAuditEvents(deps, { limit: 100 })).slice(-1);
    expect([ev?.action, ev?.entityId, ev?.actor, JSON.parse(ev?.newValue ?? '{}')]).toEqual(['RECORD_STATUS_CHANGED', 'RPM/SRS-1', 'quinn', { status: 'approved', revision: 1, approvedBy: 'quinn' }]);
    expect((await getRecord(deps, { productKey: 'RPM', record: 'SRS-1' })).head).toMatchObject({ approvedRevision: 1, approvedBy: 'quinn' });
    // A new draft keeps the approved revision and its approver readable.
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'Upload uses TLS 1.3 only, pinned' });
    expect((await getRecord(deps, { productKey: 'RPM', record: 'SRS-1' })).head).toMatchObject({ status: 'draft', approvedRevision: 1, approvedBy: 'quinn' });
  });

  it('an author approving their own revision is an error for class C; another approver is not flagged', async () => {
    await changeRecordStatus(as('quinn'), { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 1 });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'UN-1', to: 'approved', baseRevision: 1 });
    expect(await selfApproved()).toEqual(['error UN-1: UN-1 was approved by dana, who also wrote the approved revision']);
  });

  it('stores approved before approvers were recorded get them from the approval events', async () => {
    await changeRecordStatus(as('quinn'), { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 1 });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'UN-1', to: 'approved', baseRevision: 1 });
    await sql`update records set approved_by = null`.execute(t.store.db);
    expect(await selfApproved()).toEqual([]);
    await backfillApprovedBy(t.store.db as unknown as Kysely<unknown>);
    const heads = await sql<{ type: string; approved_by: string | null }>`select type, approved_by from records order by id`.execute(t.store.db);
    expect(heads.rows).toEqual([{ type: 'SRS', approved_by: 'quinn' }, { type: 'UN', approved_by: 'dana' }]);
  });
});

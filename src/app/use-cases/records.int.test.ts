import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectAppError as rejects, storeSnapshot } from '../../test-support/assertions.js';
import type { Deps } from '../../core/ports.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { addRecord } from './add-record.js';
import { addRecords } from './add-records.js';
import { changeRecordStatus } from './change-record-status.js';
import { createProduct } from './create-product.js';
import { diffRecord } from './diff-record.js';
import { editRecord } from './edit-record.js';
import { getRecord } from './get-record.js';
import { getRecordHistory } from './get-record-history.js';
import { listAuditEvents } from './list-audit-events.js';
import { listRecords } from './list-records.js';

describe.each(DIALECTS)('records on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
  });
  afterEach(async () => t.cleanup());

  const snapshot = (): Promise<string> => storeSnapshot(deps);

  it('creates a product with its audit event', async () => {
    const p = await aProduct(deps);
    expect(p).toMatchObject({ key: 'RPM', safetyClass: 'B', createdBy: 'alice' });
    const [e] = await listAuditEvents(deps, {});
    expect(e).toMatchObject({ seq: 1, action: 'PRODUCT_CREATED', entityId: 'RPM', actor: 'alice', productKey: 'RPM' });
    expect(JSON.parse(e?.newValue ?? '{}')).toMatchObject({ key: 'RPM', safetyClass: 'B' });
    await rejects(aProduct(deps), 'CONFLICT', /product RPM already exists/);
    await rejects(createProduct(deps, { key: 'rpm', name: 'x', intendedUse: 'y', safetyClass: 'D' }), 'INVALID_INPUT', /key.*safetyClass/s);
  });

  it('numbers records per type, hashes the first revision and audits the creation', async () => {
    await aProduct(deps);
    const [a, b, c] = await someRecords(deps, 'RPM', ['SRS', 'SRS', 'UN']);
    expect([a?.key, b?.key, c?.key]).toEqual(['SRS-1', 'SRS-2', 'UN-1']);
    const view = await getRecord(deps, { productKey: 'RPM', record: 'SRS-1' });
    expect(view.head).toMatchObject({ status: 'draft', latestRevision: 1, approvedRevision: null });
    expect(view.revision.fields).toEqual({ riskControl: true, category: 'security' });
    expect(view.revision.hash).toMatch(/^[0-9a-f]{64}$/);
    const events = await listAuditEvents(deps, { entityId: 'RPM/SRS-1' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'RECORD_CREATED', actor: 'alice' });
    expect(JSON.parse(events[0]?.newValue ?? '{}')).toMatchObject({ revision: 1, hash: view.revision.hash, status: 'draft' });
  });

  it('applies field defaults and refuses unknown types and bad fields without writing anything [DOSSIER-SRS-1]', async () => {
    await aProduct(deps);
    const r = await addRecord(deps, { productKey: 'RPM', record: { type: 'SRS', title: 'Plain requirement' } });
    expect((await getRecord(deps, { productKey: 'RPM', record: r.key })).revision.fields).toEqual({ riskControl: false });
    const before = await snapshot();
    await rejects(addRecord(deps, { productKey: 'RPM', record: { type: 'XYZ', title: 'x' } }), 'INVALID_INPUT', /unknown record type 'XYZ'.*known types: UN, SYS/);
    await rejects(
      addRecords(deps, { productKey: 'RPM', records: [{ type: 'UN', title: 'fine' }, { type: 'SWI', title: 'Item', fields: { level: 'module', safetyClass: 'B' } }] }),
      'INVALID_INPUT',
      /record 2 of 2 \(SWI\).*fields\.level/,
    );
    await rejects(addRecord(deps, { productKey: 'RPM', record: { type: 'TC', title: 'x', fields: { level: 'unit', colour: 'red' } } }), 'INVALID_INPUT', /colour/);
    await rejects(addRecord(deps, { productKey: 'RPM', record: { type: 'SWI', title: 'x', fields: { level: 'unit' } } }), 'INVALID_INPUT', /fields\.safetyClass/);
    await rejects(addRecord(deps, { productKey: 'NOPE', record: { type: 'UN', title: 'x' } }), 'NOT_FOUND', /product NOPE/);
    await rejects(addRecord(deps, { productKey: 'RPM', record: { type: 'UN', title: 'nul \u0000 inside' } }), 'INVALID_INPUT', /title: contains a NUL character/);
    await rejects(addRecord(deps, { productKey: 'RPM', record: { type: 'UN', title: 'ok', body: 'half \uD800 pair' } }), 'INVALID_INPUT', /body: contains a NUL character or an unpaired surrogate/);
    expect(await snapshot()).toBe(before);
  });

  it('edits by writing a new revision; a stale base is a conflict; an approved revision stays readable [DOSSIER-SRS-2] [DOSSIER-SRS-8]', async () => {
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS']);
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'in_review', baseRevision: 1 });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 1 });
    const edited = await editRecord(deps, {
      productKey: 'RPM',
      record: 'SRS-1',
      baseRevision: 1,
      title: 'Upload uses TLS 1.3 only, with certificate pinning',
      fields: { category: null, priority: 'must' },
      reason: 'pen-test finding',
    });
    expect(edited).toMatchObject({ latestRevision: 2, status: 'draft', approvedRevision: 1 });
    const approved = await getRecord(deps, { productKey: 'RPM', record: 'SRS-1', revision: 'approved' });
    expect(approved.revision).toMatchObject({ revision: 1, title: 'Upload uses TLS 1.3 only' });
    const latest = await getRecord(deps, { productKey: 'RPM', record: 'SRS-1' });
    expect(latest.revision.fields).toEqual({ riskControl: true, priority: 'must' });
    expect(latest.revision.hash).not.toBe(approved.revision.hash);

    const events = await listAuditEvents(deps, { entityId: 'RPM/SRS-1' });
    const revised = events.at(-1);
    expect(revised).toMatchObject({ action: 'RECORD_REVISED', reason: 'pen-test finding' });
    expect(JSON.parse(revised?.oldValue ?? '{}')).toMatchObject({ revision: 1, status: 'approved', title: 'Upload uses TLS 1.3 only' });
    expect(JSON.parse(revised?.newValue ?? '{}')).toMatchObject({ revision: 2, status: 'draft', hash: latest.revision.hash });

    const before = await snapshot();
    await rejects(editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'Lost update' }), 'CONFLICT', /based on revision 1 but the latest is revision 2/);
    await rejects(editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 2, title: latest.revision.title }), 'INVALID_INPUT', /changes nothing/);
    await rejects(editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 2, fields: { riskControl: 'yes' } }), 'INVALID_INPUT', /fields\.riskControl/);
    expect(await snapshot()).toBe(before);

    const history = await getRecordHistory(deps, { productKey: 'RPM', record: 'SRS-1' });
    expect(history.revisions.map((r) => r.revision)).toEqual([1, 2]);
    expect(history.events.map((e) => e.action)).toEqual(['RECORD_CREATED', 'RECORD_STATUS_CHANGED', 'RECORD_STATUS_CHANGED', 'RECORD_REVISED']);
    const diff = await diffRecord(deps, { productKey: 'RPM', record: 'SRS-1' });
    expect(diff.changes).toEqual([
      { part: 'title', from: 'Upload uses TLS 1.3 only', to: 'Upload uses TLS 1.3 only, with certificate pinning' },
      { part: 'field', field: 'category', from: 'security', to: undefined },
      { part: 'field', field: 'priority', from: undefined, to: 'must' },
    ]);
  });

  it('follows the lifecycle and refuses changes it does not allow [DOSSIER-SRS-3]', async () => {
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['UN', 'UN']);
    const before = await snapshot();
    await rejects(changeRecordStatus(deps, { productKey: 'RPM', record: 'UN-1', to: 'approved', baseRevision: 1 }), 'INVALID_STATE', /UN-1 is draft; it cannot move to approved \(from draft it can move to: in_review, obsolete\)/);
    await rejects(changeRecordStatus(deps, { productKey: 'RPM', record: 'UN-1', to: 'in_review' }), 'INVALID_INPUT', /name the revision/);
    await rejects(changeRecordStatus(deps, { productKey: 'RPM', record: 'UN-1', to: 'in_review', baseRevision: 7 }), 'INVALID_INPUT', /has no revision 7 yet/);
    await rejects(changeRecordStatus(deps, { productKey: 'RPM', record: 'UN-1', to: 'obsolete' }), 'INVALID_INPUT', /needs a reason/);
    expect(await snapshot()).toBe(before);

    const s = await changeRecordStatus(deps, { productKey: 'RPM', record: 'UN-2', to: 'obsolete', reason: 'duplicate of UN-1' });
    expect(s.status).toBe('obsolete');
    const [e] = (await listAuditEvents(deps, { entityId: 'RPM/UN-2' })).slice(-1);
    expect(e).toMatchObject({ action: 'RECORD_STATUS_CHANGED', reason: 'duplicate of UN-1' });
    expect(JSON.parse(e?.oldValue ?? '{}')).toEqual({ status: 'draft', revision: 1 });
    expect(JSON.parse(e?.newValue ?? '{}')).toEqual({ status: 'obsolete', revision: 1 });
    await rejects(changeRecordStatus(deps, { productKey: 'RPM', record: 'UN-2', to: 'draft', baseRevision: 1 }), 'INVALID_STATE', /obsolete is final/);
    await rejects(editRecord(deps, { productKey: 'RPM', record: 'UN-2', baseRevision: 1, title: 'revive' }), 'INVALID_STATE', /can no longer be edited/);

    // Numbers are never reused, even after a record is obsolete; obsolete records stay listed.
    const [next] = await someRecords(deps, 'RPM', ['UN']);
    expect(next?.key).toBe('UN-3');
    expect((await listRecords(deps, { productKey: 'RPM', type: 'UN' })).map((r) => `${r.key}:${r.status}`)).toEqual(['UN-1:draft', 'UN-2:obsolete', 'UN-3:draft']);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../core/ports.js';
import { STARTER_DOCUMENTS, STARTER_ROLES } from '../../core/qms/starter/index.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { addRecord } from './add-record.js';
import { getRecord } from './get-record.js';
import { initQms } from './init-qms.js';
import { listAuditEvents } from './list-audit-events.js';
import { listLinks } from './list-links.js';
import { listRecords } from './list-records.js';
import { verifyIntegrity } from './verify-integrity.js';

const LINKS = STARTER_ROLES.reduce((n, r) => n + r.trainedOn.length, 0);

describe.each(DIALECTS)('qms init on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
  });
  afterEach(async () => t.cleanup());

  it('writes the manual, SOPs, forms and roles as drafts with the training matrix, each with its audit event, in one transaction', async () => {
    const seqBefore = (await listAuditEvents(deps, {})).length;
    const out = await initQms(deps, { productKey: 'RPM', owner: 'qm', reason: 'start the quality system' });

    expect(out.documents).toHaveLength(STARTER_DOCUMENTS.length);
    expect(out.documents[0]).toEqual({ key: 'DOC-1', number: 'QM-001', title: 'Quality manual', docType: 'quality_manual' });
    expect(out.documents.find((d) => d.number === 'SOP-005')).toMatchObject({ title: 'Corrective and preventive action (CAPA)', docType: 'procedure' });
    expect(out.roles.map((r) => r.title)).toEqual(STARTER_ROLES.map((r) => r.title));
    expect(out.roles.map((r) => r.trainedOn)).toEqual(STARTER_ROLES.map((r) => r.trainedOn.length));
    expect(out.links).toBe(LINKS);

    const records = await listRecords(deps, { productKey: 'RPM' });
    expect(records.filter((r) => r.type === 'DOC')).toHaveLength(STARTER_DOCUMENTS.length);
    expect(records.filter((r) => r.type === 'JOB')).toHaveLength(STARTER_ROLES.length);
    expect(new Set(records.map((r) => r.status))).toEqual(new Set(['draft']));

    const capa = out.documents.find((d) => d.number === 'SOP-005')?.key ?? '';
    const v = await getRecord(deps, { productKey: 'RPM', record: capa });
    expect(v.revision.fields).toMatchObject({ number: 'SOP-005', version: '1.0', owner: 'qm', docType: 'procedure', governs: ['CAPA'], reviewIntervalMonths: 12 });
    expect((v.revision.fields['quiz'] as { questions: unknown[] }).questions).toHaveLength(3);
    expect(v.revision.body).toMatch(/^# SOP-005 Corrective and preventive action \(CAPA\)\n\n## Purpose\n/);
    expect(v.revision.body).toContain('`dossier record add -t CAPA`');

    // The quality manager's row of the training matrix reaches the CAPA SOP.
    const qm = out.roles.find((r) => r.title === 'Quality manager')?.key ?? '';
    const qmLinks = await listLinks(deps, { productKey: 'RPM', record: qm });
    expect(qmLinks.every((l) => l.type === 'requires_training' && l.fromKey === qm)).toBe(true);
    expect(qmLinks.map((l) => l.toKey)).toContain(capa);
    expect(await listLinks(deps, { productKey: 'RPM' })).toHaveLength(LINKS);

    // One audit event per record and per link, all with the same time and reason: one transaction.
    const events = (await listAuditEvents(deps, {})).slice(seqBefore);
    expect(events.filter((e) => e.action === 'RECORD_CREATED')).toHaveLength(STARTER_DOCUMENTS.length + STARTER_ROLES.length);
    expect(events.filter((e) => e.action === 'LINK_CREATED')).toHaveLength(LINKS);
    expect(events).toHaveLength(STARTER_DOCUMENTS.length + STARTER_ROLES.length + LINKS);
    expect(new Set(events.map((e) => e.occurredAt)).size).toBe(1);
    expect(new Set(events.map((e) => e.reason))).toEqual(new Set(['start the quality system']));
    expect(events.find((e) => e.entityId === `RPM/${capa}`)?.actor).toBe('alice');

    // The trail proves the rows it wrote.
    expect((await verifyIntegrity(deps)).problems).toEqual([]);
  });

  it('leaves documents without an owner when none is given, after the product\'s own documents', async () => {
    await addRecord(deps, { productKey: 'RPM', record: { type: 'DOC', title: 'Software development plan', fields: { docType: 'plan', number: 'PLN-001' } } });
    const out = await initQms(deps, { productKey: 'RPM' });
    expect(out.documents[0]?.key).toBe('DOC-2');
    const v = await getRecord(deps, { productKey: 'RPM', record: 'DOC-2' });
    expect(v.revision.fields['owner']).toBeUndefined();
    expect((await listAuditEvents(deps, { entityId: 'RPM/DOC-2' }))[0]?.reason).toBeNull();
  });

  it('refuses a second run, naming the document that holds a starter number, and changes nothing', async () => {
    await initQms(deps, { productKey: 'RPM' });
    const before = await storeSnapshot(deps);
    await expectAppError(initQms(deps, { productKey: 'RPM' }), 'INVALID_STATE', /^the starter QMS is already in RPM: QM-001 is DOC-1 \(and \d+ more starter numbers are taken\); nothing was written$/);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('refuses when the product already has one document with a starter number, and changes nothing', async () => {
    await addRecord(deps, { productKey: 'RPM', record: { type: 'DOC', title: 'Our CAPA procedure', fields: { docType: 'procedure', number: 'SOP-005' } } });
    const before = await storeSnapshot(deps);
    await expectAppError(initQms(deps, { productKey: 'RPM' }), 'INVALID_STATE', /^the starter QMS is already in RPM: SOP-005 is DOC-1; nothing was written$/);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('refuses an unknown product and a blank owner, writing nothing', async () => {
    const before = await storeSnapshot(deps);
    await expectAppError(initQms(deps, { productKey: 'NOPE' }), 'NOT_FOUND', /NOPE/);
    await expectAppError(initQms(deps, { productKey: 'RPM', owner: ' ' }), 'INVALID_INPUT', /owner/);
    expect(await storeSnapshot(deps)).toBe(before);
  });
});

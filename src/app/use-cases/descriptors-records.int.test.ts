import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectAppError as rejects } from '../../test-support/assertions.js';
import type { Deps } from '../../core/ports.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { aProduct, SAMPLE_RECORDS, someRecords } from '../../test-support/factories.js';
import { ANONYMOUS, localPrincipal, type Principal } from '../../core/access/principal.js';
import type { RoleGrant } from '../../core/access/permissions.js';
import { execute } from '../execute.js';
import { processServices } from '../process-services.js';
import { USE_CASES } from '../registry.js';
import type { AnyUseCase } from '../use-case.js';
import { addLinkUseCase } from './add-link.js';
import { addLinksUseCase } from './add-links.js';
import { addRecordsUseCase } from './add-records.js';
import { changeRecordStatusesUseCase, changeRecordStatusUseCase } from './change-record-status.js';
import { createProductUseCase } from './create-product.js';
import { diffRecordUseCase } from './diff-record.js';
import { editProductUseCase } from './edit-product.js';
import { editRecordUseCase } from './edit-record.js';
import { exportStore, exportStoreUseCase } from './export-store.js';
import { getAuditAnchorUseCase } from './get-audit-anchor.js';
import { getAuditLogUseCase } from './get-audit-log.js';
import { getProductUseCase } from './get-product.js';
import { getRecordHistoryUseCase } from './get-record-history.js';
import { getRecordUseCase } from './get-record.js';
import { importStoreUseCase } from './import-store.js';
import { listAuditEvents } from './list-audit-events.js';
import { listLinksUseCase } from './list-links.js';
import { listRecordsUseCase } from './list-records.js';
import { removeLinkUseCase } from './remove-link.js';
import { showCatalogUseCase } from './show-catalog.js';
import { verifyIntegrityUseCase } from './verify-integrity.js';

/** The descriptors this file covers: each must run below, through `execute`, with its output checked. */
const COVERED: readonly AnyUseCase[] = [
  createProductUseCase,
  editProductUseCase,
  getProductUseCase,
  addRecordsUseCase,
  editRecordUseCase,
  getRecordUseCase,
  listRecordsUseCase,
  getRecordHistoryUseCase,
  diffRecordUseCase,
  changeRecordStatusUseCase,
  changeRecordStatusesUseCase,
  addLinkUseCase,
  addLinksUseCase,
  removeLinkUseCase,
  listLinksUseCase,
  getAuditLogUseCase,
  getAuditAnchorUseCase,
  verifyIntegrityUseCase,
  exportStoreUseCase,
  importStoreUseCase,
  showCatalogUseCase,
];

const user = (id: string, ...grants: RoleGrant[]): Principal => ({
  id,
  userId: 1,
  printedName: id,
  kind: 'user',
  grants,
  sessionId: 's1',
  authenticatedAt: '2026-01-01T00:00:00.000Z',
});

const ADA = user('ada', { productKey: '*', role: 'admin' });
const QUINN = user('quinn', { productKey: 'RPM', role: 'quality' });
const ANNA = user('anna', { productKey: 'RPM', role: 'author' });
const RITA = user('rita', { productKey: 'RPM', role: 'reviewer' });
const ABE = user('abe', { productKey: 'RPM', role: 'approver' });
const VERA = user('vera', { productKey: 'RPM', role: 'viewer' });

describe.each(DIALECTS)('record, product, link, audit and store descriptors on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  const ran = new Set<string>();
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
  });
  afterEach(async () => t.cleanup());

  const call = async <T = unknown>(uc: AnyUseCase, input: unknown, p: Principal = ADA, on: Deps = deps): Promise<T> => {
    const out = (await execute(uc, { deps: on, principal: p, services: processServices(on.catalog) }, input, { checkOutput: true })) as T;
    ran.add(uc.name);
    return out;
  };
  /** Runs a write and checks that its audit events name the principal (and were written at all). */
  const write = async <T = unknown>(uc: AnyUseCase, input: unknown, p: Principal, on: Deps = deps): Promise<T> => {
    const before = (await listAuditEvents(on, { limit: 100_000 })).length;
    const out = await call<T>(uc, input, p, on);
    const added = (await listAuditEvents(on, { limit: 100_000 })).slice(before);
    expect(added.length, uc.name).toBeGreaterThan(0);
    for (const e of added) expect(e.actor, `${uc.name}: ${e.action}`).toBe(p.id);
    return out;
  };
  /** The store without its audit trail: a refusal adds an ACCESS_DENIED event and must change nothing else. */
  const state = async (): Promise<string> => JSON.stringify({ ...(await exportStore(deps)), audit: [] });
  const refused = async (uc: AnyUseCase, input: unknown, p: Principal, permission: string): Promise<void> => {
    const before = await state();
    await rejects(call(uc, input, p), 'FORBIDDEN', new RegExp(`^${p.id} may not .*needs the permission ${permission.replace('.', '\\.')}`));
    expect(await state(), uc.name).toBe(before);
    const last = (await listAuditEvents(deps, { limit: 100_000 })).at(-1);
    expect(last).toMatchObject({ action: 'ACCESS_DENIED', actor: p.id, entityId: uc.name });
  };

  it('runs products through execute: create is store-wide, edit and read are per product', async () => {
    const created = await write<{ key: string; createdBy: string }>(
      createProductUseCase,
      { key: 'RPM', name: 'Remote monitoring', intendedUse: 'Sends vital signs to the care team.', safetyClass: 'B' },
      ADA,
    );
    expect(created).toMatchObject({ key: 'RPM', createdBy: 'ada' });
    // A role on one product, even admin, does not grant a store-wide permission.
    await refused(createProductUseCase, { key: 'ECG', name: 'ECG', intendedUse: 'Shows ECGs.', safetyClass: 'A' }, user('pam', { productKey: 'RPM', role: 'admin' }), 'product.create');
    await refused(editProductUseCase, { productKey: 'RPM', safetyClass: 'C', reason: 'dose advice' }, ANNA, 'product.edit');
    const edited = await write<{ before: { safetyClass: string }; after: { safetyClass: string } }>(
      editProductUseCase,
      { productKey: 'RPM', safetyClass: 'C', reason: 'dose advice' },
      QUINN,
    );
    expect([edited.before.safetyClass, edited.after.safetyClass]).toEqual(['B', 'C']);
    expect(await call(getProductUseCase, { productKey: 'RPM' }, VERA)).toMatchObject({ key: 'RPM', safetyClass: 'C' });
    await rejects(call(getProductUseCase, { productKey: 'RPM' }, user('otto', { productKey: 'OTHER', role: 'admin' })), 'FORBIDDEN', /product\.read on RPM/);
    await rejects(call(editProductUseCase, { productKey: 'RPM', reason: 'nothing' }, QUINN), 'INVALID_INPUT', /^the edit of product RPM changes nothing$/);
  });

  it('runs records through execute: add, edit, read, list, history, diff, and each status change with its permission', async () => {
    await aProduct(deps);
    await refused(addRecordsUseCase, { productKey: 'RPM', records: [SAMPLE_RECORDS['SRS']] }, VERA, 'record.create');
    const added = await write<{ key: string; createdBy: string }[]>(
      addRecordsUseCase,
      { productKey: 'RPM', records: [SAMPLE_RECORDS['SRS'], SAMPLE_RECORDS['SRS'], SAMPLE_RECORDS['TC']] },
      ANNA,
    );
    expect(added.map((r) => [r.key, r.createdBy])).toEqual([['SRS-1', 'anna'], ['SRS-2', 'anna'], ['TC-1', 'anna']]);

    await refused(editRecordUseCase, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'TLS 1.3 only, pinned' }, RITA, 'record.edit');
    const edited = await write<{ latestRevision: number }>(
      editRecordUseCase,
      { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'TLS 1.3 only, pinned', body: 'line one\nline two', fields: { category: null } },
      ANNA,
    );
    expect(edited.latestRevision).toBe(2);
    await rejects(call(editRecordUseCase, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'stale' }, ANNA), 'CONFLICT', /based on revision 1 but the latest is revision 2/);

    const view = await call<{ key: string; latestRevision: number; revision: { revision: number }; product: { key: string } }>(
      getRecordUseCase,
      { productKey: 'RPM', record: 'SRS-1', revision: 1 },
      VERA,
    );
    expect(view).toMatchObject({ key: 'SRS-1', latestRevision: 2, revision: { revision: 1 }, product: { key: 'RPM' } });

    // Moving into review or back to draft is a submission; approval and withdrawal are rights of their own.
    await refused(changeRecordStatusUseCase, { productKey: 'RPM', record: 'SRS-1', to: 'in_review', baseRevision: 2 }, VERA, 'record.submit');
    await write(changeRecordStatusUseCase, { productKey: 'RPM', record: 'SRS-1', to: 'in_review', baseRevision: 2 }, RITA);
    await refused(changeRecordStatusUseCase, { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 2 }, ANNA, 'record.approve');
    // A signed-in approver approves by signing, never by a bare status change (refused, audited, nothing changed).
    const before = await state();
    await rejects(
      call(changeRecordStatusUseCase, { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 2 }, ABE),
      'FORBIDDEN',
      /^abe may not approve by status change: approval is an electronic signature\. Sign with `dossier record sign SRS-1@2 --meaning approved`.*SRS-1 still needs reviewed \(by reviewer or quality\), then approved \(by approver\)$/,
    );
    expect(await state()).toBe(before);
    expect((await listAuditEvents(deps, { limit: 100_000 })).at(-1)).toMatchObject({ action: 'ACCESS_DENIED', actor: 'abe' });
    // The operator of a local store still may (an approval without electronic signature).
    const approved = await write<{ status: string; approvedBy: string }>(
      changeRecordStatusUseCase,
      { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 2 },
      localPrincipal('abe'),
    );
    expect(approved).toMatchObject({ status: 'approved', approvedBy: 'abe' });
    await write(changeRecordStatusesUseCase, { productKey: 'RPM', records: [{ record: 'SRS-2', baseRevision: 1 }, { record: 'TC-1', baseRevision: 1 }], to: 'in_review' }, ANNA);
    await refused(changeRecordStatusesUseCase, { productKey: 'RPM', records: [{ record: 'SRS-2' }, { record: 'TC-1' }], to: 'obsolete', reason: 'duplicate' }, ANNA, 'record.obsolete');
    const withdrawn = await write<{ status: string }[]>(
      changeRecordStatusesUseCase,
      { productKey: 'RPM', records: [{ record: 'SRS-2' }], to: 'obsolete', reason: 'duplicate of SRS-1' },
      QUINN,
    );
    expect(withdrawn.map((h) => h.status)).toEqual(['obsolete']);

    const page = await call<{ total: number; records: { key: string }[] }>(listRecordsUseCase, { productKey: 'RPM', type: 'srs', limit: 1 }, VERA);
    expect(page.total).toBe(2);
    expect(page.records.map((r) => r.key)).toEqual(['SRS-1']);
    const next = await call<{ total: number; records: { key: string }[] }>(listRecordsUseCase, { productKey: 'RPM', type: 'SRS', offset: 1, limit: 1 }, VERA);
    expect(next.records.map((r) => r.key)).toEqual(['SRS-2']);
    const found = await call<{ total: number; records: { key: string }[] }>(listRecordsUseCase, { productKey: 'RPM', text: 'PINNED', status: 'approved' }, VERA);
    expect(found).toMatchObject({ total: 1, records: [{ key: 'SRS-1' }] });
    const all = await call<{ total: number; records: unknown[] }>(listRecordsUseCase, { productKey: 'RPM', limit: 'all' }, VERA);
    expect([all.total, all.records.length]).toEqual([3, 3]);
    await rejects(call(listRecordsUseCase, { productKey: 'RPM', limit: 0 }, VERA), 'INVALID_INPUT', /^invalid record list query: limit/);

    const history = await call<{ revisions: unknown[]; events: { action: string; actor: string }[] }>(getRecordHistoryUseCase, { productKey: 'RPM', record: 'SRS-1' }, VERA);
    expect(history.revisions).toHaveLength(2);
    expect(history.events.map((e) => [e.action, e.actor])).toEqual([
      ['RECORD_CREATED', 'anna'],
      ['RECORD_REVISED', 'anna'],
      ['RECORD_STATUS_CHANGED', 'rita'],
      ['RECORD_STATUS_CHANGED', 'abe'],
    ]);
    const diff = await call<{ from: number; to: number; changes: { part: string }[] }>(diffRecordUseCase, { productKey: 'RPM', record: 'SRS-1' }, VERA);
    expect(diff).toMatchObject({ from: 1, to: 2 });
    expect(diff.changes.map((c) => c.part)).toEqual(['title', 'field', 'body']);
  });

  it('runs links through execute', async () => {
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS', 'SRS', 'TC', 'TC']);
    await refused(addLinkUseCase, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } }, VERA, 'link.create');
    const one = await write<{ id: number; fromKey: string; createdBy: string }>(addLinkUseCase, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } }, ANNA);
    expect(one).toMatchObject({ fromKey: 'TC-1', createdBy: 'anna' });
    await refused(addLinksUseCase, { productKey: 'RPM', links: [{ from: 'TC-2', type: 'verifies', to: 'SRS-2' }] }, RITA, 'link.create');
    const many = await write<{ id: number }[]>(
      addLinksUseCase,
      { productKey: 'RPM', links: [{ from: 'TC-2', type: 'verifies', to: 'SRS-2' }, { from: 'TC-1', type: 'verifies', to: 'SRS-2' }], reason: 'test plan' },
      QUINN,
    );
    expect(many).toHaveLength(2);
    await refused(removeLinkUseCase, { productKey: 'RPM', linkId: one.id, reason: 'wrong test' }, RITA, 'link.remove');
    const removed = await write<{ removedBy: string }>(removeLinkUseCase, { productKey: 'RPM', linkId: one.id, reason: 'wrong test' }, ANNA);
    expect(removed.removedBy).toBe('anna');
    expect(await call<unknown[]>(listLinksUseCase, { productKey: 'RPM' }, VERA)).toHaveLength(2);
    expect(await call<unknown[]>(listLinksUseCase, { productKey: 'RPM', record: 'TC-1', includeRemoved: true }, VERA)).toHaveLength(2);
  });

  it('runs the audit trail, verification, export and import through execute with their permissions', async () => {
    await aProduct(deps);
    await aProduct(deps, { key: 'ECG' });
    await someRecords(deps, 'RPM', ['SRS']);
    // One product's trail is for its readers; the whole store's is for those who may verify it.
    const log = await call<{ events: { productKey: string | null }[]; total: number; truncated: boolean }>(getAuditLogUseCase, { productKey: 'rpm', limit: 1 }, VERA);
    expect(log).toMatchObject({ total: 2, truncated: true });
    expect(log.events.map((e) => e.productKey)).toEqual(['RPM']);
    await rejects(call(getAuditLogUseCase, { productKey: 'ECG' }, VERA), 'FORBIDDEN', /audit\.read on ECG/);
    await rejects(call(getAuditLogUseCase, {}, VERA), 'FORBIDDEN', /needs the permission audit\.verify$/);
    expect((await call<{ total: number }>(getAuditLogUseCase, { newestFirst: true }, ADA)).total).toBeGreaterThanOrEqual(3);

    await rejects(call(getAuditAnchorUseCase, {}, QUINN), 'FORBIDDEN', /audit\.verify/);
    const anchor = await call<{ anchor: string; seq: number }>(getAuditAnchorUseCase, {}, user('quentin', { productKey: '*', role: 'quality' }));
    const report = await call<{ ok: boolean; anchorsChecked: number }>(verifyIntegrityUseCase, { anchors: [anchor.anchor] }, ADA);
    expect(report).toMatchObject({ ok: true, anchorsChecked: 1 });
    await rejects(call(verifyIntegrityUseCase, { anchors: ['4:abc'] }, ADA), 'INVALID_INPUT', /^anchors\[0\] "4:abc": expected SEQ:HASH/);

    await rejects(call(exportStoreUseCase, {}, user('quentin', { productKey: '*', role: 'quality' })), 'FORBIDDEN', /store\.export/);
    const doc = await call<{ records: unknown[]; audit: unknown[] }>(exportStoreUseCase, {}, ADA);
    expect(doc.records).toHaveLength(1);

    await rejects(call(importStoreUseCase, { source: 'rpm.json', document: doc }, ADA), 'CONFLICT', /^rpm\.json: an import restores a whole store and needs an empty one/);
    // A refused import leaves its ACCESS_DENIED event behind (the store is no longer empty), so the import that
    // succeeds goes to a store of its own.
    const empty = await freshStore(dialect);
    const fresh = await freshStore(dialect);
    try {
      const quentin = user('quentin', { productKey: '*', role: 'quality' });
      await rejects(call(importStoreUseCase, { source: 'rpm.json', document: doc }, quentin, empty.deps), 'FORBIDDEN', /store\.import/);
      expect((await exportStore(empty.deps)).records).toEqual([]);
      const summary = await call<{ records: number; auditEvents: number }>(importStoreUseCase, { source: 'rpm.json', document: doc }, ADA, fresh.deps);
      expect(summary).toMatchObject({ records: 1, auditEvents: doc.audit.length });
      expect(JSON.stringify(await exportStore(fresh.deps))).toBe(JSON.stringify(doc));
      await rejects(call(importStoreUseCase, { source: 'bad.json', document: { format: 'x' } }, ADA, empty.deps), 'INVALID_INPUT', /^bad\.json: /);
    } finally {
      await empty.t.cleanup();
      await fresh.t.cleanup();
    }
  });

  it('shows the catalog to anyone signed in, as JSON', async () => {
    await rejects(call(showCatalogUseCase, {}, ANONYMOUS), 'UNAUTHENTICATED', /catalog\.show needs a login/);
    const all = await call<{ recordTypes: { key: string }[]; linkTypes: { key: string }[] }>(showCatalogUseCase, {}, VERA);
    expect(all.recordTypes.map((r) => r.key)).toContain('SRS');
    expect(all.linkTypes.map((l) => l.key)).toContain('verifies');
    const tc = await call<{ recordTypes: { key: string; fields: { name: string }[] }[] }>(showCatalogUseCase, { type: 'tc' }, VERA);
    expect(tc.recordTypes.map((r) => r.key)).toEqual(['TC']);
    expect(tc.recordTypes[0]?.fields.map((f) => f.name)).toContain('level');
    expect(JSON.parse(JSON.stringify(all))).toEqual(all);
    await rejects(call(showCatalogUseCase, { type: 'XYZ' }, VERA), 'INVALID_INPUT', /unknown record type 'XYZ'/);
  });

  it('covered every descriptor of this area, and each is in the registry', () => {
    for (const uc of COVERED) {
      expect(ran.has(uc.name), uc.name).toBe(true);
      expect(USE_CASES, uc.name).toContain(uc);
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../core/ports.js';
import { expectAppError } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { canonicalJson } from '../../core/hashing.js';
import { addLink } from './add-link.js';
import { changeRecordStatus } from './change-record-status.js';
import { editRecord } from './edit-record.js';
import { exportStore } from './export-store.js';
import { importStore } from './import-store.js';
import { removeLink } from './remove-link.js';
import { verifyIntegrity } from './verify-integrity.js';

describe.each(DIALECTS)('export and import on %s', (dialect) => {
  let src: TestStore;
  let dst: TestStore;
  let deps: Deps;
  let target: Deps;
  beforeEach(async () => {
    src = await openTestStore(dialect);
    dst = await openTestStore(dialect);
    deps = testDeps(src.store);
    target = testDeps(dst.store, 'bob');
    await aProduct(deps);
    await aProduct(deps, { key: 'ECG', safetyClass: 'C' });
    await someRecords(deps, 'RPM', ['UN', 'SRS', 'TC', 'SWI', 'SOUP']);
    await someRecords(deps, 'ECG', ['UN']);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'Line one\nLine "two" ✓' });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'in_review', baseRevision: 2 });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 2 });
    const l = await addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
    await addLink(deps, { productKey: 'RPM', link: { from: 'SWI-1', type: 'uses', to: 'SOUP-1' } });
    await removeLink(deps, { productKey: 'RPM', linkId: l.id, reason: 'replaced' });
  });
  afterEach(async () => {
    await src.cleanup();
    await dst.cleanup();
  });

  it('P11-03: round-trips the whole store exactly, audit chain included [DOSSIER-SRS-9]', async () => {
    const first = await exportStore(deps);
    expect(first.audit.length).toBeGreaterThan(10);
    const summary = await importStore(target, JSON.parse(JSON.stringify(first)), 'store.json');
    expect(summary).toEqual({ products: 2, records: 6, revisions: 7, links: 2, auditEvents: first.audit.length });
    const second = await exportStore(target);
    expect(canonicalJson(second)).toBe(canonicalJson(first));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect((await verifyIntegrity(target)).ok).toBe(true);
  });

  it('refuses bad documents by name and leaves the target store empty', async () => {
    const good = await exportStore(deps);
    const clone = (): typeof good => JSON.parse(JSON.stringify(good)) as typeof good;

    const dupRecord = clone();
    dupRecord.records.push({ ...dupRecord.records[1]!, id: 999 });
    await expectAppError(importStore(target, dupRecord, 'a.json'), 'INVALID_INPUT', /a\.json: duplicate record SRS-1/);

    const badType = clone();
    badType.records[0]!.type = 'XYZ';
    await expectAppError(importStore(target, badType, 'b.json'), 'INVALID_INPUT', /unknown record type 'XYZ'/);

    const badField = clone();
    badField.records[0]!.status = 'published' as never;
    await expectAppError(importStore(target, badField, 'c.json'), 'INVALID_INPUT', /c\.json: record UN-1 \(id 1\): records\[0\]\.status/);

    const danglingLink = clone();
    danglingLink.links[0]!.toId = 12345;
    await expectAppError(importStore(target, danglingLink, 'd.json'), 'INVALID_INPUT', /link 1 names record id 12345/);

    const tampered = clone();
    tampered.revisions[1]!.title = 'Changed in the file';
    await expectAppError(importStore(target, tampered, 'e.json'), 'INVALID_INPUT', /integrity check: revision RPM\/\S+ does not match its stored hash/);

    const tamperedEvent = clone();
    tamperedEvent.audit[4]!.actor = 'mallory';
    await expectAppError(importStore(target, tamperedEvent, 'f.json'), 'INVALID_INPUT', /audit event 5 .* does not match its hash/);

    await expectAppError(importStore(target, { format: 'other' }, 'g.json'), 'INVALID_INPUT', /g\.json: format/);
    expect(await dst.store.read((r) => r.isEmpty())).toBe(true);

    await importStore(target, clone(), 'h.json');
    await expectAppError(importStore(target, clone(), 'h.json'), 'CONFLICT', /needs an empty one/);
  });
});

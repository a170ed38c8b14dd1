import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { expectAppError as rejects, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import type { Deps } from '../../core/ports.js';
import { addRecord } from './add-record.js';
import { changeRecordStatus, changeRecordStatuses } from './change-record-status.js';
import { configureRule } from './configure-rule.js';
import { createRelease } from './create-release.js';
import { editProduct } from './edit-product.js';
import { editRecord } from './edit-record.js';
import { getProduct } from './get-product.js';
import { listAuditEvents } from './list-audit-events.js';
import { listRecords } from './list-records.js';
import { markReleasedUseCase } from './mark-released.js';
import { aSigningTeam, runAs, SIGNERS } from '../../test-support/signers.js';
import { localPrincipal } from '../../core/access/principal.js';
import { runCheck } from './run-check.js';
import { voidRelease } from './void-release.js';

const packs = loadBuiltinPacks(DEFAULT_CATALOG);

describe.each(DIALECTS)('editing and correcting on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
  });
  afterEach(async () => t.cleanup());

  const lastEvent = async () => (await listAuditEvents(deps, { limit: 1000 })).at(-1);

  it('edits a product with a reason; a class change changes which rules apply; the event holds old and new state [DOSSIER-SRS-15]', async () => {
    await aProduct(deps, { safetyClass: 'C' });
    await someRecords(deps, 'RPM', ['SRS', 'SWI']);
    const classC = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    const { before, after } = await editProduct(deps, { productKey: 'RPM', safetyClass: 'A', reason: 'no path to harm after segregation' });
    expect([before.safetyClass, after.safetyClass]).toEqual(['C', 'A']);
    expect((await getProduct(deps, 'RPM')).safetyClass).toBe('A');
    const classA = await runCheck(deps, { productKey: 'RPM', builtinPacks: packs });
    expect(classA.findings.length).toBeLessThan(classC.findings.length);
    const e = await lastEvent();
    expect(e).toMatchObject({ action: 'PRODUCT_EDITED', entityId: 'RPM', actor: 'alice', reason: 'no path to harm after segregation' });
    expect(JSON.parse(e?.oldValue ?? '{}')).toMatchObject({ safetyClass: 'C' });
    expect(JSON.parse(e?.newValue ?? '{}')).toEqual({ key: 'RPM', name: before.name, intendedUse: before.intendedUse, safetyClass: 'A' });

    const snap = await storeSnapshot(deps);
    await rejects(editProduct(deps, { productKey: 'RPM', safetyClass: 'A', reason: 'again' }), 'INVALID_INPUT', /changes nothing/);
    await rejects(editProduct(deps, { productKey: 'RPM', safetyClass: 'D' as 'A', reason: 'x' }), 'INVALID_INPUT', /safetyClass/);
    await rejects(editProduct(deps, { productKey: 'NOPE', name: 'x', reason: 'x' }), 'NOT_FOUND', /product NOPE/);
    expect(await storeSnapshot(deps)).toBe(snap);
  });

  it('changes the status of several records in one transaction, all or none [DOSSIER-SRS-4]', async () => {
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS', 'SRS', 'SRS']);
    const heads = await changeRecordStatuses(deps, {
      productKey: 'RPM',
      records: [{ record: 'SRS-1', baseRevision: 1 }, { record: 'SRS-2', baseRevision: 1 }],
      to: 'in_review',
    });
    expect(heads.map((h) => h.status)).toEqual(['in_review', 'in_review']);
    const events = (await listAuditEvents(deps, { limit: 1000 })).filter((e) => e.action === 'RECORD_STATUS_CHANGED');
    expect(events.map((e) => e.entityId)).toEqual(['RPM/SRS-1', 'RPM/SRS-2']);

    // SRS-3 is a draft: it cannot be approved, so SRS-1 and SRS-2 are not approved either.
    const snap = await storeSnapshot(deps);
    await rejects(
      changeRecordStatuses(deps, { productKey: 'RPM', records: [{ record: 'SRS-1', baseRevision: 1 }, { record: 'SRS-2', baseRevision: 1 }, { record: 'SRS-3', baseRevision: 1 }], to: 'approved' }),
      'INVALID_STATE',
      /RPM\/SRS-3/,
    );
    await rejects(changeRecordStatuses(deps, { productKey: 'RPM', records: [{ record: 'SRS-1', baseRevision: 1 }, { record: 'SRS-1', baseRevision: 1 }], to: 'approved' }), 'INVALID_INPUT', /named twice/);
    expect(await storeSnapshot(deps)).toBe(snap);
    expect((await listRecords(deps, { productKey: 'RPM', status: 'approved' })).length).toBe(0);
  });

  it('a base revision beyond the latest is bad input, an older one a conflict [DOSSIER-SRS-8]', async () => {
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS']);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'Upload uses TLS 1.3 only, no fallback' });
    const snap = await storeSnapshot(deps);
    await rejects(editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 9, title: 'x' }), 'INVALID_INPUT', /has no revision 9 yet: the latest is revision 2/);
    await rejects(changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 3, to: 'in_review' }), 'INVALID_INPUT', /no revision 3 yet/);
    await rejects(editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'x' }), 'CONFLICT', /based on revision 1 but the latest is revision 2/);
    expect(await storeSnapshot(deps)).toBe(snap);
  });

  it('names an unknown rule before asking for a justification', async () => {
    await aProduct(deps);
    await rejects(configureRule(deps, { productKey: 'RPM', ruleId: 'NOPE-RULE', action: 'disable' }, packs), 'INVALID_INPUT', /unknown rule NOPE-RULE/);
    await rejects(configureRule(deps, { productKey: 'RPM', ruleId: 'IEC62304-7.1-HAZARD-CAUSE', action: 'disable' }, packs), 'INVALID_INPUT', /give a justification for disabling/);
  });

  it('messages name the record, never an internal path [DOSSIER-SRS-37]', async () => {
    await aProduct(deps);
    await rejects(addRecord(deps, { productKey: 'RPM', record: { type: 'SRS', title: '' } }), 'INVALID_INPUT', /^invalid record: title: a title is required$/);
  });

  it('voids a release made by mistake: kept, marked, not releasable, and the version can be frozen again', async () => {
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS']);
    const first = await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
    const v = await voidRelease(deps, { productKey: 'RPM', version: '1.0.0', reason: 'frozen from the wrong branch' });
    expect(v).toMatchObject({ status: 'void', voidedBy: 'alice', voidReason: 'frozen from the wrong branch', baseline: first.release.baseline });
    const e = await lastEvent();
    expect(e).toMatchObject({ action: 'RELEASE_VOIDED', entityId: 'RPM/release/1.0.0', reason: 'frozen from the wrong branch' });
    expect(JSON.parse(e?.newValue ?? '{}')).toMatchObject({ status: 'void', baseline: 1 });

    const snap = await storeSnapshot(deps);
    await rejects(voidRelease(deps, { productKey: 'RPM', version: '1.0.0', reason: 'once more, why not' }), 'INVALID_STATE', /already void/);
    await rejects(voidRelease(deps, { productKey: 'RPM', version: '1.0.0', reason: 'short' }), 'INVALID_INPUT', /reason/);
    expect(await storeSnapshot(deps)).toBe(snap);
    // Releasing a void baseline is refused even with the right signer (the refusal is kept in the audit trail).
    await aSigningTeam(deps, 'RPM');
    const avery = { username: SIGNERS.avery.username, password: SIGNERS.avery.password };
    await rejects(runAs(deps, markReleasedUseCase, localPrincipal('ops'), { productKey: 'RPM', version: '1.0.0', ...avery }), 'INVALID_STATE', /is void/);
    expect(await lastEvent()).toMatchObject({ action: 'SIGNATURE_REFUSED', entityId: 'RPM/release/1.0.0' });

    const again = await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
    expect(again.release).toMatchObject({ baseline: 2, status: 'draft' });
  });
});

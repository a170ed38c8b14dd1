import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/hashing.js';
import type { Deps } from '../../core/ports.js';
import type { StoreExport } from '../../core/store-export.js';
import { expectAppError } from '../../test-support/assertions.js';
import { aSignedProduct } from '../../test-support/release-signatures.js';
import { SIGNERS } from '../../test-support/signers.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { exportStore } from './export-store.js';
import { importStore } from './import-store.js';
import { verifyIntegrity } from './verify-integrity.js';

/**
 * Electronic signatures survive a backup and restore (21 CFR 11.10(b)/(c), 11.70): a whole-store export carries every
 * signature, statement acceptance and workflow verbatim; restored, the store verifies and exports the same document;
 * an export whose signatures the trail does not prove is refused, naming the signature.
 */
describe.each(DIALECTS)('signatures in a store export on %s', (dialect) => {
  let src: TestStore;
  let dst: TestStore;
  let deps: Deps;
  let doc: StoreExport;
  beforeEach(async () => {
    src = await openTestStore(dialect);
    dst = await openTestStore(dialect);
    deps = testDeps(src.store, SIGNERS.dana.username);
    await aSignedProduct(deps);
    doc = await exportStore(deps);
  }, 60_000);
  afterEach(async () => {
    await src.cleanup();
    await dst.cleanup();
  });

  /** A deep copy of the export, as a file read back would be. */
  const copy = (): StoreExport => JSON.parse(JSON.stringify(doc)) as StoreExport;

  it('P11-02, P11-03: restores signatures, statement acceptances and workflows: the same rows, the store verifies [DOSSIER-SRS-9]', async () => {
    expect(doc.signatures.map((s) => [s.id, s.entityKey, s.revision, s.meaning, s.username])).toEqual([
      [1, 'RPM/SRS-1', 1, 'reviewed', 'quinn.qa'],
      [2, 'RPM/SRS-2', 1, 'reviewed', 'quinn.qa'],
      [3, 'RPM/SRS-1', 1, 'approved', 'avery.approver'],
      [4, 'RPM/release/1.0.0', 1, 'approved', 'quinn.qa'],
      [5, 'RPM/release/1.0.0', 1, 'released', 'avery.approver'],
    ]);
    expect(doc.statementAcceptances.map((a) => a.username)).toEqual(Object.values(SIGNERS).map((s) => s.username));
    expect(doc.workflows.map((w) => w.subject)).toEqual(['DOC']);
    const target = testDeps(dst.store, 'restorer');
    await importStore(target, copy(), 'backup.json');
    const again = await exportStore(target);
    expect(canonicalJson(again)).toBe(canonicalJson(doc));
    expect(await dst.store.read((r) => r.pageSignatures(0, 100))).toEqual(await src.store.read((r) => r.pageSignatures(0, 100)));
    expect(await dst.store.read((r) => r.listStatementAcceptances())).toEqual(await src.store.read((r) => r.listStatementAcceptances()));
    expect(await dst.store.read((r) => r.listWorkflows())).toEqual(await src.store.read((r) => r.listWorkflows()));
    const report = await verifyIntegrity(target);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, anchorsChecked: 3 });
  });

  it('P11-15: refuses an export with a signature changed, moved or left out, naming it, and writes nothing [DOSSIER-SRS-31]', async () => {
    const refused = async (forged: StoreExport, message: RegExp): Promise<void> => {
      await expectAppError(importStore(testDeps(dst.store), forged, 'forged.json'), 'INVALID_INPUT', message);
      expect(await dst.store.read((r) => r.isEmpty())).toBe(true);
    };
    const changed = copy();
    const approval = changed.signatures[2];
    if (approval === undefined) throw new Error('no third signature');
    approval.printedName = 'Mallory';
    await refused(changed, /forged\.json: the file fails its integrity check: signature RPM\/SRS-1\/signature\/3: printed name is 'Mallory' in the store but 'Avery Approver' by the audit trail/);

    const moved = copy();
    const review = moved.signatures[1];
    if (review === undefined) throw new Error('no second signature');
    review.entityId = 1;
    review.step = 2;
    await refused(moved, /signature RPM\/SRS-2\/signature\/2: signed entity is 'RPM\/SRS-1' in the store but 'RPM\/SRS-2' by the audit trail/);

    const dropped = copy();
    dropped.signatures = dropped.signatures.filter((s) => s.id !== 5);
    await refused(dropped, /signature RPM\/release\/1\.0\.0\/signature\/5 is in the audit trail but missing/);

    // A document without the sections (as written before signatures) reads them as empty: the trail still has them.
    const { signatures: _s, statementAcceptances: _a, workflows: _w, ...older } = copy();
    await refused(older as StoreExport, /the file fails its integrity check: signature RPM\/SRS-1\/signature\/1 is in the audit trail but missing/);
  });

  it('P11-15: refuses an export whose release signature names a head its trail no longer reaches', async () => {
    const cut = copy();
    const signedAt = cut.audit.findIndex((e) => e.action === 'SIGNATURE_APPLIED' && e.entityId === 'RPM/release/1.0.0/signature/5');
    cut.audit = cut.audit.slice(0, signedAt);
    await expectAppError(
      importStore(testDeps(dst.store), cut, 'cut.json'),
      'INVALID_INPUT',
      /cut\.json: the file fails its integrity check: the audit trail ends at event \d+ but release RPM 1\.0\.0 \(signature 5, released\) was signed with the trail at event \d+ and recorded after it: events were removed/,
    );
    expect(await dst.store.read((r) => r.isEmpty())).toBe(true);
  });
});

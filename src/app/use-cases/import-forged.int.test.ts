import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { expectAppError } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import type { Deps } from '../../core/ports.js';
import { addLinks } from './add-links.js';
import { changeRecordStatus } from './change-record-status.js';
import { configureRule } from './configure-rule.js';
import { createRelease } from './create-release.js';
import { exportStore } from './export-store.js';
import { importStore } from './import-store.js';
import { removeLink } from './remove-link.js';
import { verifyIntegrity } from './verify-integrity.js';

const packs = loadBuiltinPacks(DEFAULT_CATALOG);

/** A forged export: the audit trail is intact, but the current state in the file says something else. */
describe.each(DIALECTS)('import of a forged export on %s', (dialect) => {
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
    await someRecords(deps, 'RPM', ['SRS', 'TC', 'TC', 'SRS']);
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'in_review', baseRevision: 1 });
    await addLinks(deps, { productKey: 'RPM', links: [{ from: 'TC-1', type: 'verifies', to: 'SRS-1' }, { from: 'TC-2', type: 'verifies', to: 'SRS-1' }] });
    await removeLink(deps, { productKey: 'RPM', linkId: 2, reason: 'TC-2 was merged into TC-1' });
    await configureRule(deps, { productKey: 'RPM', ruleId: 'IEC62304-7.1-HAZARD-CAUSE', action: 'disable', justification: 'No hazards are analysed in this test product' }, packs);
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
  });
  afterEach(async () => {
    await src.cleanup();
    await dst.cleanup();
  });

  it('refuses each change of current state or of a baseline by name, and leaves the target store empty', async () => {
    const good = await exportStore(deps);
    const forge = (change: (doc: typeof good) => void): typeof good => {
      const doc = JSON.parse(JSON.stringify(good)) as typeof good;
      change(doc);
      return doc;
    };
    const cases: [string, (doc: typeof good) => void, RegExp][] = [
      ['status', (d) => void (d.records[0]!.status = 'approved'), /record RPM\/SRS-1: status is 'approved' in the store but 'in_review' by the audit trail/],
      ['approved revision', (d) => void (d.records[1]!.approvedRevision = 1), /record RPM\/TC-1: approved revision is 1 in the store but none/],
      ['link end', (d) => void (d.links[0]!.toId = 4), /link RPM\/link\/1: to is 'RPM\/SRS-2' in the store but 'RPM\/SRS-1'/],
      ['link removal', (d) => Object.assign(d.links[1]!, { removedAt: null, removedBy: null, removalReason: null }), /link RPM\/link\/2: removed at is none in the store/],
      ['safety class', (d) => void (d.products[0]!.safetyClass = 'A'), /product RPM: safety class is 'A' in the store but 'B'/],
      ['rule setting', (d) => void (d.ruleSettings[0]!.enabled = true), /rule setting RPM\/rule\/IEC62304-7.1-HAZARD-CAUSE: enabled is true in the store but false/],
      ['release status', (d) => Object.assign(d.releases[0]!, { status: 'released', releasedAt: '2026-01-01T00:00:00.000Z', releasedBy: 'mallory' }), /release RPM\/release\/1.0.0#1: status is 'released' in the store but 'draft'/],
      ['baseline row', (d) => void (d.releaseRecords[1]!.status = 'approved'), /release RPM 1.0.0 baseline 1: its frozen records, links and evidence do not hash to its baseline hash/],
      ['baseline hash', (d) => void (d.releases[0]!.baselineHash = 'f'.repeat(64)), /release RPM\/release\/1.0.0#1: baseline hash is 'f{64}' in the store/],
    ];
    for (const [what, change, message] of cases) {
      const refused = expectAppError(importStore(target, forge(change), 'forged.json'), 'INVALID_INPUT', new RegExp(`^forged\\.json: the file fails its integrity check: ${message.source}`));
      await expect(refused, what).resolves.toBeUndefined();
    }
    expect(await dst.store.read((r) => r.isEmpty())).toBe(true);

    await importStore(target, forge(() => undefined), 'store.json');
    expect(await verifyIntegrity(target)).toMatchObject({ ok: true, stateRowsChecked: 9, baselinesChecked: 1 });
  });
});

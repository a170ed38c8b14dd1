import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import type { Deps } from '../../core/ports.js';
import { changeRecordStatus } from './change-record-status.js';
import { checkRelease } from './check-release.js';
import { configureRule } from './configure-rule.js';
import { createRelease } from './create-release.js';
import { diffReleases } from './diff-releases.js';
import { editRecord } from './edit-record.js';
import { listAuditEvents } from './list-audit-events.js';

const packs = loadBuiltinPacks(DEFAULT_CATALOG);

describe.each(DIALECTS)('a release holds approved records only, on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  const reviewer = (): Deps => ({ ...deps, actor: { id: 'quinn.qa' } });
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps, { safetyClass: 'C' });
    await someRecords(deps, 'RPM', ['SRS', 'DOC']);
    for (const record of ['SRS-1', 'DOC-1']) {
      await changeRecordStatus(deps, { productKey: 'RPM', record, to: 'in_review', baseRevision: 1 });
      await changeRecordStatus(reviewer(), { productKey: 'RPM', record, to: 'approved', baseRevision: 1 });
    }
  });
  afterEach(async () => t.cleanup());
  const unapproved = async (version: string): Promise<string[]> =>
    (await checkRelease(deps, { productKey: 'RPM', version, builtinPacks: packs })).findings
      .filter((f) => f.ruleId === 'RELEASE-RECORD-APPROVED')
      .map((f) => `${f.severity} ${f.clause} ${f.record ?? '*'}: ${f.message}`);

  it('an approved requirement edited before the freeze is an error in the gate, and the diff flags approved → draft [DOSSIER-SRS-22]', async () => {
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
    expect(await unapproved('1.0.0')).toEqual([]);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'Upload uses TLS 1.3 only, with pinning' });
    await createRelease(deps, { productKey: 'RPM', version: '1.1.0' });
    expect(await unapproved('1.1.0')).toEqual(['error ISO 13485 4.2.4 SRS-1: SRS-1 is draft at revision 2 in this baseline']);

    const diff = await diffReleases(deps, { productKey: 'RPM', from: '1.0.0', to: '1.1.0' });
    expect(diff.findings.map((f) => `${f.severity} ${f.ruleId} ${f.message}`)).toEqual([
      'warning RELEASE-DIFF-APPROVAL-LOST SRS-1 was approved (rev 1) in 1.0.0 but is draft (rev 2) in draft 1.1.0',
    ]);
    // However the newer baseline came to be released (the gate rule disabled), the diff says so as an error.
    const release = await deps.store.read(async (r) => r.findRelease(1, '1.1.0'));
    await deps.store.write(async (w) => w.markReleased(release?.id ?? 0, '2026-12-01T00:00:00.000Z', 'erin'));
    const released = await diffReleases(deps, { productKey: 'RPM', from: '1.0.0', to: '1.1.0' });
    expect(released.findings.map((f) => `${f.severity} ${f.record ?? ''}: ${f.message}`)).toEqual(['error SRS-1: SRS-1 was approved (rev 1) in 1.0.0 but is draft (rev 2) in released 1.1.0']);
  });

  it('the gate rule is disabled or re-graded only with a justification, audit-trailed, like pack rules [DOSSIER-SRS-17]', async () => {
    await editRecord(deps, { productKey: 'RPM', record: 'DOC-1', baseRevision: 1, body: 'rewritten' });
    await createRelease(deps, { productKey: 'RPM', version: '1.0.0' });
    const before = await storeSnapshot(deps);
    await expectAppError(
      configureRule(deps, { productKey: 'RPM', ruleId: 'RELEASE-RECORD-APPROVED', action: 'disable', justification: 'short' }, packs),
      'INVALID_INPUT',
      /at least 10 characters/,
    );
    expect(await storeSnapshot(deps)).toBe(before);
    await configureRule(deps, { productKey: 'RPM', ruleId: 'RELEASE-RECORD-APPROVED', action: 'severity', severity: 'warning', justification: 'Pilot build for the usability study only' }, packs);
    expect(await unapproved('1.0.0')).toEqual(['warning ISO 13485 4.2.4 DOC-1: DOC-1 is draft at revision 2 in this baseline']);
    await configureRule(deps, { productKey: 'RPM', ruleId: 'RELEASE-RECORD-APPROVED', action: 'disable', justification: 'Pilot build for the usability study only' }, packs);
    const check = await checkRelease(deps, { productKey: 'RPM', version: '1.0.0', builtinPacks: packs });
    expect(check.findings.some((f) => f.ruleId === 'RELEASE-RECORD-APPROVED')).toBe(false);
    expect(check.rules.disabled).toEqual([{ ruleId: 'RELEASE-RECORD-APPROVED', justification: 'Pilot build for the usability study only' }]);
    const events = (await listAuditEvents(deps, { limit: 100 })).slice(-2).map((e) => [e.action, e.entityId, e.newValue]);
    expect(events).toEqual([
      ['RULE_SEVERITY_SET', 'RPM/rule/RELEASE-RECORD-APPROVED', '{"enabled":true,"severity":"warning"}'],
      ['RULE_DISABLED', 'RPM/rule/RELEASE-RECORD-APPROVED', '{"enabled":false,"severity":"warning"}'],
    ]);
  });
});

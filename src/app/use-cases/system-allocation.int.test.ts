import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import type { Deps } from '../../core/ports.js';
import { addRecord } from './add-record.js';
import { editRecord } from './edit-record.js';
import { listAuditEvents } from './list-audit-events.js';
import { runCheck } from './run-check.js';

const packs = loadBuiltinPacks(DEFAULT_CATALOG);
const RULE = 'DC-7.3.3-SYSTEM-REQUIREMENT-REFINED';

describe.each(DIALECTS)('a system requirement allocated outside the software, on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
  });
  afterEach(async () => t.cleanup());

  const flagged = async (): Promise<(string | null)[]> =>
    (await runCheck(deps, { productKey: 'RPM', builtinPacks: packs })).findings.filter((f) => f.ruleId === RULE).map((f) => f.record);

  it('is refused without a reason, naming the field, and leaves the store as it was', async () => {
    const before = await storeSnapshot(deps);
    await expectAppError(
      addRecord(deps, { productKey: 'RPM', record: { type: 'SYS', title: 'Cuff measures blood pressure', fields: { allocation: 'hardware' } } }),
      'INVALID_INPUT',
      /^new SYS record \(System requirement\) has invalid fields: fields\.allocationReason: required when allocation is hardware: say what meets the requirement/,
    );
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('is flagged until allocated with a reason; the edit is audit-trailed', async () => {
    await addRecord(deps, { productKey: 'RPM', record: { type: 'SYS', title: 'Readings are received in the background' } });
    expect(await flagged()).toEqual(['SYS-1']);
    const before = await storeSnapshot(deps);
    await expectAppError(
      editRecord(deps, { productKey: 'RPM', record: 'SYS-1', baseRevision: 1, fields: { allocation: 'other_system' } }),
      'INVALID_INPUT',
      /fields\.allocationReason: required when allocation is other_system/,
    );
    expect(await storeSnapshot(deps)).toBe(before);
    const reason = 'Met by the phone\'s operating system: background Bluetooth access is the platform\'s';
    await editRecord(deps, { productKey: 'RPM', record: 'SYS-1', baseRevision: 1, fields: { allocation: 'other_system', allocationReason: reason } });
    expect(await flagged()).toEqual([]);
    const [event] = (await listAuditEvents(deps, { productKey: 'RPM', limit: 100 })).filter((e) => e.action === 'RECORD_REVISED');
    expect(JSON.parse(event?.newValue ?? '{}')).toMatchObject({ fields: { allocation: 'other_system', allocationReason: reason } });
  });
});

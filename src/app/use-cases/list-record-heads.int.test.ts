import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../core/ports.js';
import { expectAppError } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { editRecord } from './edit-record.js';
import { listRecordHeads } from './list-record-heads.js';

describe.each(DIALECTS)('record heads on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
  });
  afterEach(async () => t.cleanup());

  it("lists each of the product's records with its status and latest revision, and no other product's", async () => {
    await aProduct(deps);
    await aProduct(deps, { key: 'IBC' });
    await someRecords(deps, 'RPM', ['SYS', 'SRS']);
    await someRecords(deps, 'IBC', ['SRS']);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'Second.' });
    const heads = await listRecordHeads(deps, { productKey: 'RPM' });
    expect(heads.sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual([
      { key: 'SRS-1', status: 'draft', latestRevision: 2 },
      { key: 'SYS-1', status: 'draft', latestRevision: 1 },
    ]);
    await expectAppError(listRecordHeads(deps, { productKey: 'NOPE' }), 'NOT_FOUND', /NOPE/);
  });
});

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRecords } from '../core/use-cases/add-records.js';
import type { Deps } from '../core/ports.js';
import { expectAppError, storeSnapshot } from '../test-support/assertions.js';
import { aProduct, SAMPLE_RECORDS } from '../test-support/factories.js';
import { freshStore, type TestStore } from '../test-support/stores.js';

describe('a SQLite store on a full disk', () => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore('sqlite'));
  });
  afterEach(async () => t.cleanup());

  it('refuses the write with a one-line message naming the file, and keeps nothing of it', async () => {
    await aProduct(deps, { key: 'RPM' });
    const before = await storeSnapshot(deps);
    // The database may not grow: to SQLite that is a full disk (SQLITE_FULL).
    const pages = await sql<{ page_count: number }>`pragma page_count`.execute(t.store.db);
    await sql.raw(`pragma max_page_count = ${pages.rows[0]?.page_count ?? 0}`).execute(t.store.db);
    const records = Array.from({ length: 200 }, (_, i) => ({ ...SAMPLE_RECORDS['SYS'], type: 'SYS', title: `Requirement ${i}`, body: 'x'.repeat(2000) }));
    await expectAppError(addRecords(deps, { productKey: 'RPM', records }), 'INVALID_INPUT', new RegExp(`^cannot write to ${t.dbArg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the disk is full; nothing was changed$`));
    expect(await storeSnapshot(deps)).toBe(before);
  });
});

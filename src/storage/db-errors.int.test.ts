import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRecords } from '../app/use-cases/add-records.js';
import type { Deps } from '../core/ports.js';
import { expectAppError, storeSnapshot } from '../test-support/assertions.js';
import { aProduct, SAMPLE_RECORDS } from '../test-support/factories.js';
import { DIALECTS, freshStore, openTestStore, TEST_PG_URL, type TestStore } from '../test-support/stores.js';
import { openStore, parseStoreTarget } from './open-store.js';
import { isAppError } from '../core/errors.js';

describe('a SQLite store on a full disk', () => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore('sqlite'));
  });
  afterEach(async () => t.cleanup());

  it('refuses the write with a one-line message naming the file, and keeps nothing of it [DOSSIER-SRS-37]', async () => {
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

describe('a PostgreSQL store whose write lock another process holds', () => {
  it.runIf(DIALECTS.includes('postgres'))('waits as long as the lock timeout, then refuses naming the server', async () => {
    const t = await openTestStore('postgres');
    const holder = new pg.Client({ connectionString: TEST_PG_URL });
    await holder.connect();
    try {
      const schema = new URL(t.dbArg).searchParams.get('schema') ?? '';
      await holder.query('begin');
      await holder.query(`select value from ${schema}.dossier_meta where key = 'write_lock' for update`);
      const impatient = await openStore(parseStoreTarget(t.dbArg), { lockTimeoutMs: 300 });
      try {
        await expectAppError(impatient.write((w) => w.listProducts()), 'CONFLICT', /^another process is writing to the store at 127\.0\.0\.1:5432\/test; waited 0\.3 s/);
      } finally {
        await impatient.close();
      }
    } finally {
      await holder.query('rollback');
      await holder.end();
      await t.cleanup();
    }
  });
});

describe.each(DIALECTS)('a key already taken, on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
  });
  afterEach(async () => t.cleanup());

  it('is a CONFLICT naming the table (and, on PostgreSQL, the key), and the write keeps nothing [DOSSIER-SRS-37]', async () => {
    const product = await aProduct(deps, { key: 'RPM' });
    const before = await storeSnapshot(deps);
    // Behind the use-cases' own checks: the database's unique key refuses the second product RPM.
    const write = deps.store.write(async (w) => {
      await w.insertProducts([{ ...product, id: product.id + 1, name: 'Another' }]);
    });
    const named = dialect === 'postgres' ? 'key = RPM' : 'this key';
    await expectAppError(write, 'CONFLICT', new RegExp(`^products already holds a row with ${named}; nothing was changed$`));
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('is a CONFLICT for a table whose key only the unique index guards, after earlier writes of the same transaction', async () => {
    const product = await aProduct(deps, { key: 'RPM' });
    const pack = {
      productId: product.id, pack: 'house', definition: '{}', hash: 'a'.repeat(64), addedAt: '2026-01-01T00:00:00.000Z', addedBy: 'alice',
    };
    await deps.store.write((w) => w.insertProductRulePacks([pack]));
    const before = await storeSnapshot(deps);
    const e: unknown = await deps.store
      .write(async (w) => {
        await w.updateProduct(product.id, { name: 'Renamed', intendedUse: product.intendedUse, safetyClass: product.safetyClass });
        await w.insertProductRulePacks([{ ...pack, definition: '{"x":1}' }]);
      })
      .catch((err: unknown) => err);
    expect(isAppError(e, 'CONFLICT'), String(e)).toBe(true);
    if (isAppError(e)) {
      expect(e.message).toMatch(/^product_rule_packs already holds a row with (the same )?product_id, pack/);
      expect(e.details).toMatchObject({ table: 'product_rule_packs', key: 'product_id, pack' });
      if (dialect === 'postgres') expect(e.message).toContain(`product_id, pack = ${product.id}, house`);
    }
    expect(await storeSnapshot(deps)).toBe(before);
  });
});

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { built, inBatches, runNode } from '../test-support/processes.js';
import { DIALECTS, dropSchema, TEST_PG_URL } from '../test-support/stores.js';
import { appliedMigrations, migrations } from './migrate.js';
import { openStore, type StoreTarget } from './open-store.js';
import type { Dialect } from './schema.js';

const ALL = Object.keys(migrations('sqlite')).sort();

/** A fresh place for a store: a new file in `dir`, or a new schema name. */
function freshTarget(dialect: Dialect, dir: string, i: number): StoreTarget {
  return dialect === 'sqlite'
    ? { dialect, location: join(dir, `s${i}.db`) }
    : { dialect, location: TEST_PG_URL, schema: `mc_${process.pid}_${Date.now().toString(36)}_${i}` };
}

/** How many tables the store has (0: the migration left nothing behind). */
async function tableCount(target: StoreTarget): Promise<number> {
  if (target.dialect === 'sqlite') {
    const db = new Database(target.location);
    try {
      return (db.prepare(`select count(*) as n from sqlite_master where name not like 'sqlite_%'`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>(`select count(*) as n from information_schema.tables where table_schema = $1`, [target.schema]);
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/** Opens the store as any later command would, and checks it is whole: every migration, the write lock row, a write. */
async function expectWhole(target: StoreTarget): Promise<void> {
  const store = await openStore(target);
  try {
    expect((await appliedMigrations(store.db, target.dialect)).sort()).toEqual(ALL);
    const lock = await store.db.selectFrom('dossier_meta').select('value').where('key', '=', 'write_lock').executeTakeFirst();
    expect(lock?.value).toBe('0');
    expect(await store.write((w) => w.listProducts())).toEqual([]);
  } finally {
    await store.close();
  }
}

describe.each(DIALECTS)('migrations on %s, crashed after any statement', (dialect) => {
  let dir = '';
  const schemas: string[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-migrate-crash-'));
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    for (const s of schemas.splice(0)) await dropSchema(s);
  });

  it('leave the store as before, and the next open migrates it completely', { timeout: 300_000 }, async () => {
    // Count the statements of a full migration of a new store.
    let statements = 0;
    const counted = freshTarget(dialect, dir, 0);
    if (counted.schema !== undefined) schemas.push(counted.schema);
    await (await openStore(counted, { afterMigrationStatement: (n) => (statements = n) })).close();
    // Every migration's statements, their bookkeeping rows, the check and the lock.
    expect(statements).toBeGreaterThan(40);

    // Each crash point on its own new store; on PostgreSQL a few at a time (each store is its own schema).
    const crashAt = async (k: number): Promise<void> => {
      const target = freshTarget(dialect, dir, k);
      if (target.schema !== undefined) schemas.push(target.schema);
      const crash = openStore(target, {
        afterMigrationStatement: (n) => {
          if (n === k) throw new Error(`crash after statement ${k}`);
        },
      });
      await expect(crash, `statement ${k}`).rejects.toThrow(`crash after statement ${k}`);
      // Before (nothing) or, only when the crash came after the commit itself, after (everything).
      if (k < statements || (await tableCount(target)) === 0) {
        expect(await tableCount(target), `tables left after a crash at statement ${k}`).toBe(0);
      }
      await expectWhole(target);
    };
    await inBatches(
      Array.from({ length: statements }, (_, i) => () => crashAt(i + 1)),
      dialect === 'postgres' ? 4 : 1,
    );
  });
});

describe('migrations on postgres, many opening one new schema at once', () => {
  const schema = `mc_${process.pid}_${Date.now().toString(36)}_many`;
  afterEach(async () => dropSchema(schema));

  it.runIf(DIALECTS.includes('postgres'))('all succeed and migrate it once', async () => {
    const target: StoreTarget = { dialect: 'postgres', location: TEST_PG_URL, schema };
    const stores = await Promise.all(Array.from({ length: 8 }, () => openStore(target)));
    await Promise.all(stores.map((s) => s.close()));
    await expectWhole(target);
  });
});

describe('migrations on sqlite, the process killed after any statement', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-migrate-kill-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leave a store that the next open migrates completely', { timeout: 300_000 }, async () => {
    let statements = 0;
    await (await openStore({ dialect: 'sqlite', location: join(dir, 'count.db') }, { afterMigrationStatement: (n) => (statements = n) })).close();
    const openStoreJs = built('storage/open-store.js');
    // SIGKILL: no rollback, no cleanup; only SQLite's journal stands between the crash and a half-made schema.
    const script = `
      const { openStore } = await import(${JSON.stringify(openStoreJs)});
      const at = Number(process.env.KILL_AT);
      await openStore({ dialect: 'sqlite', location: process.env.DB }, {
        afterMigrationStatement: (n) => { if (n === at) process.kill(process.pid, 'SIGKILL'); },
      });`;
    // A process per kill point is slow, so every third statement and the last; the in-process test above crashes
    // at every one.
    const points = Array.from({ length: statements }, (_, i) => i + 1).filter((k) => k % 3 === 1 || k === statements);
    const runs = await inBatches(
      points.map((k) => () => runNode(['--input-type=module', '-e', script], { env: { DB: join(dir, `k${k}.db`), KILL_AT: String(k) } })),
      4,
    );
    for (const [i, run] of runs.entries()) {
      const k = points[i] ?? 0;
      expect(run.signal, `killed at statement ${k}: ${run.err}`).toBe('SIGKILL');
      const target: StoreTarget = { dialect: 'sqlite', location: join(dir, `k${k}.db`) };
      if (k < statements) expect(await tableCount(target), `tables left after a kill at statement ${k}`).toBe(0);
      await expectWhole(target);
    }
  });

  it('many processes opening one new file at once all succeed and migrate it once', { timeout: 120_000 }, async () => {
    const file = join(dir, 'shared.db');
    const go = join(dir, 'go');
    const openStoreJs = built('storage/open-store.js');
    // Each process waits at a barrier, so that all open the new file at the same moment.
    const script = `
      const { existsSync, writeFileSync } = await import('node:fs');
      const { openStore } = await import(${JSON.stringify(openStoreJs)});
      writeFileSync(process.env.READY, '');
      while (!existsSync(process.env.GO)) await new Promise((r) => setTimeout(r, 2));
      const store = await openStore({ dialect: 'sqlite', location: process.env.DB });
      await store.write((w) => w.listProducts());
      await store.close();`;
    const count = 12;
    const runs = Array.from({ length: count }, (_, i) => runNode(['--input-type=module', '-e', script], { env: { DB: file, GO: go, READY: join(dir, `ready-${i}`) } }));
    while (readdirSync(dir).filter((f) => f.startsWith('ready-')).length < count) await new Promise((r) => setTimeout(r, 10));
    writeFileSync(go, '');
    const exits = await Promise.all(runs);
    expect(exits.map((e) => (e.code === 0 ? 'ok' : e.err.trim()))).toEqual(Array.from({ length: count }, () => 'ok'));
    expect(existsSync(file)).toBe(true);
    await expectWhole({ dialect: 'sqlite', location: file });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import type { Clock, Deps } from '../core/ports.js';
import type { KyselyStore } from '../storage/kysely-store.js';
import { openStore } from '../storage/open-store.js';
import type { Dialect } from '../storage/schema.js';

/** PostgreSQL used by tests; each test store gets its own schema there, so runs never collide. */
export const TEST_PG_URL = process.env['DOSSIER_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The databases every integration test runs against. PostgreSQL is always included in CI; only a developer can
 * leave it out locally with DOSSIER_TEST_PG=off (never honoured when CI is set), and then the run says so.
 */
export const DIALECTS: readonly Dialect[] =
  process.env['DOSSIER_TEST_PG'] === 'off' && process.env['CI'] === undefined ? ['sqlite'] : ['sqlite', 'postgres'];

/** A fresh, migrated store and a way to throw it away. */
export interface TestStore {
  readonly store: KyselyStore;
  readonly dialect: Dialect;
  /** The `--db` value that opens the same database again (for CLI tests). */
  readonly dbArg: string;
  cleanup(): Promise<void>;
}

/** Opens a fresh store: a new SQLite file in a temp folder, or a new PostgreSQL schema. */
export async function openTestStore(dialect: Dialect): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-test-'));
    const file = join(dir, 'test.db');
    const store = await openStore({ dialect, location: file });
    return {
      store,
      dialect,
      dbArg: file,
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const store = await openStore({ dialect, location: TEST_PG_URL, schema });
  return {
    store,
    dialect,
    dbArg: `${TEST_PG_URL}?schema=${schema}`,
    async cleanup() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

/**
 * Runs one SQL statement on the test database as its administrator, outside any Dossier store (nothing is migrated:
 * the database's public schema is never made a store by a test).
 */
export async function adminSql(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Drops a test schema with everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** A clock that moves one second per call from a fixed start, so tests see distinct, predictable times. */
export function steppingClock(start = '2026-01-01T00:00:00.000Z'): Clock {
  let t = Date.parse(start);
  return {
    now() {
      const s = new Date(t).toISOString();
      t += 1000;
      return s;
    },
  };
}

/** Use-case dependencies for tests. */
export function testDeps(store: KyselyStore, actor = 'alice'): Deps {
  return { store, clock: steppingClock(), catalog: DEFAULT_CATALOG, actor: { id: actor } };
}

/** A fresh store and use-case dependencies on it, for a `beforeEach`. */
export async function freshStore(dialect: Dialect, actor = 'alice'): Promise<{ t: TestStore; deps: Deps }> {
  const t = await openTestStore(dialect);
  return { t, deps: testDeps(t.store, actor) };
}

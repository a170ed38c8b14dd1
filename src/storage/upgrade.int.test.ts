import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../core/ports.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { DIALECTS, dropSchema, freshStore, TEST_PG_URL, testDeps, type TestStore } from '../test-support/stores.js';
import { addLink } from '../app/use-cases/add-link.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { getRecord } from '../app/use-cases/get-record.js';
import { getRecordHistory } from '../app/use-cases/get-record-history.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import { appliedMigrations, migrations } from './migrate.js';
import { openStore, type StoreTarget } from './open-store.js';
import type { Database as DB, Dialect } from './schema.js';

/** The schema before the upgrade: the migrations up to and including this one. */
const OLD_SCHEMA_UP_TO = '0008-evidence-labels';
/** Tables that hold the records, in an order that satisfies their foreign keys. */
const RECORD_TABLES = ['products', 'records', 'revisions', 'links', 'audit_events'] as const;

/** A raw connection to a new, empty place for a store (no migration run). */
function rawDb(dialect: Dialect, dir: string, schema: string): { db: Kysely<DB>; target: StoreTarget } {
  if (dialect === 'sqlite') {
    const location = join(dir, 'old.db');
    return { db: new Kysely<DB>({ dialect: new SqliteDialect({ database: new Database(location) }) }), target: { dialect, location } };
  }
  const pool = new pg.Pool({ connectionString: TEST_PG_URL, max: 1, options: `-c search_path=${schema}` });
  return { db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), target: { dialect, location: TEST_PG_URL, schema } };
}

/**
 * 21 CFR 11.10(c): records stay readable after an upgrade. A store is built at an older schema (the migrations up to
 * 0008, before approvers and release voids were kept, and before identity), holding the rows the application wrote
 * (the columns that schema has); the current Dossier opens it, migrates it, and reads every record as before.
 */
describe.each(DIALECTS)('upgrading a store from an older schema on %s', (dialect) => {
  let source: TestStore;
  let deps: Deps;
  let dir = '';
  const schema = `up_${process.pid}_${Date.now().toString(36)}`;
  beforeEach(async () => {
    ({ t: source, deps } = await freshStore(dialect, 'dana'));
    dir = mkdtempSync(join(tmpdir(), 'dossier-upgrade-'));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS', 'TC', 'UN']);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'TLS 1.3 only.' });
    await addLink(deps, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'in_review', baseRevision: 2 });
    await changeRecordStatus({ ...deps, actor: { id: 'quinn' } }, { productKey: 'RPM', record: 'SRS-1', to: 'approved', baseRevision: 2 });
  });
  afterEach(async () => {
    await source.cleanup();
    rmSync(dir, { recursive: true, force: true });
    if (dialect === 'postgres') await dropSchema(schema);
  });

  it('P11-03: an older store is migrated on open, every record and its history read as before, and the trail verifies [DOSSIER-SRS-7]', async () => {
    const { db, target } = rawDb(dialect, dir, schema);
    const old = Object.keys(migrations(dialect))
      .sort()
      .filter((name) => name <= OLD_SCHEMA_UP_TO);
    try {
      if (dialect === 'postgres') await sql`create schema ${sql.id(schema)}`.execute(db);
      await sql`create table kysely_migration (name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(db);
      for (const name of old) {
        await migrations(dialect)[name]?.up(db);
        await sql`insert into kysely_migration (name, timestamp) values (${name}, ${'2026-01-01T00:00:00.000Z'})`.execute(db);
      }
      // The older schema has no approver column, so the rows copied are those an older Dossier kept.
      // (PostgreSQL lists the tables of every schema: only this store's count.)
      const tables = (await db.introspection.getTables()).filter((t) => dialect === 'sqlite' || t.schema === schema);
      const oldColumns = new Map(tables.map((t) => [t.name, t.columns.map((c) => c.name)]));
      expect(oldColumns.get('records')).not.toContain('approved_by');
      expect(oldColumns.has('users')).toBe(false);
      for (const table of RECORD_TABLES) {
        const columns = oldColumns.get(table) ?? [];
        const names = sql.join(columns.map((c) => sql.id(c)));
        const rows = await sql<Record<string, unknown>>`select ${names} from ${sql.id(table)}`.execute(source.store.db);
        for (const row of rows.rows) {
          await sql`insert into ${sql.id(table)} (${names}) values (${sql.join(columns.map((c) => row[c]))})`.execute(db);
        }
      }
    } finally {
      await db.destroy();
    }

    const upgraded = await openStore(target);
    try {
      expect((await appliedMigrations(upgraded.db, dialect)).sort()).toEqual(Object.keys(migrations(dialect)).sort());
      const after = testDeps(upgraded, 'dana');
      for (const record of ['SRS-1', 'TC-1', 'UN-1']) {
        const key = { productKey: 'RPM', record };
        expect(await getRecord(after, key), record).toEqual(await getRecord(deps, key));
        expect(await getRecordHistory(after, key), record).toEqual(await getRecordHistory(deps, key));
      }
      // The approver, a column added later, is filled from the approval's audit event.
      const approved = (await getRecord(after, { productKey: 'RPM', record: 'SRS-1' })).head;
      expect(approved).toMatchObject({ status: 'approved', approvedRevision: 2, approvedBy: 'quinn' });
      expect(await listAuditEvents(after, {})).toEqual(await listAuditEvents(deps, {}));
      const report = await verifyIntegrity(after);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      // And the upgraded store takes new writes on the same chain.
      await editRecord(after, { productKey: 'RPM', record: 'UN-1', baseRevision: 1, body: 'Nurses read it at a glance.' });
      expect((await verifyIntegrity(after)).ok).toBe(true);
    } finally {
      await upgraded.close();
    }
  });
});

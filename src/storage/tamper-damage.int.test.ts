import { openSync, writeSync, closeSync, accessSync, constants } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../core/ports.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import { runCli } from '../cli/main.js';
import { aProduct } from '../test-support/factories.js';
import { adminSql, DIALECTS, freshStore, testDeps, type TestStore } from '../test-support/stores.js';
import type { KyselyStore } from './kysely-store.js';
import { openStore, parseStoreTarget } from './open-store.js';

/** Overwrites `bytes.length` bytes of a file at `offset`, as a disk fault or a careless hand would. */
function overwrite(file: string, offset: number, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, offset);
  } finally {
    closeSync(fd);
  }
}

/** Runs `dossier audit verify` on a store; the exit code, what it printed, and what it wrote to stderr. */
async function cliVerify(dbArg: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['--db', dbArg, 'audit', 'verify'], { out: (s) => (out += s), err: (s) => (err += s), interactive: false }, {});
  return { code, out, err };
}

describe.each(DIALECTS)('a damaged database file on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let other: KyselyStore | undefined;
  beforeAll(async () => {
    if (dialect !== 'postgres') return;
    // amcheck is installed by an administrator, once per database; verification itself never installs it.
    try {
      await adminSql('create extension if not exists amcheck with schema public');
    } catch {
      // Installed at the same moment by a parallel run; the check below sees it.
    }
  });
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    // Enough records for the records table to span several pages.
    await addRecords(deps, { productKey: 'RPM', records: Array.from({ length: 300 }, (_, i) => ({ type: 'SRS', title: `Requirement ${i + 1}` })) });
  });
  afterEach(async () => {
    await other?.close();
    other = undefined;
    await t.cleanup();
  });

  it('says what the database engine checked on an untouched store', async () => {
    const report = await verifyIntegrity(deps);
    expect(report.ok).toBe(true);
    expect(report.database).toEqual(
      dialect === 'sqlite'
        ? { checked: 'SQLite integrity_check (every page, B-tree and index of the file)', notChecked: null, problems: [] }
        : { checked: expect.stringMatching(/^PostgreSQL amcheck [\d.]+: \d+ B-tree indexes \(bt_index_check\), \d+ tables \(verify_heapam\)$/) as unknown, notChecked: null, problems: [] },
    );
    const cli = await cliVerify(t.dbArg);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(dialect === 'sqlite' ? /^database: SQLite integrity_check .*, no damage$/m : /^database: PostgreSQL amcheck .*, no damage$/m);
  });

  if (dialect === 'sqlite') {
    it('finds 16 bytes overwritten in a page of the records table, with a one-line message, never a crash [DOSSIER-SRS-6]', async () => {
      await sql`pragma wal_checkpoint(truncate)`.execute(t.store.db);
      const pages = await sql<{ pageno: number }>`select pageno from dbstat where name = 'records' and pagetype = 'leaf' order by pageno`.execute(t.store.db);
      const page = pages.rows[1]?.pageno;
      expect(page).toBeDefined();
      const size = Number(Object.values((await sql`pragma page_size`.execute(t.store.db)).rows[0] ?? {})[0]);
      // Just past the page header: the cell pointers, so rows of that page can no longer be found.
      overwrite(t.dbArg, ((page ?? 1) - 1) * size + 8, Buffer.alloc(16, 0xff));

      other = await openStore(parseStoreTarget(t.dbArg));
      const report = await verifyIntegrity(testDeps(other));
      expect(report.ok).toBe(false);
      expect(report.firstProblem?.kind).toBe('database_damaged');
      expect(report.firstProblem?.message).toMatch(new RegExp(`^the database is damaged: Tree \\d+ \\(records\\) page ${page ?? 0} cell \\d+: `));
      for (const p of report.problems) expect(p.message).not.toContain('\n');

      const cli = await cliVerify(t.dbArg);
      expect(cli.code).toBe(1);
      expect(cli.err).toBe('');
      expect(cli.out).toMatch(/^audit trail verification FAILED: the database is damaged: /);
    });
  }

  if (dialect === 'sqlite') {
    it('reports a page header overwritten (reads of the table fail) as damage, and that verification stopped', async () => {
      await sql`pragma wal_checkpoint(truncate)`.execute(t.store.db);
      const pages = await sql<{ pageno: number }>`select pageno from dbstat where name = 'records' and pagetype = 'leaf' order by pageno`.execute(t.store.db);
      const size = Number(Object.values((await sql`pragma page_size`.execute(t.store.db)).rows[0] ?? {})[0]);
      overwrite(t.dbArg, ((pages.rows[1]?.pageno ?? 1) - 1) * size, Buffer.alloc(16, 0xff));

      other = await openStore(parseStoreTarget(t.dbArg));
      await expect(other.read((r) => r.pageRecords(0, 1000))).rejects.toThrow(/the database is damaged: database disk image is malformed/);
      const report = await verifyIntegrity(testDeps(other));
      expect(report.ok).toBe(false);
      expect(report.firstProblem?.kind).toBe('database_damaged');
      expect(report.problems.at(-1)).toEqual({ kind: 'database_damaged', message: 'verification stopped: the database is damaged: database disk image is malformed' });
      const cli = await cliVerify(t.dbArg);
      expect({ code: cli.code, err: cli.err }).toEqual({ code: 1, err: '' });
      expect(cli.out).toMatch(/^ {2}also: verification stopped: the database is damaged: database disk image is malformed$/m);
    });
  }

  // PostgreSQL: a rebuilt index is written to its file directly (not through shared buffers), so bytes overwritten
  // in that file are what the next reader gets. Needs write access to the server's data directory (a local server).
  const pgFile = async (): Promise<string | undefined> => {
    const dir = await sql<{ d: string }>`select current_setting('data_directory') as d`.execute(t.store.db).then((r) => r.rows[0]?.d, () => undefined);
    if (dir === undefined) return undefined;
    try {
      accessSync(dir, constants.W_OK);
      return dir;
    } catch {
      return undefined;
    }
  };
  if (dialect === 'postgres') {
    it('finds 16 bytes overwritten in a page of an index file (amcheck), with a one-line message, never a crash', async (ctx) => {
      const dir = await pgFile();
      if (dir === undefined) {
        ctx.skip();
        return;
      }
      await sql`reindex index records_product_type_number`.execute(t.store.db);
      const path = await sql<{ p: string }>`select pg_relation_filepath('records_product_type_number') as p`.execute(t.store.db);
      // Block 1 is the first leaf (block 0 is the metapage); just past its page header, into the line pointers.
      overwrite(`${dir}/${path.rows[0]?.p ?? ''}`, 8192 + 24, Buffer.alloc(16, 0xff));

      const report = await verifyIntegrity(deps);
      expect(report.ok).toBe(false);
      expect(report.firstProblem?.kind).toBe('database_damaged');
      expect(report.firstProblem?.message).toMatch(/^the database is damaged: index records_product_type_number: /);
      for (const p of report.problems) expect(p.message).not.toContain('\n');
      const cli = await cliVerify(t.dbArg);
      expect(cli.code).toBe(1);
      expect(cli.err).toBe('');
      expect(cli.out).toMatch(/^audit trail verification FAILED: the database is damaged: index records_product_type_number: /);
    });
  }
});

import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDossier } from '../test-support/processes.js';
import { DIALECTS, openTestStore, TEST_PG_URL, type TestStore } from '../test-support/stores.js';
import { runCli } from './main.js';

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs `dossier` in this process with the given arguments (no default --db). */
async function dossier(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli(['--actor', 'erin', ...args], { out: (s) => (out += s), err: (s) => (err += s), interactive: false }, env);
  return { code, out, err };
}

const CREATE_PRODUCT = ['product', 'create', '--key', 'RPM', '--name', 'Monitor', '--intended-use', 'monitoring', '--class', 'B'];

describe('a --db that is not a store', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('read-only commands never create a database on a mistyped path', async () => {
    const typo = join(dir, 'dosier.db');
    // The catalog is data in the code: it opens no store at all.
    expect((await dossier(['--db', typo, 'catalog'])).code).toBe(0);
    for (const args of [['record', 'list'], ['product', 'list'], ['audit', 'verify'], ['export', 'json']]) {
      const r = await dossier(['--db', typo, ...args]);
      expect(r, args.join(' ')).toEqual({ code: 2, out: '', err: `dossier: no Dossier store at ${typo}; check --db, or run \`dossier init\` to create one\n` });
    }
    expect(readdirSync(dir)).toEqual([]);
    // init (and the other commands that start a store) create it.
    expect((await dossier(['--db', typo, 'init'])).code).toBe(0);
    expect((await dossier(['--db', typo, 'record', 'list', '--product', 'RPM'])).err).toMatch(/product RPM/);
  });

  it('a file that is not a database, or another program\'s database, is an input error naming the file', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'shopping list\n'.repeat(100));
    expect(await dossier(['--db', text, 'record', 'list'])).toEqual({ code: 2, out: '', err: `dossier: ${text} is not a SQLite database (check --db or DOSSIER_DB)\n` });
    expect(await dossier(['--db', text, 'init'])).toEqual({ code: 2, out: '', err: `dossier: ${text} is not a SQLite database (check --db or DOSSIER_DB)\n` });
    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('create table contacts (name text)');
    db.close();
    expect((await dossier(['--db', other, 'init'])).err).toBe(`dossier: ${other} is a SQLite database but not a Dossier store (it has table contacts); check --db\n`);
    const missing = join(dir, 'no', 'such', 'folder.db');
    expect(await dossier(['--db', missing, 'init'])).toEqual({ code: 2, out: '', err: `dossier: cannot create SQLite database ${missing}: folder ${join(dir, 'no', 'such')} does not exist\n` });
  });

  it('a malformed or unreachable PostgreSQL URL is an input error that never shows the password', async () => {
    const malformed = await dossier(['--db', 'postgres://postgres:S3cretPw@db.example:99999/qms', 'init']);
    expect(malformed).toEqual({ code: 2, out: '', err: `dossier: database URL 'postgres://postgres:***@db.example:99999/qms' is not a valid URL\n` });
    // Nothing listens on port 1.
    const refused = await dossier(['--db', 'postgres://postgres:S3cretPw@127.0.0.1:1/qms?schema=x', 'record', 'list']);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^dossier: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/qms: .*ECONNREFUSED.*\n$/);
    expect(refused.err + refused.out).not.toContain('S3cretPw');
  });

  it.runIf(DIALECTS.includes('postgres'))('read-only commands never create a PostgreSQL schema either', async () => {
    const schema = `nostore_${process.pid}_${Date.now().toString(36)}`;
    const r = await dossier(['--db', `${TEST_PG_URL}?schema=${schema}`, 'record', 'list']);
    const server = new URL(TEST_PG_URL);
    expect(r).toEqual({ code: 2, out: '', err: `dossier: no Dossier store at ${server.hostname}:${server.port}${server.pathname} (schema ${schema}); check --db, or run \`dossier init\` to create one\n` });
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    try {
      expect((await client.query('select 1 from pg_namespace where nspname = $1', [schema])).rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('DOSSIER_LOCK_TIMEOUT must be a number of seconds', async () => {
    expect(await dossier(['--db', join(dir, 'x.db'), 'init'], { DOSSIER_LOCK_TIMEOUT: 'soon' })).toEqual({
      code: 2,
      out: '',
      err: `dossier: DOSSIER_LOCK_TIMEOUT must be a number of seconds (up to 86400), not 'soon'\n`,
    });
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });
});

describe.each(DIALECTS)('the demo on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect);
  });
  afterEach(async () => t.cleanup());

  it('--if-missing refuses a product RPM that is only part of the demo', async () => {
    expect((await dossier(['--db', t.dbArg, ...CREATE_PRODUCT])).code).toBe(0);
    expect(await dossier(['--db', t.dbArg, 'demo', '--if-missing'])).toEqual({
      code: 2,
      out: '',
      err: 'dossier: the store has product RPM but only part of the demo (no release 1.2.0: an interrupted demo of an older Dossier); use a fresh --db\n',
    });
  });
});

describe('the built dossier, as a process', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dossier-proc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for another writer\'s lock as long as DOSSIER_LOCK_TIMEOUT says, then names the file', async () => {
    const file = join(dir, 'busy.db');
    expect((await runDossier(['--db', file, 'init'])).code).toBe(0);
    const holder = new Database(file);
    holder.exec('begin immediate');
    try {
      const r = await runDossier(['--db', file, '--actor', 'erin', ...CREATE_PRODUCT], { env: { DOSSIER_LOCK_TIMEOUT: '1' } });
      expect({ code: r.code, err: r.err }).toEqual({
        code: 3,
        err: `dossier: another process is writing to ${file}; waited 1 s for it to finish; try again, or set DOSSIER_LOCK_TIMEOUT=SECONDS to wait longer\n`,
      });
    } finally {
      holder.exec('rollback');
      holder.close();
    }
    expect((await runDossier(['--db', file, '--actor', 'erin', ...CREATE_PRODUCT])).code).toBe(0);
  });

  it('stops quietly when the reader of its output goes away, and says so when the disk is full', async () => {
    const file = join(dir, 'demo.db');
    expect((await runDossier(['--db', file, 'demo'])).code).toBe(0);
    // `dossier export json | head -c 0`: the pipe closes before the export (several MB) is written.
    const script = `
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [process.env.CLI, '--db', process.env.DB, 'export', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code, signal) => console.log(JSON.stringify({ code, signal, err })));`;
    const { runNode, BUILT_CLI } = await import('../test-support/processes.js');
    const piped = await runNode(['--input-type=module', '-e', script], { env: { CLI: BUILT_CLI, DB: file } });
    expect(JSON.parse(piped.out)).toEqual({ code: 0, signal: null, err: '' });
    // stdout on a full disk: /dev/full fails every write with ENOSPC.
    if (existsSync('/dev/full')) {
      const full = openSync('/dev/full', 'w');
      try {
        const r = await runDossier(['--db', file, 'record', 'list', '--product', 'RPM'], { stdio: full });
        expect({ code: r.code, err: r.err }).toEqual({ code: 2, err: 'dossier: cannot write to standard output: the disk is full (ENOSPC)\n' });
      } finally {
        closeSync(full);
      }
    }
  });
});

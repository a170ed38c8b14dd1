import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import {
  INSTALL_MANIFEST,
  lockfileProblems,
  manifestProblems,
  modeProblems,
  versionAtLeast,
  type InstallManifest,
  type InstalledPackage,
  type LockEntry,
} from '../core/validation/installation.js';
import { hashShippedFiles } from '../build/write-install-manifest.js';
import { appliedMigrations, migrations } from '../storage/migrate.js';
import { openStore, redact, type StoreTarget } from '../storage/open-store.js';
import type { Database } from '../storage/schema.js';
import { readDesignFolder } from './design-folder.js';

/** One installation-qualification check and what it found. */
export interface IqCheck {
  readonly id: string;
  readonly title: string;
  /** `not_applicable`: nothing to check here (no store named, no PostgreSQL used); says why in `detail`. */
  readonly outcome: 'passed' | 'failed' | 'not_applicable';
  readonly detail: string;
}

/** The oldest SQLite and PostgreSQL Dossier supports. CI tests the SQLite bundled with better-sqlite3 and PostgreSQL 15. */
export const MIN_SQLITE = '3.40.0';
export const MIN_POSTGRES = '15.0';

/** What installation qualification looks at. */
export interface IqInput {
  /** The package root (where `dist`, the lockfile and `node_modules` are). */
  readonly root: string;
  /** The customer's store, when it names one that exists. */
  readonly store?: StoreTarget;
  /** PostgreSQL servers OQ will use (their versions are checked). */
  readonly postgresUrls: readonly string[];
}

const passed = (id: string, title: string, detail: string): IqCheck => ({ id, title, outcome: 'passed', detail });
const failed = (id: string, title: string, detail: string): IqCheck => ({ id, title, outcome: 'failed', detail });
const notApplicable = (id: string, title: string, detail: string): IqCheck => ({ id, title, outcome: 'not_applicable', detail });
const judged = (id: string, title: string, problems: readonly string[], ok: string): IqCheck => (problems.length === 0 ? passed(id, title, ok) : failed(id, title, problems.join('; ')));

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs every IQ check; never throws for what it finds (a check that cannot run has failed, with the reason). */
export async function runIq(input: IqInput): Promise<IqCheck[]> {
  const checks: IqCheck[] = [];
  const guard = async (id: string, title: string, fn: () => IqCheck | Promise<IqCheck>): Promise<void> => {
    try {
      checks.push(await fn());
    } catch (e) {
      checks.push(failed(id, title, `the check could not run: ${errorText(e)}`));
    }
  };
  const pkg = JSON.parse(readFileSync(join(input.root, 'package.json'), 'utf8')) as { version: string; engines?: { node?: string } };

  await guard('IQ-1', 'Node.js version is supported', () => {
    const min = (pkg.engines?.node ?? '>=20.19.0').replace(/^>=\s*/, '');
    return versionAtLeast(process.version, min)
      ? passed('IQ-1', 'Node.js version is supported', `Node.js ${process.version} (${process.platform} ${process.arch}); supported: ${min} or later`)
      : failed('IQ-1', 'Node.js version is supported', `Node.js ${process.version} is older than ${min}, the oldest Dossier supports`);
  });

  await guard('IQ-2', "Dossier's files are the ones built", () => {
    const file = join(input.root, INSTALL_MANIFEST);
    if (!existsSync(file)) return failed('IQ-2', "Dossier's files are the ones built", `${INSTALL_MANIFEST} is missing: this installation was not built by \`npm run build\` or has been altered`);
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as InstallManifest;
    const problems = [...(manifest.version === pkg.version ? [] : [`the manifest is of version ${manifest.version}, package.json says ${pkg.version}`]), ...manifestProblems(manifest, hashShippedFiles(input.root))];
    return judged('IQ-2', "Dossier's files are the ones built", problems, `${Object.keys(manifest.files).length} files match the SHA-256 hashes written at build (${INSTALL_MANIFEST})`);
  });

  await guard('IQ-3', 'Installed packages match the lockfile', () => {
    const lockFile = join(input.root, 'package-lock.json');
    if (!existsSync(lockFile)) return failed('IQ-3', 'Installed packages match the lockfile', 'package-lock.json is missing: the installed packages cannot be checked against locked versions and hashes');
    const lock = (JSON.parse(readFileSync(lockFile, 'utf8')) as { packages?: Record<string, LockEntry> }).packages ?? {};
    const hiddenFile = join(input.root, 'node_modules', '.package-lock.json');
    const hidden = existsSync(hiddenFile) ? ((JSON.parse(readFileSync(hiddenFile, 'utf8')) as { packages?: Record<string, LockEntry> }).packages ?? {}) : {};
    const installed = new Map<string, InstalledPackage>();
    for (const path of Object.keys(lock)) {
      if (path === '') continue;
      const manifest = join(input.root, path, 'package.json');
      if (!existsSync(manifest)) continue;
      const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? null;
      installed.set(path, { version, integrity: hidden[path]?.integrity ?? null });
    }
    const { checked, problems } = lockfileProblems(lock, installed);
    const shown = problems.length > 8 ? [...problems.slice(0, 8), `… and ${problems.length - 8} more`] : problems;
    return judged('IQ-3', 'Installed packages match the lockfile', shown, `${checked} installed packages at the locked version, installed from tarballs with the locked SHA-512 hashes`);
  });

  await guard('IQ-4', 'SQLite engine loads and is supported', async () => {
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Sqlite(':memory:');
    try {
      const version = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
      return versionAtLeast(version, MIN_SQLITE)
        ? passed('IQ-4', 'SQLite engine loads and is supported', `SQLite ${version} (better-sqlite3's native module loads); supported: ${MIN_SQLITE} or later`)
        : failed('IQ-4', 'SQLite engine loads and is supported', `SQLite ${version} is older than ${MIN_SQLITE}`);
    } finally {
      db.close();
    }
  });

  const pgUrls = [...new Set([...input.postgresUrls, ...(input.store?.dialect === 'postgres' ? [input.store.location] : [])])];
  if (pgUrls.length === 0) checks.push(notApplicable('IQ-5', 'PostgreSQL server is supported', 'no PostgreSQL is used: neither the store nor --pg names one'));
  for (const url of pgUrls) {
    await guard('IQ-5', 'PostgreSQL server is supported', async () => {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const v = String(((await client.query('show server_version')).rows[0] as { server_version: string }).server_version).split(' ')[0] ?? '';
        return versionAtLeast(v, MIN_POSTGRES)
          ? passed('IQ-5', 'PostgreSQL server is supported', `PostgreSQL ${v} at ${redact(url)}; supported: ${MIN_POSTGRES} or later`)
          : failed('IQ-5', 'PostgreSQL server is supported', `PostgreSQL ${v} at ${redact(url)} is older than ${MIN_POSTGRES}, the oldest Dossier supports`);
      } finally {
        await client.end();
      }
    });
  }

  await guard('IQ-6', "Dossier's design file reads without problems", () => {
    const d = readDesignFolder();
    return passed('IQ-6', "Dossier's design file reads without problems", `${d.records.length} records, ${d.links.length} links in validation/design`);
  });

  checks.push(...(await storeChecks(input.store)));
  return checks;
}

/** IQ-7 … IQ-9: the customer's store, when it names one that exists. */
async function storeChecks(target: StoreTarget | undefined): Promise<IqCheck[]> {
  const titles = {
    migrations: 'Store schema is at the version this Dossier expects',
    integrity: "Store passes the database's integrity check and the audit-trail verification",
    permissions: 'Store file is private to its owner',
  };
  if (target === undefined) {
    const why = 'no store to check: name it with --db (or DOSSIER_DB)';
    return [notApplicable('IQ-7', titles.migrations, why), notApplicable('IQ-8', titles.integrity, why), notApplicable('IQ-9', titles.permissions, why)];
  }
  const where = target.dialect === 'sqlite' ? target.location : redact(target.location);
  const checks: IqCheck[] = [];
  // Migrations first, on a read-only connection: opening the store would migrate it, and validation changes nothing.
  let applied: string[];
  try {
    applied = await readAppliedMigrations(target);
  } catch (e) {
    return [failed('IQ-7', titles.migrations, `cannot read the store at ${where}: ${errorText(e)}`)];
  }
  const known = Object.keys(migrations(target.dialect)).sort();
  const pending = known.filter((m) => !applied.includes(m));
  const unknown = applied.filter((m) => !known.includes(m));
  if (pending.length > 0 || unknown.length > 0) {
    checks.push(
      failed(
        'IQ-7',
        titles.migrations,
        unknown.length > 0
          ? `${where} holds ${unknown.length} migration(s) this Dossier does not know (${unknown.join(', ')}): it was written by a newer version`
          : `${where} lacks ${pending.length} migration(s) (${pending.join(', ')}): open it once with this version (any dossier command) to bring it up to date, then validate again`,
      ),
    );
    return checks;
  }
  checks.push(passed('IQ-7', titles.migrations, `${where}: all ${known.length} migrations applied, none unknown`));

  const store = await openStore(target, { create: false });
  try {
    const report = await verifyIntegrity({ store });
    const db = report.database;
    const problems = [
      ...(db === null ? ["the database's own check did not run"] : db.problems.map((p) => `database: ${p}`)),
      ...report.problems.slice(0, 5).map((p) => `${p.kind}${p.item === undefined ? '' : ` ${p.item}`}: ${p.message}`),
    ];
    const covered = `${db?.checked ?? 'no database check'}${db?.notChecked === null || db?.notChecked === undefined ? '' : ` (not checked: ${db.notChecked})`}; audit chain of ${report.eventsChecked} events, ${report.revisionsChecked} revisions and ${report.baselinesChecked} release baselines`;
    checks.push(report.ok && problems.length === 0 ? passed('IQ-8', titles.integrity, covered) : failed('IQ-8', titles.integrity, `${problems.join('; ') || 'verification failed'} (${covered})`));
  } finally {
    await store.close();
  }

  if (target.dialect === 'postgres') {
    checks.push(notApplicable('IQ-9', titles.permissions, "a PostgreSQL store's access is the database server's roles and privileges, which this check does not read"));
  } else {
    const files = [target.location, `${target.location}-wal`, `${target.location}-shm`].filter((f) => existsSync(f));
    const problems = [...files.flatMap((f) => modeProblems(f, statSync(f).mode, false)), ...modeProblems(dirname(target.location), statSync(dirname(target.location)).mode, true)];
    checks.push(judged('IQ-9', titles.permissions, problems, `${files.map((f) => `${f} ${(statSync(f).mode & 0o777).toString(8)}`).join(', ')}; owner uid ${statSync(target.location).uid}`));
  }
  return checks;
}

async function readAppliedMigrations(target: StoreTarget): Promise<string[]> {
  if (target.dialect === 'sqlite') {
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new Sqlite(target.location, { readonly: true, fileMustExist: true }) }) });
    try {
      return await appliedMigrations(db, 'sqlite');
    } finally {
      await db.destroy();
    }
  }
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: target.location, max: 1, ...(target.schema === undefined ? {} : { options: `-c search_path=${target.schema}` }) });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
    return await appliedMigrations(db, 'postgres');
  } finally {
    await db.destroy();
  }
}

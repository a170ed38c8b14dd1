import { sql, type Kysely, type KyselyPlugin, type Migration } from 'kysely';
import { AppError } from '../core/errors.js';
import { initialMigration } from './migrations/0001-initial.js';
import { ruleSettingsMigration } from './migrations/0002-rule-settings.js';
import { evidenceMigration } from './migrations/0003-evidence.js';
import { chainGuardsMigration } from './migrations/0005-chain-guards.js';
import { evidenceLabelsMigration } from './migrations/0008-evidence-labels.js';
import { approvedByMigration } from './migrations/0011-approved-by.js';
import { releaseVoidMigration } from './migrations/0012-release-void.js';
import { identityMigration } from './migrations/0013-identity.js';
import { auditFiltersMigration } from './migrations/0014-audit-filters.js';
import { signaturesMigration } from './migrations/0015-signatures.js';
import { singleSignOnMigration } from './migrations/0016-single-sign-on.js';
import { documentControlMigration } from './migrations/0017-document-control.js';
import { attachmentsMigration } from './migrations/0018-attachments.js';
import type { Database, Dialect } from './schema.js';

/** Numbered migrations, in order. Never edit one that has shipped; add the next number. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-rule-settings': ruleSettingsMigration,
    '0003-evidence': evidenceMigration(dialect),
    '0005-chain-guards': chainGuardsMigration(dialect),
    '0008-evidence-labels': evidenceLabelsMigration(dialect),
    '0011-approved-by': approvedByMigration,
    '0012-release-void': releaseVoidMigration,
    '0013-identity': identityMigration(dialect),
    '0014-audit-filters': auditFiltersMigration,
    '0015-signatures': signaturesMigration(dialect),
    '0016-single-sign-on': singleSignOnMigration(dialect),
    '0017-document-control': documentControlMigration(dialect),
    '0018-attachments': attachmentsMigration(dialect),
  };
}

/** How to migrate: where (PostgreSQL schema) and, for fault-injection tests, a hook after every statement. */
export interface MigrateOptions {
  /** PostgreSQL schema holding Dossier's tables (default `public`); created when missing. */
  readonly schema?: string | undefined;
  /**
   * Called after every statement run while migrating, with its 1-based number; fault-injection tests crash the
   * process (or throw) here to show that a migration is either wholly applied or not at all.
   */
  readonly afterStatement?: ((n: number) => void) | undefined;
}

/**
 * Brings the database up to the newest migration this code knows. The check and every pending migration, with
 * its row in `kysely_migration`, run in one transaction under an exclusive lock (SQLite: `BEGIN EXCLUSIVE`;
 * PostgreSQL: a transaction-scoped advisory lock per schema, DDL being transactional there too), so a crash
 * leaves the database as it was before, and processes opening a new database at once migrate it once.
 * (Kysely's own migrator runs SQLite migrations outside any transaction: a crash after one statement left a
 * half-made schema that no later open could repair.)
 * @throws AppError SCHEMA_TOO_NEW when the database holds a migration this code does not know (written by a newer
 *   Dossier): running older code against it could corrupt it
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect, options: MigrateOptions = {}): Promise<void> {
  const known = migrations(dialect);
  // Nothing to do (the usual case): no lock taken, so opening never waits for another process's write.
  if (pending(known, await appliedMigrations(db, dialect)).length === 0) return;
  const hooked = options.afterStatement === undefined ? db : db.withPlugin(statementHook(options.afterStatement));
  if (dialect === 'sqlite') {
    await hooked.connection().execute(async (conn) => {
      await sql`begin exclusive`.execute(conn);
      try {
        await applyPending(conn, dialect, known);
      } catch (e) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw e;
      }
      await sql`commit`.execute(conn);
    });
    return;
  }
  const schema = options.schema ?? 'public';
  await hooked.transaction().execute(async (trx) => {
    // Keyed by schema: stores in other schemas of the same database migrate independently.
    await sql`select pg_advisory_xact_lock(hashtext(${`dossier-migrate:${schema}`}))`.execute(trx);
    await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
    await applyPending(trx, dialect, known);
  });
}

/** Under the lock: checks what is applied, then runs what is pending, each followed by its bookkeeping row. */
async function applyPending(db: Kysely<Database>, dialect: Dialect, known: Record<string, Migration>): Promise<void> {
  const applied = await appliedMigrations(db, dialect);
  const todo = pending(known, applied);
  if (todo.length === 0) return;
  await sql`create table if not exists kysely_migration (name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(db);
  for (const name of todo) {
    const migration = known[name];
    if (migration === undefined) continue;
    try {
      await migration.up(db);
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError('INTERNAL', `database migration ${name} failed: ${e instanceof Error ? e.message : String(e)}`, {}, { cause: e });
    }
    await sql`insert into kysely_migration (name, timestamp) values (${name}, ${new Date().toISOString()})`.execute(db);
  }
}

/**
 * Names of the known migrations not yet applied, in order.
 * @throws AppError SCHEMA_TOO_NEW when a migration is applied that this code does not know
 */
function pending(known: Record<string, Migration>, applied: readonly string[]): string[] {
  const unknown = applied.filter((name) => !(name in known));
  if (unknown.length > 0) {
    const newest = Object.keys(known).sort().at(-1) ?? 'none';
    throw new AppError(
      'SCHEMA_TOO_NEW',
      `the database was written by a newer Dossier (it has migration ${unknown.sort().at(-1)}; this Dossier knows up to ${newest}); upgrade Dossier to open it`,
      { migrations: unknown },
    );
  }
  const done = new Set(applied);
  return Object.keys(known)
    .sort()
    .filter((name) => !done.has(name));
}

/** Names of the migrations already run, or none on a new database. */
export async function appliedMigrations(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  // PostgreSQL: to_regclass follows search_path, so another schema's table in the same database does not count.
  const exists =
    dialect === 'postgres'
      ? await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(db)
      : await sql<{ t: string | null }>`select name as t from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db);
  if ((exists.rows[0]?.t ?? null) === null) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** A Kysely plugin that calls `hook` after every statement, with its running number. */
function statementHook(hook: (n: number) => void): KyselyPlugin {
  let n = 0;
  return {
    transformQuery: (args) => args.node,
    transformResult: (args) => {
      hook(++n);
      return Promise.resolve(args.result);
    },
  };
}

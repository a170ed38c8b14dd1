import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { AppError } from '../core/errors.js';
import { initialMigration } from './migrations/0001-initial.js';
import { ruleSettingsMigration } from './migrations/0002-rule-settings.js';
import { evidenceMigration } from './migrations/0003-evidence.js';
import type { Database, Dialect } from './schema.js';

/** Numbered migrations, in order. Never edit one that has shipped; add the next number. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-rule-settings': ruleSettingsMigration,
    '0003-evidence': evidenceMigration(dialect),
  };
}

/**
 * Brings the database up to the newest migration this code knows.
 * @param schema - PostgreSQL schema holding Dossier's tables (default `public`)
 * @throws AppError SCHEMA_TOO_NEW when the database holds a migration this code does not know (written by a newer
 *   Dossier): running older code against it could corrupt it
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect, schema?: string): Promise<void> {
  const known = migrations(dialect);
  const applied = await appliedMigrations(db, dialect);
  const unknown = applied.filter((name) => !(name in known));
  if (unknown.length > 0) {
    const newest = Object.keys(known).sort().at(-1) ?? 'none';
    throw new AppError(
      'SCHEMA_TOO_NEW',
      `the database was written by a newer Dossier (it has migration ${unknown.sort().at(-1)}; this Dossier knows up to ${newest}); upgrade Dossier to open it`,
      { migrations: unknown },
    );
  }
  // Up to date already (every open after the first): skip Kysely's migrator, whose PostgreSQL introspection reads
  // every schema's tables and fails when another schema is dropped meanwhile ("schema … does not exist").
  if (Object.keys(known).every((name) => applied.includes(name))) return;
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(known) };
  // PostgreSQL: name the schema, or Kysely finds another schema's migration tables and skips creating its own.
  const migrator = new Migrator({
    db,
    provider,
    ...(dialect === 'postgres' ? { migrationTableSchema: schema ?? 'public' } : {}),
  });
  let { error, results } = await migrator.migrateToLatest();
  // Kysely's PostgreSQL introspection reads every schema's tables; one dropped meanwhile by another process fails
  // it with invalid_schema_name (3F000) although this schema is fine. Nothing was applied then: try again.
  for (let attempt = 0; attempt < 5 && isOtherSchemaGone(error, schema); attempt++) ({ error, results } = await migrator.migrateToLatest());
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError('INTERNAL', `database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`, {}, { cause: error });
  }
}

/** Names of the migrations already run, or none on a new database. */
async function appliedMigrations(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  // PostgreSQL: to_regclass follows search_path, so another schema's table in the same database does not count.
  const exists =
    dialect === 'postgres'
      ? await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(db)
      : await sql<{ t: string | null }>`select name as t from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db);
  if ((exists.rows[0]?.t ?? null) === null) return [];
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** True when a migration failed only because some other PostgreSQL schema disappeared while Kysely read the catalog. */
function isOtherSchemaGone(error: unknown, schema: string | undefined): boolean {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== '3F000') return false;
  const message = error instanceof Error ? error.message : '';
  return !message.includes(`"${schema ?? 'public'}"`);
}

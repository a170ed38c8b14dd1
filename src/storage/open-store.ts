import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import { KyselyStore } from './kysely-store.js';
import { migrateToLatest } from './migrate.js';
import type { Database as DB, Dialect } from './schema.js';

/** Where a store lives: a `postgres://` URL, or a SQLite file path (`:memory:` for a throw-away store). */
export interface StoreTarget {
  readonly dialect: Dialect;
  /** SQLite file path, or PostgreSQL URL without Dossier's own `schema` parameter. */
  readonly location: string;
  /** PostgreSQL schema to use (from `?schema=` on the URL); created when missing. */
  readonly schema?: string;
}

/**
 * Reads `--db` / `DOSSIER_DB`: a `postgres://` or `postgresql://` URL selects PostgreSQL, anything else is a
 * SQLite file path. `?schema=NAME` on a PostgreSQL URL keeps Dossier's tables in that schema.
 * @throws AppError INVALID_INPUT for a malformed URL or schema name
 */
export function parseStoreTarget(db: string): StoreTarget {
  if (!/^postgres(ql)?:\/\//i.test(db)) return { dialect: 'sqlite', location: db };
  let url: URL;
  try {
    url = new URL(db);
  } catch {
    throw new AppError('INVALID_INPUT', `database URL '${db}' is not a valid URL`, { field: 'db' });
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new AppError('INVALID_INPUT', `schema '${schema}' must be lower-case letters, digits and _`, { field: 'db' });
  }
  return { dialect: 'postgres', location: url.toString(), ...(schema === undefined ? {} : { schema }) };
}

const INT8_OID = 20;

/**
 * Opens a store and brings its schema up to date.
 * @throws AppError SCHEMA_TOO_NEW when the database was written by a newer Dossier
 * @throws AppError INTERNAL when the database cannot be opened
 */
export async function openStore(target: StoreTarget): Promise<KyselyStore> {
  let db: Kysely<DB>;
  let raw: Database.Database | undefined;
  if (target.dialect === 'sqlite') {
    let sqlite: Database.Database;
    try {
      sqlite = new Database(target.location);
    } catch (e) {
      throw new AppError('INVALID_INPUT', `cannot open SQLite database '${target.location}': ${(e as Error).message}`, {
        file: target.location,
      });
    }
    // WAL: readers never block the writer; FULL: a committed transaction survives a crash or power loss.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 10000');
    // Reads through memory-mapped pages instead of a read() call per page: large loads (the trace graph) run faster.
    sqlite.pragma('mmap_size = 2147418112');
    sqlite.pragma('cache_size = -65536');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
    raw = sqlite;
  } else {
    const schema = target.schema;
    const pool = new pg.Pool({
      connectionString: target.location,
      max: 4,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
      // int8 (audit sequence numbers, counts) as JS numbers: exact up to 2^53.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((v: string) => unknown) =>
          oid === INT8_OID
            ? (v: string): number => Number(v)
            : (pg.types.getTypeParser(oid, format) as (v: string) => unknown)) as typeof pg.types.getTypeParser,
      },
    });
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    if (schema !== undefined) {
      try {
        await db.schema.createSchema(schema).ifNotExists().execute();
      } catch (e) {
        await db.destroy();
        throw new AppError('INTERNAL', `cannot reach PostgreSQL at ${redact(target.location)}: ${(e as Error).message}`);
      }
    }
  }
  try {
    await migrateToLatest(db, target.dialect, target.schema);
  } catch (e) {
    await db.destroy();
    if (e instanceof AppError) throw e;
    throw new AppError('INTERNAL', `cannot open the database: ${(e as Error).message}`, {}, { cause: e });
  }
  return new KyselyStore(db, target.dialect, raw);
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '<database URL>';
  }
}

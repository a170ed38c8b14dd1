import { chmodSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDialect, type SqliteDatabase } from 'kysely';
import { AppError, notFound } from '../core/errors.js';
import type { StoreReader, StoreWriter } from '../core/ports.js';
import { redactSecrets } from '../shared/redact.js';
import { describeDbError, serverName, type StorePlace } from './db-errors.js';
import { DEFAULT_GROUP_COMMIT, KyselyStore, type ChainCheckPlan, type GroupCommit } from './kysely-store.js';
import { appliedMigrations, migrateToLatest } from './migrate.js';
import type { Database as DB, Dialect } from './schema.js';

/** Where a store lives: a `postgres://` URL, or a SQLite file path (`:memory:` for a throw-away store). */
export interface StoreTarget {
  readonly dialect: Dialect;
  /** SQLite file path, or PostgreSQL URL without Dossier's own `schema` parameter. */
  readonly location: string;
  /** PostgreSQL schema to use (from `?schema=` on the URL); created when missing. */
  readonly schema?: string;
}

/** How to open a store. */
export interface OpenStoreOptions {
  /**
   * Create the store when there is none (default). Commands that only read pass `false`, so a mistyped path
   * is refused instead of leaving a new empty database behind.
   */
  readonly create?: boolean;
  /** How long a SQLite write waits for another writer's lock before giving up, in milliseconds (default 60 s). */
  readonly lockTimeoutMs?: number;
  /** Fault-injection tests only: called after every statement run while migrating (see `MigrateOptions`). */
  readonly afterMigrationStatement?: (n: number) => void;
  /**
   * Worker threads that check ranges of the audit chain in `audit verify` while the verifying thread replays the
   * current state (default: the CPUs available, at most 4); 0 checks the chain in the verifying thread.
   */
  readonly verifyWorkers?: number;
  /** PostgreSQL connections in the store's pool (default 4); each server process and read worker has its own pool. */
  readonly poolSize?: number;
  /** Fewest audit events per range of the chain (default 50,000): a shorter chain is split less, or not at all. */
  readonly minEventsPerRange?: number;
  /**
   * Group commit (default on): writes that arrive while a write transaction runs or commits wait, then run one after
   * another in the next transaction, each inside its own savepoint, and one COMMIT makes them all durable
   * (see `KyselyStore`), within `DEFAULT_GROUP_COMMIT`'s bounds or the ones given. Off: one transaction per write.
   */
  readonly groupCommit?: boolean | GroupCommit;
}

/** Default fewest events per range of the audit chain: below it, starting a worker costs more than it saves. */
export const DEFAULT_MIN_EVENTS_PER_RANGE = 50_000;

/** How long a SQLite write waits for another writer by default: long enough for a large evidence import. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** PostgreSQL connections per store pool unless configured (`DOSSIER_PG_POOL_SIZE`). */
export const DEFAULT_PG_POOL_SIZE = 4;

/**
 * Reads `--db` / `DOSSIER_DB`: a `postgres://` or `postgresql://` URL selects PostgreSQL, anything else is a
 * SQLite file path. `?schema=NAME` on a PostgreSQL URL keeps Dossier's tables in that schema.
 * @throws AppError INVALID_INPUT for a malformed URL or schema name (the message never shows the password)
 */
export function parseStoreTarget(db: string): StoreTarget {
  if (!/^postgres(ql)?:\/\//i.test(db)) return { dialect: 'sqlite', location: db };
  let url: URL;
  try {
    url = new URL(db);
  } catch {
    throw new AppError('INVALID_INPUT', `database URL '${redactSecrets(db)}' is not a valid URL`, { field: 'db' });
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
 * @throws AppError NOT_FOUND when `create` is false and there is no store there yet
 * @throws AppError INVALID_INPUT when the file is not a (Dossier) database, its folder is missing or read-only, or
 *   the PostgreSQL server cannot be reached or refuses (named without the password)
 * @throws AppError CONFLICT when another writer holds the SQLite lock for longer than the lock timeout
 * @throws AppError SCHEMA_TOO_NEW when the database was written by a newer Dossier
 */
export async function openStore(target: StoreTarget, options: OpenStoreOptions = {}): Promise<KyselyStore> {
  const create = options.create ?? true;
  const place: StorePlace = { dialect: target.dialect, location: target.location, lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS };
  // Each dialect's driver is loaded only when a store of that dialect is opened: a SQLite store never loads `pg`.
  const db = target.dialect === 'sqlite' ? await openSqlite(target.location, create, place) : await openPostgres(target, place, options.poolSize ?? DEFAULT_PG_POOL_SIZE);
  try {
    await refuseForeign(db.kysely, target, create);
    await migrateToLatest(db.kysely, target.dialect, { schema: target.schema, afterStatement: options.afterMigrationStatement });
  } catch (e) {
    await db.kysely.destroy();
    const described = describeDbError(e, place);
    if (described instanceof AppError) throw described;
    const where = target.dialect === 'sqlite' ? target.location : serverName(target.location);
    throw new AppError('INTERNAL', redactSecrets(`cannot open the database at ${where}: ${(e as Error).message}`), {}, { cause: e });
  }
  const chain: ChainCheckPlan = {
    // An in-memory database exists only on this connection.
    ...(target.location === ':memory:' ? {} : { target: { dialect: target.dialect, location: target.location, ...(target.schema === undefined ? {} : { schema: target.schema }) } }),
    workers: options.verifyWorkers ?? Math.min(availableParallelism(), 4),
    minEventsPerRange: options.minEventsPerRange ?? DEFAULT_MIN_EVENTS_PER_RANGE,
  };
  return new PlacedStore(db.kysely, target.dialect, db.sqlite, place, chain, groupCommitBounds(options.groupCommit));
}

async function openSqlite(file: string, create: boolean, place: StorePlace): Promise<{ kysely: Kysely<DB>; sqlite: Database.Database }> {
  if (!create && file !== ':memory:' && !existsSync(file)) throw noStore(file);
  if (file !== ':memory:' && !existsSync(dirname(file))) {
    throw new AppError('INVALID_INPUT', `cannot create SQLite database ${file}: folder ${dirname(file)} does not exist`, { file });
  }
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const isNew = file !== ':memory:' && !existsSync(file);
  let sqlite: Database.Database;
  try {
    sqlite = new SqliteDatabase(file, { fileMustExist: !create, timeout: place.lockTimeoutMs });
    // A new store is private to the account that made it (SQLite gives its WAL and shared-memory files the same
    // mode); `dossier validate` checks that others have no access.
    if (isNew) chmodSync(file, 0o600);
  } catch (e) {
    const described = describeDbError(e, place);
    throw described instanceof AppError ? described : new AppError('INVALID_INPUT', `cannot open SQLite database ${file}: ${(e as Error).message}`, { file });
  }
  try {
    // First, so that setting WAL on a new file waits for another process doing the same instead of failing.
    sqlite.pragma(`busy_timeout = ${place.lockTimeoutMs}`);
    // WAL: readers never block the writer; FULL: a committed transaction survives a crash or power loss.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // Reads through memory-mapped pages instead of a read() call per page: large loads (the trace graph) run faster.
    sqlite.pragma('mmap_size = 2147418112');
    sqlite.pragma('cache_size = -65536');
  } catch (e) {
    sqlite.close();
    const described = describeDbError(e, place);
    throw described instanceof AppError ? described : new AppError('INVALID_INPUT', `cannot open SQLite database ${file}: ${(e as Error).message}`, { file });
  }
  return { kysely: new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }), sqlite };
}

/** Most statements `withStatementCache` keeps; past it the cache starts again (Kysely's SQL per query shape is few). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The SQLite handle as Kysely sees it, preparing each SQL text once: Kysely prepares a statement per query, which
 * was 8% of a write's CPU time (profile of record.add). Statements run one at a time on the one connection, so a
 * cached statement is never in use twice at once; SQLite re-prepares one itself after a schema change.
 */
function withStatementCache(sqlite: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(sqlText: string): Database.Statement {
      let stmt = cache.get(sqlText);
      if (stmt === undefined) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        stmt = sqlite.prepare(sqlText);
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

async function openPostgres(target: StoreTarget, place: StorePlace, poolSize: number): Promise<{ kysely: Kysely<DB>; sqlite: undefined }> {
  const { default: pg } = await import('pg');
  const schema = target.schema;
  // lock_timeout: a write waits for another writer's lock as long as on SQLite, then fails with 55P03.
  const settings = [`-c lock_timeout=${Math.round(place.lockTimeoutMs)}`, ...(schema === undefined ? [] : [`-c search_path=${schema}`])];
  const pool = new pg.Pool({
    connectionString: target.location,
    max: poolSize,
    options: settings.join(' '),
    // int8 (audit sequence numbers, counts) as JS numbers: exact up to 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((v: string) => unknown) =>
        oid === INT8_OID
          ? (v: string): number => Number(v)
          : (pg.types.getTypeParser(oid, format) as (v: string) => unknown)) as typeof pg.types.getTypeParser,
    },
  });
  return { kysely: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }), sqlite: undefined };
}

/** The bounds of group commit, or `false` when it is off. */
function groupCommitBounds(option: boolean | GroupCommit | undefined): GroupCommit | false {
  if (option === false) return false;
  return option === undefined || option === true ? DEFAULT_GROUP_COMMIT : option;
}

/**
 * Refuses a database that holds no Dossier store when none may be created, and a SQLite file that holds another
 * program's tables (migrating would mix Dossier's tables into it).
 */
async function refuseForeign(db: Kysely<DB>, target: StoreTarget, create: boolean): Promise<void> {
  if ((await appliedMigrations(db, target.dialect)).length > 0) return;
  if (target.dialect === 'sqlite') {
    const other = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' limit 1`.execute(db);
    // Another process may have migrated the new file between the two reads above (its tables and its migration rows
    // commit together): look again before calling the file foreign.
    if (other.rows.length > 0 && (await appliedMigrations(db, target.dialect)).length === 0) {
      throw new AppError('INVALID_INPUT', `${target.location} is a SQLite database but not a Dossier store (it has table ${other.rows[0]?.name ?? '?'}); check --db`, {
        file: target.location,
      });
    }
  }
  if (!create) throw noStore(target.dialect === 'sqlite' ? target.location : `${serverName(target.location)} (schema ${target.schema ?? 'public'})`);
}

function noStore(where: string): AppError {
  return notFound(`no Dossier store at ${where}; check --db, or run \`dossier init\` to create one`, { file: where });
}

/**
 * The store with its place: errors about its surroundings (another writer's lock, a full disk, a server gone)
 * become one-line messages naming the file or server.
 */
class PlacedStore extends KyselyStore {
  constructor(
    db: Kysely<DB>,
    dialect: Dialect,
    sqlite: Database.Database | undefined,
    private readonly place: StorePlace,
    chain: ChainCheckPlan,
    groupCommit: GroupCommit | false,
  ) {
    super(db, dialect, sqlite, chain, groupCommit);
  }

  override async read<T>(fn: (r: StoreReader) => Promise<T>): Promise<T> {
    try {
      return await super.read(fn);
    } catch (e) {
      throw describeDbError(e, this.place);
    }
  }

  override async write<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T> {
    try {
      return await super.write(fn);
    } catch (e) {
      throw describeDbError(e, this.place);
    }
  }
}

/** A URL without its password, for messages. */
export function redact(url: string): string {
  return redactSecrets(url);
}

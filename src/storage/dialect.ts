import type BetterSqlite from 'better-sqlite3';
import { CompiledQuery, sql, type Compilable, type Kysely } from 'kysely';
import { AppError } from '../core/errors.js';
import { AUDIT_HASH_INPUT_SQL, sqliteChainPages, type ChainPageReader } from './audit-chain.js';
import type { Database, Dialect } from './schema.js';

/** A SELECT the adapter can compile (for its own fast paths) or run through Kysely. */
export type ArrayQuery = Compilable & { execute(): Promise<object[]> };

/**
 * Where SQLite and PostgreSQL differ, in one place: how a transaction starts and takes the write lock, how large
 * reads are run (raw rows on SQLite, a cursor on PostgreSQL), how bulk inserts are run (cached prepared statements
 * on SQLite, multi-row INSERTs on PostgreSQL). The repositories hold the SQL, which is the same on both.
 */
export interface DialectAdapter {
  readonly name: Dialect;
  /**
   * The LIKE operator that ignores case: SQLite's `like` (ASCII letters only), PostgreSQL's `ilike` (letters by the
   * database's locale).
   */
  readonly likeIgnoringCase: 'like' | 'ilike';
  /** Runs `fn` in a read-only transaction with a consistent snapshot. */
  read<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one write transaction that first takes the store's write lock (SQLite: BEGIN IMMEDIATE;
   * PostgreSQL: a row lock on `dossier_meta.write_lock`), so writes are serialized and the audit chain never forks.
   */
  write<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Runs a SELECT and returns its rows as arrays in select-list order. */
  selectArrays(conn: Kysely<Database>, query: ArrayQuery): Promise<unknown[][]>;
  /**
   * Calls `fn` with each row of a large SELECT as an array in select-list order, never holding all rows at once.
   * The query runs once, in the order it would run unpaged.
   */
  eachRow(conn: Kysely<Database>, query: Compilable, fn: (row: unknown[]) => void): Promise<void>;
  /** Inserts rows (objects with the same columns, in the same order) into a table. */
  insertRows(conn: Kysely<Database>, table: keyof Database, rows: readonly Record<string, unknown>[]): Promise<void>;
  /** Inserts rows given as one flat list of values, `columns.length` per row, in column order (no object per row). */
  insertValues(conn: Kysely<Database>, table: keyof Database, columns: readonly string[], values: readonly unknown[]): Promise<void>;
  /** Reads pages of the audit chain (`CHAIN_PAGE_SQL` rows) in this transaction. */
  chainPages(conn: Kysely<Database>): ChainPageReader;
  /** An ID other connections can join this transaction's snapshot with; undefined where the engine has none. */
  exportSnapshot(conn: Kysely<Database>): Promise<string | undefined>;
}

/** Bound parameters per statement; below SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;
/** Parameters per multi-row INSERT on the SQLite fast path (more gains little; each statement is cached). */
const FAST_PARAMS = 256;
/** Rows per fetch when PostgreSQL rows are read through a cursor instead of all at once. */
const PG_PAGE_ROWS = 20_000;
/** Names the cursors of one process apart. */
let cursorCount = 0;

/** Largest IN (...) list per query. */
export const IN_CHUNK = 5_000;

/** Splits a list into parts of at most `size` items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The adapter for a store's engine.
 * @param sqlite - the better-sqlite3 handle under the Kysely instance (required for SQLite)
 * @throws AppError INTERNAL for a SQLite store without its handle
 */
export function dialectAdapter(dialect: Dialect, sqlite?: BetterSqlite.Database): DialectAdapter {
  if (dialect === 'postgres') return new PostgresAdapter();
  if (sqlite === undefined) throw new AppError('INTERNAL', 'a SQLite store needs its better-sqlite3 handle');
  return new SqliteAdapter(sqlite);
}

/**
 * SQLite through better-sqlite3. Kysely's single connection is the same handle as `sqlite`, so statements prepared
 * on the handle join the transaction Kysely opened: large reads use raw mode (rows as arrays, several times fewer
 * allocations) and bulk inserts use cached prepared statements (several times faster than multi-row INSERTs built
 * per call).
 */
export class SqliteAdapter implements DialectAdapter {
  readonly name = 'sqlite';
  readonly likeIgnoringCase = 'like';
  private readonly inserts = new Map<string, BetterSqlite.Statement>();
  private readonly selects = new Map<string, BetterSqlite.Statement>();

  constructor(private readonly sqlite: BetterSqlite.Database) {}

  async read<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      let result: T;
      try {
        result = await fn(conn);
      } catch (e) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw e;
      }
      // A read has nothing to keep. SQLite may have ended the transaction already (a statement that met a
      // damaged page rolls it back), and the commit then fails: that must not hide what the read returned.
      await sql`commit`.execute(conn).catch(() => undefined);
      return result;
    });
  }

  async write<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      let result: T;
      try {
        result = await fn(conn);
      } catch (e) {
        // SQLite has already rolled back after some errors (a full disk, I/O): keep the first error, not this one.
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw e;
      }
      await sql`commit`.execute(conn);
      return result;
    });
  }

  selectArrays(_conn: Kysely<Database>, query: ArrayQuery): Promise<unknown[][]> {
    const c = query.compile();
    return Promise.resolve(this.select(c.sql).all(...c.parameters) as unknown[][]);
  }

  eachRow(_conn: Kysely<Database>, query: Compilable, fn: (row: unknown[]) => void): Promise<void> {
    const c = query.compile();
    for (const row of this.select(c.sql).iterate(...c.parameters)) fn(row as unknown[]);
    return Promise.resolve();
  }

  insertRows(_conn: Kysely<Database>, table: keyof Database, rows: readonly Record<string, unknown>[]): Promise<void> {
    const first = rows[0];
    if (first === undefined) return Promise.resolve();
    const columns = Object.keys(first);
    const values: unknown[] = new Array<unknown>(rows.length * columns.length);
    let v = 0;
    for (const row of rows) for (const c of columns) values[v++] = row[c];
    this.insertFlat(table, columns, values);
    return Promise.resolve();
  }

  insertValues(_conn: Kysely<Database>, table: keyof Database, columns: readonly string[], values: readonly unknown[]): Promise<void> {
    this.insertFlat(table, columns, values);
    return Promise.resolve();
  }

  chainPages(): ChainPageReader {
    return sqliteChainPages(this.sqlite);
  }

  exportSnapshot(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }

  /** A cached raw-mode statement for a compiled SELECT. */
  private select(sqlText: string): BetterSqlite.Statement {
    let stmt = this.selects.get(sqlText);
    if (stmt === undefined) {
      stmt = this.sqlite.prepare(sqlText).raw(true);
      this.selects.set(sqlText, stmt);
    }
    return stmt;
  }

  private insertFlat(table: string, columns: readonly string[], values: readonly unknown[]): void {
    const width = columns.length;
    const count = values.length / width;
    // Several rows per statement: a 100,000-item import makes 1/36 of the calls into SQLite, each binding more.
    const perStatement = Math.max(1, Math.floor(FAST_PARAMS / width));
    // Positional parameters: binding by name looks each one up per row.
    let row = 0;
    if (count >= perStatement && perStatement > 1) {
      const stmt = this.insertStatement(table, columns, perStatement);
      const part: unknown[] = new Array<unknown>(perStatement * width);
      for (; row + perStatement <= count; row += perStatement) {
        for (let i = 0, at = row * width; i < part.length; i++) part[i] = values[at + i];
        stmt.run(part);
      }
    }
    if (row === count) return;
    const stmt = this.insertStatement(table, columns, 1);
    const part: unknown[] = new Array<unknown>(width);
    for (; row < count; row++) {
      for (let i = 0, at = row * width; i < width; i++) part[i] = values[at + i];
      stmt.run(part);
    }
  }

  /** A cached `insert into table (columns) values (?, …), …` for `count` rows. */
  private insertStatement(table: string, columns: readonly string[], count: number): BetterSqlite.Statement {
    const key = `${table}(${columns.join(',')})*${count}`;
    let stmt = this.inserts.get(key);
    if (stmt === undefined) {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      stmt = this.sqlite.prepare(
        `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array<string>(count).fill(tuple).join(', ')}`,
      );
      this.inserts.set(key, stmt);
    }
    return stmt;
  }
}

/** PostgreSQL through node-postgres and Kysely's transactions. */
export class PostgresAdapter implements DialectAdapter {
  readonly name = 'postgres';
  readonly likeIgnoringCase = 'ilike';

  read<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return db.transaction().setIsolationLevel('repeatable read').execute(fn);
  }

  write<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
    return db.transaction().execute(async (trx) => {
      await sql`select value from dossier_meta where key = 'write_lock' for update`.execute(trx);
      return fn(trx);
    });
  }

  async selectArrays(_conn: Kysely<Database>, query: ArrayQuery): Promise<unknown[][]> {
    return (await query.execute()).map((r): unknown[] => Object.values(r) as unknown[]);
  }

  /** Through a cursor in the read's transaction, a page at a time (the driver would materialise a whole result). */
  async eachRow(conn: Kysely<Database>, query: Compilable, fn: (row: unknown[]) => void): Promise<void> {
    const c = query.compile();
    const name = `dossier_rows_${++cursorCount}`;
    await conn.executeQuery(CompiledQuery.raw(`declare ${name} no scroll cursor for ${c.sql}`, [...c.parameters]));
    try {
      for (;;) {
        const { rows } = await conn.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`fetch ${PG_PAGE_ROWS} from ${name}`));
        for (const r of rows) fn(Object.values(r));
        if (rows.length < PG_PAGE_ROWS) break;
      }
    } finally {
      // After a failed fetch the transaction is aborted and closes the cursor itself.
      await conn.executeQuery(CompiledQuery.raw(`close ${name}`)).catch(() => undefined);
    }
  }

  async insertRows(conn: Kysely<Database>, table: keyof Database, rows: readonly Record<string, unknown>[]): Promise<void> {
    const first = rows[0];
    if (first === undefined) return;
    const perChunk = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(first).length));
    for (const part of chunks(rows, perChunk)) {
      await conn.insertInto(table).values(part).execute();
    }
  }

  async insertValues(conn: Kysely<Database>, table: keyof Database, columns: readonly string[], values: readonly unknown[]): Promise<void> {
    const width = columns.length;
    const count = values.length / width;
    const perChunk = Math.max(1, Math.floor(MAX_PARAMS / width));
    for (let from = 0; from < count; from += perChunk) {
      const part: Record<string, unknown>[] = [];
      for (let row = from, end = Math.min(count, from + perChunk); row < end; row++) {
        const o: Record<string, unknown> = {};
        for (let c = 0; c < width; c++) o[columns[c] ?? ''] = values[row * width + c];
        part.push(o);
      }
      await conn.insertInto(table).values(part).execute();
    }
  }

  chainPages(conn: Kysely<Database>): ChainPageReader {
    return async (after, limit) => {
      const input = sql.raw<string>(AUDIT_HASH_INPUT_SQL);
      const rows = await sql<{ seq: number; prev_hash: string; hash: string; input: string }>`select seq, prev_hash, hash,
          ${input} as input from audit_events where seq > ${after} order by seq limit ${limit}`.execute(conn);
      return rows.rows.map((r) => [r.seq, r.prev_hash, r.hash, r.input]);
    };
  }

  async exportSnapshot(conn: Kysely<Database>): Promise<string | undefined> {
    return (await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(conn)).rows[0]?.id;
  }
}

import { sql, type Kysely } from 'kysely';
import type { DatabaseCheck } from '../core/ports.js';
import type { Database, Dialect } from './schema.js';

/** At most this many of the engine's messages are kept (a damaged file can yield thousands). */
const MAX_MESSAGES = 5;

/** One line, at most 300 characters, for a message from the engine. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/**
 * The database engine's own check of its storage, below what the hash chain covers: a damaged page can make rows
 * unreadable (or silently different) without any hash being involved.
 * - SQLite: `PRAGMA integrity_check` (every page, every B-tree, every index against its table, NOT NULL and
 *   UNIQUE); measured at about 1 s for a store of 100,000 records (see BENCHMARKS.md), so the full check runs, not
 *   `quick_check`, which skips indexes against tables.
 * - PostgreSQL: the amcheck extension when an administrator has installed it (`create extension amcheck`; the
 *   check never installs it, it only reads): `bt_index_check` on every B-tree index of Dossier's tables and
 *   `verify_heapam` on the tables. Without it, the report says what was not checked.
 * Never throws for what it finds: errors of the engine are reported as problems.
 */
export async function checkDatabase(db: Kysely<Database>, dialect: Dialect): Promise<DatabaseCheck> {
  return dialect === 'sqlite' ? checkSqlite(db) : checkPostgres(db);
}

async function checkSqlite(db: Kysely<Database>): Promise<DatabaseCheck> {
  const checked = 'SQLite integrity_check (every page, B-tree and index of the file)';
  try {
    const rows = await sql<{ integrity_check: string }>`pragma integrity_check(${sql.lit(MAX_MESSAGES)})`.execute(db);
    const messages = rows.rows
      .flatMap((r) => String(Object.values(r)[0] ?? '').split('\n'))
      .filter((m) => m !== 'ok' && m.trim() !== '' && !m.startsWith('*** in database'));
    if (messages.length === 0) return { checked, notChecked: null, problems: [] };
    // `Tree 10 page 49 …` names a B-tree by its root page: add the table or index it holds.
    const roots = await sql<{ name: string; rootpage: number }>`select name, rootpage from sqlite_master where rootpage > 0`.execute(db).then(
      (r) => new Map(r.rows.map((x) => [Number(x.rootpage), x.name])),
      () => new Map<number, string>(),
    );
    const named = messages.map((m) => m.replace(/^Tree (\d+)/, (t, root: string) => (roots.has(Number(root)) ? `${t} (${roots.get(Number(root)) ?? ''})` : t)));
    return { checked, notChecked: null, problems: named.slice(0, MAX_MESSAGES).map(oneLine) };
  } catch (e) {
    return { checked, notChecked: null, problems: [oneLine(`integrity_check could not read the file: ${e instanceof Error ? e.message : String(e)}`)] };
  }
}

async function checkPostgres(db: Kysely<Database>): Promise<DatabaseCheck> {
  const ext = await sql<{ schema: string; version: string }>`select n.nspname as schema, e.extversion as version
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'amcheck'`.execute(db);
  const amcheck = ext.rows[0];
  if (amcheck === undefined) {
    return {
      checked: 'nothing at the storage level',
      notChecked: "PostgreSQL's pages and indexes: the amcheck extension is not installed in this database (an administrator can run `create extension amcheck`)",
      problems: [],
    };
  }
  const schema = `"${amcheck.schema.replaceAll('"', '""')}"`;
  const fn = async (name: string): Promise<boolean> => {
    const r = await sql<{ ok: boolean }>`select to_regprocedure(${`${schema}.${name}`}) is not null
      and has_function_privilege(to_regprocedure(${`${schema}.${name}`}), 'execute') as ok`.execute(db);
    return r.rows[0]?.ok === true;
  };
  const canIndex = await fn('bt_index_check(regclass)');
  const canHeap = await fn('verify_heapam(regclass, boolean, boolean, text, bigint, bigint)');
  if (!canIndex) {
    return {
      checked: 'nothing at the storage level',
      notChecked: "PostgreSQL's pages and indexes: this database user may not run amcheck's bt_index_check (grant execute on it, or verify as its owner)",
      problems: [],
    };
  }
  // Dossier's tables and their B-tree indexes, in the schema the store uses.
  const relations = await sql<{ kind: string; name: string }>`select c.relkind::text as kind, c.oid::regclass::text as name
    from pg_class c join pg_am a on a.oid = c.relam join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema()
      and ((c.relkind = 'i' and a.amname = 'btree') or (c.relkind = 'r' and a.amname = 'heap'))
    order by c.relkind, c.relname`.execute(db);
  const problems: string[] = [];
  let indexes = 0;
  let tables = 0;
  for (const rel of relations.rows) {
    if (problems.length >= MAX_MESSAGES) break;
    if (rel.kind === 'i') {
      indexes++;
      // bt_index_check raises on damage, which would end the transaction: a savepoint keeps the rest checkable.
      await sql`savepoint dossier_amcheck`.execute(db);
      try {
        await sql`select ${sql.raw(schema)}.bt_index_check(${rel.name}::regclass)`.execute(db);
        await sql`release savepoint dossier_amcheck`.execute(db);
      } catch (e) {
        await sql`rollback to savepoint dossier_amcheck`.execute(db);
        problems.push(oneLine(`index ${rel.name}: ${e instanceof Error ? e.message : String(e)}`));
      }
    } else if (canHeap) {
      tables++;
      const found = await sql<{ blkno: string; msg: string }>`select blkno::text as blkno, msg
        from ${sql.raw(schema)}.verify_heapam(${rel.name}::regclass) limit ${MAX_MESSAGES}`.execute(db);
      for (const f of found.rows) problems.push(oneLine(`table ${rel.name}, page ${f.blkno}: ${f.msg}`));
    }
  }
  return {
    checked: `PostgreSQL amcheck ${amcheck.version}: ${indexes} B-tree indexes (bt_index_check)${canHeap ? `, ${tables} tables (verify_heapam)` : ''}`,
    notChecked: canHeap ? null : "table pages: amcheck's verify_heapam is not available to this user (PostgreSQL 14 or later, execute privilege)",
    problems: problems.slice(0, MAX_MESSAGES),
  };
}

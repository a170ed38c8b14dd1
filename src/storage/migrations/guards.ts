import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Makes the database itself refuse changes to rows: `appendOnly` tables refuse UPDATE and DELETE (and TRUNCATE on
 * PostgreSQL), `noDelete` tables refuse DELETE (and TRUNCATE). On PostgreSQL it uses `dossier_refuse_change()`,
 * created by the first migration.
 */
export async function guardTables(
  db: Kysely<unknown>,
  dialect: Dialect,
  tables: { readonly appendOnly: readonly string[]; readonly noDelete: readonly string[] },
): Promise<void> {
  const run = (text: string): Promise<unknown> => sql.raw(text).execute(db);
  if (dialect === 'sqlite') {
    for (const t of tables.appendOnly) {
      await run(`create trigger ${t}_no_update before update on ${t} begin select raise(abort, 'dossier: ${t} is append-only; UPDATE is refused'); end`);
    }
    for (const t of [...tables.appendOnly, ...tables.noDelete]) {
      await run(`create trigger ${t}_no_delete before delete on ${t} begin select raise(abort, 'dossier: rows of ${t} are never deleted; DELETE is refused'); end`);
    }
    return;
  }
  for (const t of tables.appendOnly) {
    await run(`create trigger ${t}_append_only before update or delete on ${t} for each row execute function dossier_refuse_change()`);
  }
  for (const t of tables.noDelete) {
    await run(`create trigger ${t}_no_delete before delete on ${t} for each row execute function dossier_refuse_change()`);
  }
  for (const t of [...tables.appendOnly, ...tables.noDelete]) {
    await run(`create trigger ${t}_no_truncate before truncate on ${t} for each statement execute function dossier_refuse_change()`);
  }
}

/** Row guards of tables whose rows may be updated in part: see `guardRows`. */
export interface RowGuards {
  /** Per table, its unique keys besides the rowid (SQLite: an INSERT colliding with one is refused, see below). */
  readonly uniqueKeys?: Readonly<Record<string, readonly (readonly string[])[]>>;
  /** Per table, the columns that name a row and never change once written. */
  readonly fixedColumns?: Readonly<Record<string, readonly string[]>>;
  /** Table and column pairs that, once set, stay set (a revocation, a use). */
  readonly staysSet?: readonly (readonly [string, string])[];
}

/**
 * Fixed columns, columns that stay set, and (SQLite) no REPLACE: the guards 0005 put on the record tables, for tables
 * added later. On SQLite `INSERT OR REPLACE` deletes a colliding row without firing DELETE triggers, so an insert
 * that collides with a row's rowid or unique key is refused first. On PostgreSQL it uses
 * `dossier_refuse_key_change()`, created by 0005.
 */
export async function guardRows(db: Kysely<unknown>, dialect: Dialect, guards: RowGuards): Promise<void> {
  const run = (text: string): Promise<unknown> => sql.raw(text).execute(db);
  const fixed = Object.entries(guards.fixedColumns ?? {});
  const staysSet = guards.staysSet ?? [];
  if (dialect === 'sqlite') {
    for (const [t, keys] of Object.entries(guards.uniqueKeys ?? {})) {
      const collides = [
        `exists (select 1 from ${t} where rowid = new.rowid)`,
        ...keys.map((cols) => `exists (select 1 from ${t} where ${cols.map((c) => `${c} = new.${c}`).join(' and ')})`),
      ];
      await run(
        `create trigger ${t}_no_replace before insert on ${t} when ${collides.join(' or ')} ` +
          `begin select raise(abort, 'dossier: ${t} already holds a row with this key; rows are never replaced, INSERT is refused'); end`,
      );
    }
    for (const [t, cols] of fixed) {
      await run(
        `create trigger ${t}_fixed_columns before update of ${cols.join(', ')} on ${t} ` +
          `when ${cols.map((c) => `new.${c} is not old.${c}`).join(' or ')} ` +
          `begin select raise(abort, 'dossier: the key columns of ${t} (${cols.join(', ')}) never change; UPDATE is refused'); end`,
      );
    }
    for (const [t, c] of staysSet) {
      await run(
        `create trigger ${t}_${c}_stays before update of ${c} on ${t} when old.${c} is not null and new.${c} is not old.${c} ` +
          `begin select raise(abort, 'dossier: ${t}.${c} never changes once set; UPDATE is refused'); end`,
      );
    }
    return;
  }
  for (const [t, cols] of fixed) {
    await run(
      `create trigger ${t}_fixed_columns before update on ${t} for each row ` +
        `when (${cols.map((c) => `new.${c} is distinct from old.${c}`).join(' or ')}) ` +
        `execute function dossier_refuse_key_change('its key columns (${cols.join(', ')}) never change')`,
    );
  }
  for (const [t, c] of staysSet) {
    await run(
      `create trigger ${t}_${c}_stays before update on ${t} for each row ` +
        `when (old.${c} is not null and new.${c} is distinct from old.${c}) ` +
        `execute function dossier_refuse_key_change('${c} never changes once set')`,
    );
  }
}

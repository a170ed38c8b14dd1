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

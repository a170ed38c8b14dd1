import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';

/** Columns of an import that never change after it is written. */
const IMMUTABLE = ['id', 'product_id', 'kind', 'source', 'content_hash', 'meta', 'item_count', 'items_digest', 'imported_at', 'imported_by'];

/**
 * A test run's version becomes a column that a relabel can change (audit-trailed), and an import can be voided
 * (marked with who, when and why; never deleted). Every other column of `evidence_imports` stays append-only: the
 * database refuses UPDATE of them and DELETE of rows, as before, and refuses changing a void mark once set.
 * Existing test runs get the version their import stated.
 */
export function evidenceLabelsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const run = (text: string): Promise<unknown> => sql.raw(text).execute(db);
      await db.schema.alterTable('evidence_imports').addColumn('version', 'text').execute();
      await db.schema.alterTable('evidence_imports').addColumn('voided_at', 'text').execute();
      await db.schema.alterTable('evidence_imports').addColumn('voided_by', 'text').execute();
      await db.schema.alterTable('evidence_imports').addColumn('void_reason', 'text').execute();
      if (dialect === 'sqlite') {
        await run('drop trigger evidence_imports_no_update');
        await run(`update evidence_imports set version = json_extract(meta, '$.version') where kind = 'test_run' and json_type(meta, '$.version') = 'text'`);
        await run(
          `create trigger evidence_imports_no_update before update of ${IMMUTABLE.join(', ')} on evidence_imports begin ` +
            `select raise(abort, 'dossier: evidence_imports is append-only except its version and void mark; UPDATE is refused'); end`,
        );
        await run(
          'create trigger evidence_imports_void_final before update of version, voided_at, voided_by, void_reason on evidence_imports ' +
            `when old.voided_at is not null begin select raise(abort, 'dossier: a void evidence import is final; UPDATE is refused'); end`,
        );
        return;
      }
      await run('drop trigger evidence_imports_append_only on evidence_imports');
      await run(`update evidence_imports set version = meta::jsonb->>'version' where kind = 'test_run' and jsonb_typeof(meta::jsonb->'version') = 'string'`);
      await run(`create trigger evidence_imports_no_update before update of ${IMMUTABLE.join(', ')} on evidence_imports for each row execute function dossier_refuse_change()`);
      await run('create trigger evidence_imports_no_delete before delete on evidence_imports for each row execute function dossier_refuse_change()');
      await run(
        'create trigger evidence_imports_void_final before update of version, voided_at, voided_by, void_reason on evidence_imports ' +
          'for each row when (old.voided_at is not null) execute function dossier_refuse_change()',
      );
    },
  };
}

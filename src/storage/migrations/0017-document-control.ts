import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { guardRows, guardTables } from './guards.js';

/**
 * Document control and training (ISO 13485 4.2.4, 6.2; 21 CFR 11.10(i)): document versions made effective, their
 * periodic reviews, training assignments and their completions. All four are append-only: the database refuses
 * UPDATE, DELETE and TRUNCATE, like the audit trail and the signatures.
 */
export function documentControlMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('document_effectivities')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('effective_on', 'text', (c) => c.notNull())
        .addColumn('made_at', 'text', (c) => c.notNull())
        .addColumn('made_by', 'text', (c) => c.notNull())
        .execute();
      // A revision becomes effective once.
      await db.schema.createIndex('document_effectivities_revision').on('document_effectivities').columns(['record_id', 'revision']).unique().execute();
      await db.schema
        .createTable('document_reviews')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('reviewed_on', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('still_valid', 'revision_needed')`))
        .addColumn('note', 'text')
        .addColumn('reviewed_at', 'text', (c) => c.notNull())
        .addColumn('reviewed_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('training_assignments')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('role_record_id', 'integer', (c) => c.references('records.id'))
        .addColumn('assigned_on', 'text', (c) => c.notNull())
        .addColumn('due_on', 'text', (c) => c.notNull())
        .addColumn('assigned_at', 'text', (c) => c.notNull())
        .addColumn('assigned_by', 'text', (c) => c.notNull())
        .execute();
      // One assignment per person and document revision, whatever the number of roles that require it.
      await db.schema.createIndex('training_assignments_user').on('training_assignments').columns(['record_id', 'revision', 'username']).unique().execute();
      await db.schema
        .createTable('training_completions')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('assignment_id', 'integer', (c) => c.notNull().references('training_assignments.id'))
        .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('read_and_understood', 'quiz')`))
        .addColumn('score', 'integer')
        .addColumn('pass_mark', 'integer')
        .addColumn('passed', 'integer', (c) => c.notNull().check(sql`passed in (0, 1)`))
        // No foreign key to signatures: PostgreSQL would then answer a TRUNCATE of signatures with its own error before
        // the append-only guard; the reference is checked on import and by `audit verify` (each row against its event).
        .addColumn('signature_id', 'integer')
        .addColumn('completed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('training_completions_assignment').on('training_completions').columns(['assignment_id']).execute();
      const tables = ['document_effectivities', 'document_reviews', 'training_assignments', 'training_completions'];
      await guardTables(db, dialect, { appendOnly: tables, noDelete: [] });
      await guardRows(db, dialect, {
        uniqueKeys: {
          document_effectivities: [['record_id', 'revision']],
          document_reviews: [],
          training_assignments: [['record_id', 'revision', 'username']],
          training_completions: [],
        },
      });
    },
  };
}

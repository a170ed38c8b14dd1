import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { guardRows, guardTables } from './guards.js';

/**
 * Electronic signatures, the accountability statements users accept before their first one, and the approval
 * workflows configured per product and record type. Signatures and acceptances are append-only: the database refuses
 * to change or delete them, like the audit trail. Sessions remember whether they have signed (a later signing in
 * the same session needs only the password).
 */
export function signaturesMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('signatures')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'integer', (c) => c.notNull())
        .addColumn('entity_key', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('manifest', 'text')
        .addColumn('meaning', 'text', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('printed_name', 'text', (c) => c.notNull())
        .addColumn('signed_at', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('signatures_entity').on('signatures').columns(['entity_type', 'entity_id', 'revision']).execute();
      // One signature per step of a revision: a second one (a replay, a race) is refused by the database too.
      await db.schema.createIndex('signatures_step').on('signatures').columns(['entity_type', 'entity_id', 'revision', 'step']).unique().execute();
      await db.schema
        .createTable('signature_statements')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('printed_name', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('accepted_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('signature_statements_user').on('signature_statements').columns(['user_id', 'version']).unique().execute();
      await db.schema
        .createTable('workflows')
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('workflows_pk', ['product_id', 'subject'])
        .execute();
      await db.schema.alterTable('sessions').addColumn('signed_at', 'text').execute();
      await guardTables(db, dialect, { appendOnly: ['signatures', 'signature_statements'], noDelete: ['workflows'] });
      // INSERT OR REPLACE on SQLite deletes the colliding row without firing delete triggers: refused first.
      await guardRows(db, dialect, {
        uniqueKeys: { signatures: [['entity_type', 'entity_id', 'revision', 'step']], signature_statements: [['user_id', 'version']] },
      });
    },
  };
}

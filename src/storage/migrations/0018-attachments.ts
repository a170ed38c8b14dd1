import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { guardRows, guardTables } from './guards.js';

/**
 * Files attached to records (certificates, signed external reports, screenshots). Their bytes are stored once per
 * SHA-256 in `attachment_contents`, however many records attach them; `attachments` says which record (and its
 * revision then) carries which file under which name. Both are append-only: the database refuses to change or
 * delete their rows, like the audit trail and signatures.
 */
export function attachmentsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('attachment_contents')
        .addColumn('sha256', 'text', (c) => c.primaryKey())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('bytes', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('attachments')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull().references('attachment_contents.sha256'))
        .addColumn('attached_at', 'text', (c) => c.notNull())
        .addColumn('attached_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('attachments_record').on('attachments').columns(['record_id', 'id']).execute();
      await guardTables(db, dialect, { appendOnly: ['attachment_contents', 'attachments'], noDelete: [] });
      // INSERT OR REPLACE on SQLite deletes the colliding row without firing delete triggers: refused first.
      await guardRows(db, dialect, { uniqueKeys: { attachment_contents: [['sha256']], attachments: [] } });
    },
  };
}

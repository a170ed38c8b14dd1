import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { guardTables } from './guards.js';

/**
 * Evidence (test runs, commits, reviews, SBOM snapshots) and release baselines. Evidence rows and frozen baselines
 * are append-only. A release version may be frozen again while it is a draft (baseline 2, 3 …; the newest counts);
 * a baseline row changes once, from draft to released, and is never deleted.
 */
export function evidenceMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('evidence_imports')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('meta', 'text', (c) => c.notNull())
        .addColumn('item_count', 'integer', (c) => c.notNull())
        .addColumn('items_digest', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addColumn('imported_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('evidence_imports_content', ['product_id', 'kind', 'content_hash'])
        .execute();
      await db.schema
        .createTable('evidence_items')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('import_id', 'integer', (c) => c.notNull())
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        // Checked at commit: a streamed import writes its items first and its import row (with the digest) last.
        .addForeignKeyConstraint('evidence_items_import_fk', ['import_id'], 'evidence_imports', ['id'], (fk) => fk.deferrable().initiallyDeferred())
        .execute();
      await db.schema.createIndex('evidence_items_import').on('evidence_items').column('import_id').execute();
      await db.schema.createIndex('evidence_items_kind').on('evidence_items').columns(['product_id', 'kind']).execute();
      await db.schema
        .createTable('evidence_refs')
        .addColumn('item_id', 'integer', (c) => c.notNull().references('evidence_items.id'))
        .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('evidence_refs_pk', ['item_id', 'record_id', 'role'])
        .execute();
      await db.schema.createIndex('evidence_refs_record').on('evidence_refs').column('record_id').execute();
      await db.schema
        .createTable('releases')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('baseline', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('baseline_hash', 'text', (c) => c.notNull())
        .addColumn('audit_seq', 'integer', (c) => c.notNull())
        .addColumn('audit_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('released_at', 'text')
        .addColumn('released_by', 'text')
        .addUniqueConstraint('releases_product_version', ['product_id', 'version', 'baseline'])
        .execute();
      await db.schema
        .createTable('release_records')
        .addColumn('release_id', 'integer', (c) => c.notNull().references('releases.id'))
        .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('release_records_pk', ['release_id', 'record_id'])
        .execute();
      await db.schema
        .createTable('release_links')
        .addColumn('release_id', 'integer', (c) => c.notNull().references('releases.id'))
        .addColumn('link_id', 'integer', (c) => c.notNull().references('links.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('from_id', 'integer', (c) => c.notNull())
        .addColumn('to_id', 'integer', (c) => c.notNull())
        .addColumn('from_revision', 'integer', (c) => c.notNull())
        .addColumn('to_revision', 'integer', (c) => c.notNull())
        .addColumn('checked_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('release_links_pk', ['release_id', 'link_id'])
        .execute();
      await db.schema
        .createTable('release_evidence')
        .addColumn('release_id', 'integer', (c) => c.notNull().references('releases.id'))
        .addColumn('import_id', 'integer', (c) => c.references('evidence_imports.id'))
        .addColumn('item_id', 'integer', (c) => c.references('evidence_items.id'))
        .execute();
      await db.schema.createIndex('release_evidence_release').on('release_evidence').column('release_id').execute();
      await guardTables(db, dialect, {
        appendOnly: ['evidence_imports', 'evidence_items', 'evidence_refs', 'release_records', 'release_links', 'release_evidence'],
        noDelete: ['releases'],
      });
    },
  };
}

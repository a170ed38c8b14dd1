import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';

/** Tables whose rows may never be changed or removed, and tables whose rows may never be removed. */
const APPEND_ONLY = ['audit_events', 'revisions'] as const;
const NO_DELETE = ['products', 'records', 'links'] as const;

/**
 * The record store: products, records (head), immutable revisions, typed links, the hash-chained audit trail,
 * and the triggers by which the database itself refuses UPDATE/DELETE on the append-only tables.
 */
export function initialMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const big = dialect === 'postgres' ? 'bigint' : 'integer';
      await db.schema
        .createTable('dossier_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('products')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('intended_use', 'text', (c) => c.notNull())
        .addColumn('safety_class', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('records')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('latest_revision', 'integer', (c) => c.notNull())
        .addColumn('approved_revision', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('records_product_type_number', ['product_id', 'type', 'number'])
        .execute();
      await db.schema
        .createTable('revisions')
        .addColumn('record_id', 'integer', (c) => c.notNull().references('records.id'))
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('revisions_pk', ['record_id', 'revision'])
        .execute();
      await db.schema
        .createTable('links')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('from_id', 'integer', (c) => c.notNull().references('records.id'))
        .addColumn('to_id', 'integer', (c) => c.notNull().references('records.id'))
        .addColumn('from_revision', 'integer', (c) => c.notNull())
        .addColumn('to_revision', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', 'text')
        .addColumn('confirmed_by', 'text')
        .addColumn('removed_at', 'text')
        .addColumn('removed_by', 'text')
        .addColumn('removal_reason', 'text')
        .execute();
      await db.schema
        .createTable('audit_events')
        .addColumn('seq', big, (c) => c.primaryKey())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('product_key', 'text')
        .addColumn('old_value', 'text')
        .addColumn('new_value', 'text')
        .addColumn('reason', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createIndex('links_from').on('links').column('from_id').execute();
      await db.schema.createIndex('links_to').on('links').column('to_id').execute();
      await db.schema.createIndex('links_product').on('links').column('product_id').execute();
      // One active link of a type between two records; removed links stay as history.
      await db.schema
        .createIndex('links_active_unique')
        .on('links')
        .columns(['type', 'from_id', 'to_id'])
        .unique()
        .where(sql.ref('removed_at'), 'is', null)
        .execute();
      await db.schema.createIndex('audit_entity').on('audit_events').column('entity_id').execute();
      await db.schema.createIndex('audit_product').on('audit_events').columns(['product_key', 'seq']).execute();

      // The row that write transactions lock first, so that audit events are appended one transaction at a time.
      await sql`insert into dossier_meta (key, value) values ('write_lock', '0')`.execute(db);

      if (dialect === 'sqlite') {
        for (const t of APPEND_ONLY) {
          await sql
            .raw(
              `create trigger ${t}_no_update before update on ${t} begin ` +
                `select raise(abort, 'dossier: ${t} is append-only; UPDATE is refused'); end`,
            )
            .execute(db);
        }
        for (const t of [...APPEND_ONLY, ...NO_DELETE]) {
          await sql
            .raw(
              `create trigger ${t}_no_delete before delete on ${t} begin ` +
                `select raise(abort, 'dossier: rows of ${t} are never deleted; DELETE is refused'); end`,
            )
            .execute(db);
        }
      } else {
        await sql
          .raw(
            `create function dossier_refuse_change() returns trigger language plpgsql as $$ begin ` +
              `raise exception 'dossier: % on % is refused: rows of this table are never changed or removed', ` +
              `tg_op, tg_table_name; end $$`,
          )
          .execute(db);
        for (const t of APPEND_ONLY) {
          await sql
            .raw(
              `create trigger ${t}_append_only before update or delete on ${t} ` +
                `for each row execute function dossier_refuse_change()`,
            )
            .execute(db);
        }
        for (const t of NO_DELETE) {
          await sql
            .raw(
              `create trigger ${t}_no_delete before delete on ${t} for each row execute function dossier_refuse_change()`,
            )
            .execute(db);
        }
        for (const t of [...APPEND_ONLY, ...NO_DELETE]) {
          await sql
            .raw(
              `create trigger ${t}_no_truncate before truncate on ${t} ` +
                `for each statement execute function dossier_refuse_change()`,
            )
            .execute(db);
        }
      }
    },
  };
}

import type { Kysely, Migration } from 'kysely';

/**
 * A product's changes to the rule packs: rules disabled (with the justification) or given another severity, and
 * the product's own packs. Mutable rows; every change is audit-trailed by the use-cases.
 */
export const ruleSettingsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('rule_settings')
      .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('justification', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('rule_settings_pk', ['product_id', 'rule_id'])
      .execute();
    await db.schema
      .createTable('product_rule_packs')
      .addColumn('product_id', 'integer', (c) => c.notNull().references('products.id'))
      .addColumn('pack', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('added_at', 'text', (c) => c.notNull())
      .addColumn('added_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('product_rule_packs_pk', ['product_id', 'pack'])
      .execute();
  },
};

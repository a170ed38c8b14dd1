import type { Kysely, Migration } from 'kysely';

/**
 * A release baseline made by mistake can be voided: it is kept with who voided it, when and why, and no longer
 * counts (the status becomes `void`). Rows are never deleted.
 */
export const releaseVoidMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const column of ['voided_at', 'voided_by', 'void_reason']) {
      await db.schema.alterTable('releases').addColumn(column, 'text').execute();
    }
  },
};

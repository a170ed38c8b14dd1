import type { Kysely, Migration } from 'kysely';

/**
 * Indexes for reading the audit trail by who acted, by kind of event and by time (`audit log --actor --action
 * --from --to`, `audit export`): without them each such filter reads the whole trail. Each ends in `seq` where the
 * trail is read in sequence order, so a page is a walk along the index. Entity and product already have theirs.
 */
export const auditFiltersMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('audit_actor').on('audit_events').columns(['actor', 'seq']).execute();
    await db.schema.createIndex('audit_action').on('audit_events').columns(['action', 'seq']).execute();
    await db.schema.createIndex('audit_occurred').on('audit_events').columns(['occurred_at', 'seq']).execute();
  },
};

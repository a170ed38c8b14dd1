import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Who approved a record's approved revision (`records.approved_by`), set with `approved_revision` in the same write
 * and carried in the RECORD_STATUS_CHANGED event's new value. Records approved before this migration get it from
 * their last approval event (its actor), when that event approved the revision the head names; otherwise it stays
 * null (unknown).
 */
export const approvedByMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('records').addColumn('approved_by', 'text').execute();
    await backfillApprovedBy(db);
  },
};

/** Sets `approved_by` of records approved before it existed from their last approval event (see the migration). */
export async function backfillApprovedBy(db: Kysely<unknown>): Promise<void> {
  const events = await sql<{ entity_id: string; actor: string; new_value: string | null }>`
    select entity_id, actor, new_value from audit_events where action = 'RECORD_STATUS_CHANGED' order by seq`.execute(db);
  const approvals = new Map<string, { actor: string; revision: unknown }>();
  for (const e of events.rows) {
    let value: unknown;
    try {
      value = JSON.parse(e.new_value ?? 'null');
    } catch {
      continue;
    }
    if (typeof value !== 'object' || value === null || (value as { status?: unknown }).status !== 'approved') continue;
    approvals.set(e.entity_id, { actor: e.actor, revision: (value as { revision?: unknown }).revision });
  }
  if (approvals.size === 0) return;
  const heads = await sql<{ id: number; entity_id: string; approved_revision: number }>`
    select r.id, p.key || '/' || r.type || '-' || cast(r.number as text) as entity_id, r.approved_revision
    from records r join products p on p.id = r.product_id where r.approved_revision is not null`.execute(db);
  for (const h of heads.rows) {
    const a = approvals.get(h.entity_id);
    if (a === undefined || Number(a.revision) !== Number(h.approved_revision)) continue;
    await sql`update records set approved_by = ${a.actor} where id = ${h.id}`.execute(db);
  }
}

import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { AuditEvent, ChainHead } from '../../core/audit.js';
import type { AuditAnchor } from '../../core/audit-anchor.js';
import type { ChainRangeResult } from '../../core/integrity.js';
import type { AuditFilter, AuditReader, AuditWriter, StateEvent } from '../../core/ports.js';
import { chainRanges, chainWorkersAvailable, checkChainRange, checkChainRangesOnWorkers, type ChainWorkerTarget } from '../audit-chain.js';
import { entityColumns } from '../entity-columns.js';
import type { AuditEventRow, Database } from '../schema.js';
import { Repository } from './repository.js';

/** An audit event and its row. */
export const AUDIT_EVENT_COLUMNS = entityColumns<AuditEvent, AuditEventRow>({
  // Defensive: int8 comes back as text from a pool without the store's type parser.
  seq: { column: 'seq', read: Number },
  occurredAt: 'occurred_at',
  actor: 'actor',
  action: 'action',
  entityType: 'entity_type',
  entityId: 'entity_id',
  productKey: 'product_key',
  oldValue: 'old_value',
  newValue: 'new_value',
  reason: 'reason',
  prevHash: 'prev_hash',
  hash: 'hash',
});

/** The audit trail (append-only: the database refuses UPDATE and DELETE on it). */
export class AuditRepository extends Repository implements AuditReader, AuditWriter {
  async auditHead(): Promise<ChainHead | undefined> {
    const row = await this.db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash };
  }

  async listAudit(filter: AuditFilter): Promise<AuditEvent[]> {
    const q = this.db.selectFrom('audit_events').selectAll().where((eb) => auditWhere(eb, filter));
    const rows = await q.orderBy('seq', filter.newestFirst === true ? 'desc' : 'asc').limit(filter.limit).execute();
    return rows.map((r) => AUDIT_EVENT_COLUMNS.fromRow(r));
  }

  async countAudit(filter: Omit<AuditFilter, 'limit' | 'newestFirst'>): Promise<number> {
    const q = this.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where((eb) => auditWhere(eb, filter));
    return Number((await q.executeTakeFirstOrThrow()).n);
  }

  async checkAuditChain(throughSeq: number, anchors: readonly AuditAnchor[]): Promise<ChainRangeResult[]> {
    const plan = this.chain;
    const ranges = chainRanges(throughSeq, Math.max(1, Math.min(plan.workers, Math.floor(throughSeq / plan.minEventsPerRange))));
    if (plan.target !== undefined && plan.workers > 0 && throughSeq >= plan.minEventsPerRange && chainWorkersAvailable()) {
      // PostgreSQL: the workers join this transaction's snapshot. SQLite has no such thing, but events are
      // append-only and every range ends at this snapshot's head, so the workers read the same events.
      const snapshot = await this.dialect.exportSnapshot(this.db);
      const target: ChainWorkerTarget = snapshot === undefined ? plan.target : { ...plan.target, snapshot };
      return checkChainRangesOnWorkers(target, ranges, anchors);
    }
    // In this thread, on this transaction's snapshot; still range by range, joined as the workers' ranges are.
    const read = this.dialect.chainPages(this.db);
    const out: ChainRangeResult[] = [];
    for (const range of ranges) out.push(await checkChainRange(read, range, anchors));
    return out;
  }

  async scanStateEvents(afterSeq: number, limit: number, actions: readonly string[]): Promise<StateEvent[]> {
    // No filter on the action in WHERE: with one, PostgreSQL may scan and sort the table for every page instead of
    // walking the primary key. The new value (the large column) is read only for the actions asked for.
    const wanted = actions.length === 0 ? sql.lit(null) : sql.join(actions.map((a) => sql.lit(a)));
    const query = this.db
      .selectFrom('audit_events')
      .select(['seq', 'occurred_at', 'actor', 'action', 'entity_id', 'product_key'])
      .select(sql<string | null>`case when action in (${wanted}) then new_value end`.as('new_value'))
      .select('reason')
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit);
    const rows = await this.dialect.selectArrays(this.db, query);
    return rows.map(([seq, occurredAt, actor, action, entityId, productKey, newValue, reason]) => ({
      seq: Number(seq),
      occurredAt: occurredAt as string,
      actor: actor as string,
      action: action as string,
      entityId: entityId as string,
      productKey: productKey as string | null,
      newValue: newValue as string | null,
      reason: reason as string | null,
    }));
  }

  async appendAuditEvents(events: readonly AuditEvent[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'audit_events', events.map((e) => AUDIT_EVENT_COLUMNS.toRow(e)));
  }
}

/**
 * The WHERE clause of a filtered read of the trail: every filter given must hold. Times compare as text, which is
 * their order too: every stored time has the same form (ISO 8601 UTC with milliseconds), and so do the bounds.
 */
function auditWhere(eb: ExpressionBuilder<Database, 'audit_events'>, f: Omit<AuditFilter, 'limit' | 'newestFirst'>): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [];
  if (f.afterSeq !== undefined) all.push(eb('seq', '>', f.afterSeq));
  if (f.throughSeq !== undefined) all.push(eb('seq', '<=', f.throughSeq));
  if (f.entityId !== undefined) all.push(eb('entity_id', '=', f.entityId));
  if (f.entityIds !== undefined) all.push(f.entityIds.length === 0 ? sql<SqlBool>`1 = 0` : eb('entity_id', 'in', [...f.entityIds]));
  if (f.productKey !== undefined) all.push(eb('product_key', '=', f.productKey));
  if (f.actor !== undefined) all.push(eb('actor', '=', f.actor));
  if (f.actions !== undefined) all.push(f.actions.length === 0 ? sql<SqlBool>`1 = 0` : eb('action', 'in', [...f.actions]));
  if (f.from !== undefined) all.push(eb('occurred_at', '>=', f.from));
  if (f.to !== undefined) all.push(eb('occurred_at', '<', f.to));
  return eb.and(all);
}

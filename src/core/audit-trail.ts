import { sealAuditEvents, type AuditDraft, type AuditEvent } from './audit.js';
import type { Deps, StoreWriter } from './ports.js';

/**
 * Seals drafts onto the chain and writes them in the caller's transaction, so the change and its audit events
 * commit or roll back together. Must be called inside `store.write`.
 * @param at - the transaction's server time, shared by the change and its events
 */
export async function appendAudit(
  w: StoreWriter,
  deps: Pick<Deps, 'actor'>,
  at: string,
  drafts: readonly AuditDraft[],
): Promise<AuditEvent[]> {
  if (drafts.length === 0) return [];
  const events = sealAuditEvents(await w.auditHead(), drafts, at, deps.actor.id);
  await w.appendAuditEvents(events);
  return events;
}

import { z } from 'zod';
import { anchorText } from '../../core/audit-anchor.js';
import { invalidState } from '../../core/errors.js';
import type { Deps } from '../../core/ports.js';
import { defineUseCase } from '../use-case.js';

/** The head of the audit chain, to keep outside the database. */
export interface AuditAnchorOutput {
  readonly seq: number;
  readonly hash: string;
  /** `SEQ:HASH`, what `audit verify --anchor` takes. */
  readonly anchor: string;
  /** When the head event was written (server UTC). */
  readonly occurredAt: string;
}

/**
 * The current head of the audit chain as an anchor (21 CFR 11.10(e); ISO 13485 4.2.5: records protected from
 * undetected change). Kept where the database's users cannot rewrite it (a CI log, a signed git tag, a ticket),
 * it lets `audit verify --anchor` prove later that the chain still holds this event with this hash: a chain cut
 * back, or rewritten and re-hashed below it, no longer does.
 * @throws AppError INVALID_STATE when the trail is empty
 */
export async function getAuditAnchor(deps: Pick<Deps, 'store'>): Promise<AuditAnchorOutput> {
  return deps.store.read(async (r) => {
    const head = await r.auditHead();
    if (head === undefined) throw invalidState('the audit trail is empty: there is nothing to anchor yet');
    const [event] = await r.listAudit({ afterSeq: head.seq - 1, limit: 1 });
    return { seq: head.seq, hash: head.hash, anchor: anchorText(head), occurredAt: event?.occurredAt ?? '' };
  });
}

export const AuditAnchorOutputSchema = z.object({
  seq: z.number().int().positive(),
  hash: z.string(),
  /** `SEQ:HASH`, what `audit.verify` takes as an anchor. */
  anchor: z.string(),
  occurredAt: z.string(),
});

export const getAuditAnchorUseCase = defineUseCase({
  name: 'audit.anchor',
  summary: 'Give the head of the audit chain as an anchor to keep outside the database.',
  kind: 'read',
  what: 'audit anchor query',
  input: z.strictObject({}),
  output: AuditAnchorOutputSchema,
  permission: 'audit.verify',
  http: { method: 'GET', path: '/api/v1/audit/anchor' },
  run: ({ deps }) => getAuditAnchor(deps),
});

import { canonicalJson, sha256Hex } from './hashing.js';

/** Kinds of audit events, past tense. Grows with the product; old kinds are never renamed. */
export type AuditAction =
  | 'PRODUCT_CREATED'
  | 'RECORD_CREATED'
  | 'RECORD_REVISED'
  | 'RECORD_STATUS_CHANGED'
  | 'LINK_CREATED'
  | 'LINK_REMOVED';

export type AuditEntityType = 'product' | 'record' | 'link';

/** The hash that the first event of a chain points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a use-case says happened; the trail adds sequence, time, actor and hashes. */
export interface AuditDraft {
  readonly action: AuditAction;
  readonly entityType: AuditEntityType;
  /** Human ID: `RPM`, `RPM/SRS-12`, `RPM/link/42`. */
  readonly entityId: string;
  readonly productKey: string | null;
  readonly oldValue?: unknown;
  readonly newValue?: unknown;
  readonly reason?: string | null;
}

/** One sealed, immutable audit event (21 CFR 11.10(e)). Values are kept as canonical JSON text. */
export interface AuditEvent {
  readonly seq: number;
  /** Server UTC time, ISO 8601 with milliseconds. */
  readonly occurredAt: string;
  readonly actor: string;
  /** Past-tense kind; a string here because a trail may hold kinds newer than this code. */
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly productKey: string | null;
  readonly oldValue: string | null;
  readonly newValue: string | null;
  readonly reason: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** The last event of a chain: what the next event links to. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * The hash of an event: SHA-256 over a JSON array of every stored field but the hash itself, in a fixed order.
 * Values are already canonical JSON text, so no re-canonicalisation is needed to verify.
 */
export function auditEventHash(e: Omit<AuditEvent, 'hash'>): string {
  return sha256Hex(
    JSON.stringify([
      e.seq,
      e.occurredAt,
      e.actor,
      e.action,
      e.entityType,
      e.entityId,
      e.productKey,
      e.oldValue,
      e.newValue,
      e.reason,
      e.prevHash,
    ]),
  );
}

/**
 * Seals drafts into chained events after `head`.
 * @param head - the current last event, or undefined for an empty trail
 * @param occurredAt - one server time for the whole transaction
 */
export function sealAuditEvents(
  head: ChainHead | undefined,
  drafts: readonly AuditDraft[],
  occurredAt: string,
  actor: string,
): AuditEvent[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return drafts.map((d) => {
    seq += 1;
    const unsealed = {
      seq,
      occurredAt,
      actor,
      action: d.action,
      entityType: d.entityType,
      entityId: d.entityId,
      productKey: d.productKey,
      oldValue: d.oldValue === undefined ? null : canonicalJson(d.oldValue),
      newValue: d.newValue === undefined ? null : canonicalJson(d.newValue),
      reason: d.reason ?? null,
      prevHash,
    };
    const hash = auditEventHash(unsealed);
    prevHash = hash;
    return { ...unsealed, hash };
  });
}

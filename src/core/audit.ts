import { z } from 'zod';
import { canonicalJson, sha256Hex } from './hashing.js';

/** Kinds of audit events, past tense. Grows with the product; old kinds are never renamed. */
export type AuditAction =
  | 'PRODUCT_CREATED'
  | 'PRODUCT_EDITED'
  | 'RECORD_CREATED'
  | 'RECORD_REVISED'
  | 'RECORD_STATUS_CHANGED'
  | 'LINK_CREATED'
  | 'LINK_REMOVED'
  | 'LINK_CONFIRMED'
  | 'RULE_DISABLED'
  | 'RULE_ENABLED'
  | 'RULE_SEVERITY_SET'
  | 'RULE_PACK_ADDED'
  | 'EVIDENCE_IMPORTED'
  | 'EVIDENCE_RELABELLED'
  | 'EVIDENCE_VOIDED'
  | 'RELEASE_CREATED'
  | 'RELEASE_RELEASED'
  | 'RELEASE_VOIDED'
  | 'RISK_REEVALUATED'
  /** A principal asked for something its roles do not grant (nothing changed). */
  | 'ACCESS_DENIED'
  // Identity: never a password, a secret or a hash in an event.
  | 'USER_CREATED'
  | 'USER_DEACTIVATED'
  /** Too many failed logins in a row: the account is locked for a while (nothing else changed). */
  | 'USER_LOCKED'
  | 'ROLE_GRANTED'
  | 'ROLE_REVOKED'
  /** A user set a new password: with the current one, or with a one-time reset secret. */
  | 'PASSWORD_CHANGED'
  /** An administrator issued a one-time reset secret; the user must choose a new password. */
  | 'PASSWORD_RESET_ISSUED'
  | 'TOKEN_CREATED'
  | 'TOKEN_REVOKED'
  // Electronic signatures: a signature is written with its event, in the same transaction.
  /** A record revision or a release record was signed (who, meaning, the hash of what was signed). */
  | 'SIGNATURE_APPLIED'
  /** A signing was refused (wrong password, out of order, stale revision…): nothing changed. */
  | 'SIGNATURE_REFUSED'
  /** A user accepted the electronic signature accountability statement (before their first signature). */
  | 'SIGNATURE_STATEMENT_ACCEPTED'
  /** A product's approval workflow for a record type (or for releases) was set. */
  | 'WORKFLOW_SET'
  /** An administrator linked a user to an account at the single sign-on provider (issuer and subject). */
  | 'USER_SSO_LINKED'
  /** A single sign-on login or re-authentication was refused (nothing changed): who, and why. */
  | 'SSO_REFUSED'
  /** A server started with an identity policy (password rules, lockout, timeouts) other than the last one recorded. */
  | 'IDENTITY_POLICY_SET'
  /** A file was attached to a record (name, media type, size and SHA-256 of its bytes; the bytes are stored once). */
  | 'ATTACHMENT_ADDED'
  // Document control and training (ISO 13485 4.2.4, 6.2; 21 CFR 11.10(i)): each event carries its whole row.
  /** A document version became effective (the version in force from a date). */
  | 'DOCUMENT_EFFECTIVE'
  /** The version in force of a document had its periodic review. */
  | 'DOCUMENT_REVIEWED'
  /** Someone must be trained on a document version by a date. */
  | 'TRAINING_ASSIGNED'
  /** Someone completed training on a document version, with their electronic signature. */
  | 'TRAINING_COMPLETED'
  /** A training quiz was failed: kept, and the assignment stays open. */
  | 'TRAINING_FAILED'
  /** An administrator lifted a lockout before it ran out. */
  | 'USER_UNLOCKED';

export type AuditEntityType = 'product' | 'record' | 'link' | 'rule' | 'evidence' | 'release' | 'user' | 'role' | 'token' | 'access' | 'signature' | 'workflow' | 'configuration' | 'attachment' | 'document' | 'training';

/** Events whose new value records a revision's number and hash (verification checks revisions against them). */
export const REVISION_EVENT_ACTIONS: readonly AuditAction[] = ['RECORD_CREATED', 'RECORD_REVISED'];

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

/**
 * One sealed, immutable audit event (21 CFR 11.10(e)), as stored, exported and served. Values are kept as canonical
 * JSON text, so the hash covers exactly what is stored.
 */
export const AuditEventSchema = z.object({
  seq: z.number().int().positive(),
  /** Server UTC time, ISO 8601 with milliseconds. */
  occurredAt: z.string().describe('ISO 8601 UTC time'),
  /** The username of who acted. */
  actor: z.string(),
  /** Past-tense kind; a string here because a trail may hold kinds newer than this code. */
  action: z.string(),
  entityType: z.string(),
  /** Human ID: `RPM`, `RPM/SRS-12`, `RPM/link/42`. */
  entityId: z.string(),
  productKey: z.string().nullable(),
  /** Canonical JSON of the value before the change, or null. */
  oldValue: z.string().nullable(),
  /** Canonical JSON of the value after the change, or null. */
  newValue: z.string().nullable(),
  reason: z.string().nullable(),
  /** The previous event's hash (64 zeros for the first event). */
  prevHash: z.string(),
  /** SHA-256 (hex) of `auditHashInput`. */
  hash: z.string(),
});
export type AuditEvent = Readonly<z.infer<typeof AuditEventSchema>>;

/** The last event of a chain: what the next event links to. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/** A text field of the hash input: `-` for null, else `<UTF-8 byte length>:<text>`. */
const field = (v: string | null): string => (v === null ? '-' : `${Buffer.byteLength(v, 'utf8')}:${v}`);

/**
 * The exact text an event's hash covers (hashed as UTF-8): a version tag, the sequence number, then every other
 * stored field but the hash, in a fixed order, each prefixed with its UTF-8 byte length (`-` for null). Length
 * prefixes make the encoding unambiguous without escaping (moving characters from one field to the next changes
 * the text), any language can rebuild it, and the database can build it too (see `AUDIT_HASH_INPUT_SQL` in `storage/audit-chain.ts`).
 */
export function auditHashInput(e: Omit<AuditEvent, 'hash'>): string {
  return (
    `dossier-audit-v1|${e.seq}|` +
    field(e.occurredAt) +
    field(e.actor) +
    field(e.action) +
    field(e.entityType) +
    field(e.entityId) +
    field(e.productKey) +
    field(e.oldValue) +
    field(e.newValue) +
    field(e.reason) +
    field(e.prevHash)
  );
}

/** The hash of an event: SHA-256 (hex) of `auditHashInput`. */
export function auditEventHash(e: Omit<AuditEvent, 'hash'>): string {
  return sha256Hex(auditHashInput(e));
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

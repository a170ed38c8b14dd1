import { z } from 'zod';
import type { ChainHead } from './audit.js';
import { invalidInput } from './errors.js';

/**
 * A point of the audit chain kept outside the database (a CI log, a signed git tag, a ticket): event `seq` had
 * hash `hash`. A chain that was cut back below it, or rewritten at or before it, no longer holds it, however
 * consistently the rest was re-hashed. Written `SEQ:HASH`, as `dossier audit anchor` prints it.
 */
export interface AuditAnchor extends ChainHead {
  /** Where the anchor comes from, for messages: `anchor 12:9f86…`, `release RPM 1.2.0 (baseline 1)`. */
  readonly label: string;
  /**
   * The event after `seq` must exist too: a release anchors the head before its own RELEASE_CREATED event, so the
   * chain must reach past it.
   */
  readonly followed?: boolean;
  /**
   * The head a release signature's manifest recorded (always followed: the signature's own event comes after it).
   * When the trail no longer reaches it, the last such signature is named.
   */
  readonly signed?: boolean;
}

const AnchorTextSchema = z
  .string()
  .trim()
  .regex(/^[1-9][0-9]{0,15}:[0-9a-fA-F]{64}$/, 'expected SEQ:HASH, an event number and its SHA-256 in hex, as `dossier audit anchor` prints it');

/** `12:9f86d081…` (the full hash). */
export function anchorText(head: ChainHead): string {
  return `${head.seq}:${head.hash}`;
}

/** `anchor 12:9f86d081…` with the hash shortened, for messages. */
function anchorLabel(seq: number, hash: string): string {
  return `anchor ${seq}:${hash.slice(0, 12)}…`;
}

/**
 * Parses an anchor given as `SEQ:HASH`.
 * @param field - the option or field it came from, for the message (e.g. `--anchor`)
 * @throws AppError INVALID_INPUT naming the value and the expected form
 */
export function parseAuditAnchor(text: string, field = 'anchor'): AuditAnchor {
  const r = AnchorTextSchema.safeParse(text);
  if (!r.success) {
    // JSON quoting keeps the message on one line whatever the value holds.
    const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
    throw invalidInput(`${field} ${shown}: ${r.error.issues[0]?.message ?? 'invalid'}`, { field });
  }
  const [seq = '', hash = ''] = r.data.split(':');
  const n = Number(seq);
  if (!Number.isSafeInteger(n)) throw invalidInput(`${field} "${r.data}": the event number is too large`, { field });
  return { seq: n, hash: hash.toLowerCase(), label: anchorLabel(n, hash.toLowerCase()) };
}

import { createHash, hash, type Hash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// canonicalize is CommonJS (`module.exports = fn`) with an `export default` typing; at run time under ESM the
// default import is the function itself.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/**
 * Canonical JSON (RFC 8785 JCS): keys sorted, no insignificant white space, numbers in shortest form.
 * Hashes are taken over this form so that the same content always hashes the same, on any database.
 * @throws Error when `value` has no JSON form (undefined, a function)
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value has no canonical JSON form');
  return text;
}

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  // One-shot hash (Node ≥ 20.12): about twice as fast as createHash() for short inputs.
  return hash('sha256', text, 'hex');
}

/** Lower-case hex SHA-256 of bytes (an attachment's content). */
export function sha256Bytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * SHA-256 over a sequence of values, each as canonical JSON followed by a newline: a digest of many rows that
 * never holds them all (imports of a million test results stream through it).
 */
export class SequenceDigest {
  private readonly h: Hash = createHash('sha256');
  private n = 0;
  add(value: unknown): void {
    this.addCanonical(canonicalJson(value));
  }

  /** Adds a value already in canonical JSON form. */
  addCanonical(text: string): void {
    this.h.update(text);
    this.h.update('\n');
    this.n++;
  }
  /** Adds values already in canonical JSON form, in order: the same digest as `addCanonical` on each, in one update. */
  addCanonicalAll(texts: readonly string[]): void {
    if (texts.length === 0) return;
    // Each text ends with its newline, so no surrogate pair can form across two texts: the UTF-8 is the same.
    this.h.update(`${texts.join('\n')}\n`);
    this.n += texts.length;
  }
  get count(): number {
    return this.n;
  }
  hex(): string {
    return this.h.digest('hex');
  }
}

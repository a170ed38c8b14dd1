import { randomInt, timingSafeEqual } from 'node:crypto';

/** Letters and digits that cannot be mistaken for one another when read off a terminal (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A one-time set-up code, `XXXX-XXXX` (about 40 bits: the set-up route is rate-limited like a login). */
export function newSetupCode(): string {
  const pick = (): string => ALPHABET[randomInt(ALPHABET.length)] ?? 'X';
  const four = (): string => pick() + pick() + pick() + pick();
  return `${four()}-${four()}`;
}

/** The code as typed, made comparable: upper case, without spaces; a missing dash is put back. */
export function normalizeSetupCode(typed: string): string {
  const s = typed.toUpperCase().replace(/[\s-]/g, '');
  return s.length === 8 ? `${s.slice(0, 4)}-${s.slice(4)}` : s;
}

/** True when `typed` is `expected` (compared in constant time). */
export function setupCodeMatches(expected: string, typed: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(normalizeSetupCode(typed), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

import { z } from 'zod';
import { invalidInput } from './errors.js';

/** Formats a zod error as `field: problem; field: problem`, with a prefix for where the data sits. */
export function describeZodError(error: z.ZodError, prefix = ''): { message: string; field: string } {
  const parts = error.issues.map((i) => {
    const path = [prefix, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
      .filter((s) => s !== '')
      .join('.')
      .replace(/\.\[/g, '[');
    return { path, message: i.message };
  });
  return {
    message: parts.map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`)).join('; '),
    field: parts[0]?.path ?? prefix,
  };
}

/**
 * Parses use-case input at the boundary.
 * @param what - what the input is, for the message ("record", "link")
 * @throws AppError INVALID_INPUT naming the field
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const d = describeZodError(r.error);
  throw invalidInput(`invalid ${what}: ${d.message}`, { field: d.field });
}

/** UTF-16 surrogates without their pair: they cannot round-trip through UTF-8 storage. */
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when both databases store the text faithfully: no NUL, no unpaired surrogate (see {@link storableText}). */
export function isStorableText(s: string): boolean {
  // A plain class scan first: most text has no surrogate at all, and the lookbehind regex is the slower scan.
  return !s.includes('\u0000') && !(SURROGATE.test(s) && LONE_SURROGATE.test(s));
}

/** What {@link storableText} says of text it refuses. */
export const NOT_STORABLE = 'contains a NUL character or an unpaired surrogate';

/**
 * A text schema that refuses characters neither database stores faithfully (NUL; lone surrogates), so stored text
 * hashes the same when read back.
 */
export function storableText(): z.ZodString {
  return z.string().refine(isStorableText, NOT_STORABLE);
}

/**
 * A record title: storable, trimmed, 1 to 500 characters, and one line. A line break would let a title forge rows
 * in every list, table and log that shows it.
 */
export function recordTitle(): z.ZodString {
  return storableText()
    .trim()
    .min(1, 'a title is required')
    .max(500)
    .refine((s) => !/[\r\n]/.test(s), 'a title is one line: it must not contain a line break (CR or LF)');
}

/** Why a change was made, for the audit trail: storable, trimmed, 1 to 2,000 characters. */
export const ReasonSchema = storableText().trim().min(1).max(2000);

import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { isStorableText } from '../validation.js';

/** Default largest attachment, in bytes (`DOSSIER_MAX_ATTACHMENT_BYTES`): 25 MiB. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** Longest attachment file name, in characters. */
export const MAX_ATTACHMENT_NAME = 255;

/** Default media type of a file whose type nobody stated. */
export const DEFAULT_MEDIA_TYPE = 'application/octet-stream';

/** Lower-case hex SHA-256. */
export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 as 64 lower-case hex digits');

/** A media type as `type/subtype` with optional parameters (`text/plain; charset=utf-8`), printable ASCII only. */
export const MediaTypeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(200)
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9!#$&^_.+-]+=("[\x20-\x21\x23-\x7e]*"|[a-z0-9!#$&^_.+-]+))*$/, 'expected a media type like application/pdf');

/**
 * Why a file name cannot name an attachment, or undefined when it can: a name is one path segment (no `/` or `\`),
 * not `.` or `..`, without control characters, NUL or unpaired surrogates, not blank, at most 255 characters.
 * A name travels into file systems (`attachment get --out`), HTTP headers and shells: it must never be a path.
 */
export function attachmentNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'is blank';
  if (name.length > MAX_ATTACHMENT_NAME) return `is longer than ${MAX_ATTACHMENT_NAME} characters`;
  if (name !== name.trim()) return 'starts or ends with white space';
  if (/[/\\]/.test(name)) return 'contains a path separator (/ or \\): give the file name only';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) return 'contains a control character';
  if (name === '.' || name === '..') return 'is not a file name';
  if (!isStorableText(name)) return 'contains an unpaired surrogate';
  return undefined;
}

/** An attachment file name, checked (see `attachmentNameProblem`). */
export const AttachmentNameSchema = z.string().superRefine((name, ctx) => {
  const problem = attachmentNameProblem(name);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `the file name ${problem}` });
});

/**
 * Checks a file name for an attachment.
 * @throws AppError INVALID_INPUT naming the problem
 */
export function checkAttachmentName(name: string): string {
  const problem = attachmentNameProblem(name);
  if (problem !== undefined) throw invalidInput(`invalid attachment: name: the file name ${JSON.stringify(name.slice(0, 300))} ${problem}`, { field: 'name' });
  return name;
}

/** A file attached to a record: append-only; its bytes are the content stored under its SHA-256. */
export const AttachmentSchema = z.object({
  id: z.number().int().positive(),
  productId: z.number().int().positive(),
  recordId: z.number().int().positive(),
  /** The record's latest revision when the file was attached. */
  revision: z.number().int().positive(),
  name: z.string(),
  mediaType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: Sha256Schema,
  attachedAt: z.string(),
  attachedBy: z.string(),
});
export type AttachmentRow = z.infer<typeof AttachmentSchema>;

/** An attachment as its record shows it. */
export const AttachmentViewSchema = AttachmentSchema.extend({
  /** `SRS-12`. */
  record: z.string(),
});
export type AttachmentView = z.infer<typeof AttachmentViewSchema>;

/** The audit trail's ID of an attachment: `RPM/SRS-12/attachment/3`. */
export function attachmentEntityId(qualifiedRecordKey: string, id: number): string {
  return `${qualifiedRecordKey}/attachment/${id}`;
}

/** What an ATTACHMENT_ADDED event records: the whole row, as the state verifier proves it. */
export function attachmentEventValue(a: AttachmentRow, qualifiedRecordKey: string): Record<string, unknown> {
  return {
    id: a.id,
    record: qualifiedRecordKey,
    revision: a.revision,
    name: a.name,
    mediaType: a.mediaType,
    size: a.size,
    sha256: a.sha256,
  };
}

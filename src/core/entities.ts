import { z } from 'zod';
import { storableText } from './validation.js';
import { RecordStatusSchema } from './catalog/lifecycle.js';
import { SafetyClassSchema } from './catalog/record-types.js';
import { invalidInput } from './errors.js';

/** A product key such as `RPM`: upper-case letters and digits, starting with a letter. */
export const ProductKeySchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,15}$/, 'a product key is 2–16 upper-case letters or digits, starting with a letter');

/** Input to create a product: one piece of medical device software. */
export const NewProductSchema = z.strictObject({
  key: ProductKeySchema,
  name: storableText().trim().min(1).max(200),
  /** Intended use (ISO 14971 5.2, IEC 62304 4.3 context). */
  intendedUse: storableText().trim().min(1).max(10_000),
  /** IEC 62304 4.3 software safety class of the software system. */
  safetyClass: SafetyClassSchema,
});
export type NewProduct = z.infer<typeof NewProductSchema>;

/** Time as stored and shown: ISO 8601 UTC with milliseconds (server time). */
export const TimestampSchema = z.string().describe('ISO 8601 UTC time');

/** A username as the audit trail records it. */
export const ActorSchema = z.string().describe('username of who acted');

/**
 * The entities below are each one zod schema: storage rows, the export format and the API's bodies are derived
 * from them (types by `z.infer`), so a field is declared once.
 */

/** A product as stored. */
export const ProductSchema = z.object({
  id: z.number().int(),
  key: z.string(),
  name: z.string(),
  intendedUse: z.string(),
  safetyClass: SafetyClassSchema,
  createdAt: TimestampSchema,
  createdBy: ActorSchema,
});
export type Product = Readonly<z.infer<typeof ProductSchema>>;

/** The mutable head of a record: which revision is latest, which is approved, and the status. */
export const RecordHeadSchema = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  type: z.string(),
  /** Number within product and type; never reused. */
  number: z.number().int(),
  status: RecordStatusSchema,
  latestRevision: z.number().int(),
  /** Latest revision that reached `approved`, kept readable while a newer draft is worked on. */
  approvedRevision: z.number().int().nullable(),
  /** Who approved that revision (null when unknown: approved before approvers were recorded). */
  approvedBy: ActorSchema.nullable(),
  createdAt: TimestampSchema,
  createdBy: ActorSchema,
  updatedAt: TimestampSchema,
  updatedBy: ActorSchema,
});
export type RecordHead = Readonly<z.infer<typeof RecordHeadSchema>>;

/** An immutable revision of a record's content. */
export const RevisionSchema = z.object({
  recordId: z.number().int(),
  revision: z.number().int(),
  title: z.string(),
  /** Markdown. */
  body: z.string(),
  fields: z.record(z.string(), z.unknown()),
  /** SHA-256 over the canonical JSON of `revisionContent(...)`. */
  hash: z.string(),
  createdAt: TimestampSchema,
  createdBy: ActorSchema,
});
export type Revision = Readonly<Omit<z.infer<typeof RevisionSchema>, 'fields'>> & { readonly fields: Readonly<Record<string, unknown>> };

/** A record head with its latest revision's title, for lists. */
export const RecordSummarySchema = RecordHeadSchema.extend({ key: z.string(), title: z.string() });
export type RecordSummary = Readonly<z.infer<typeof RecordSummarySchema>>;

/** A typed link from one record to another. Never deleted: removal is marked. */
export const LinkSchema = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  type: z.string(),
  fromId: z.number().int(),
  toId: z.number().int(),
  /** Revisions of both ends when the link was made or last confirmed (for suspect links). */
  fromRevision: z.number().int(),
  toRevision: z.number().int(),
  createdAt: TimestampSchema,
  createdBy: ActorSchema,
  confirmedAt: TimestampSchema.nullable(),
  confirmedBy: ActorSchema.nullable(),
  removedAt: TimestampSchema.nullable(),
  removedBy: ActorSchema.nullable(),
  removalReason: z.string().nullable(),
});
export type Link = Readonly<z.infer<typeof LinkSchema>>;

/** A link with the human IDs and types of its ends. */
export const LinkViewSchema = LinkSchema.extend({ fromKey: z.string(), fromType: z.string(), toKey: z.string(), toType: z.string() });
export type LinkView = Readonly<z.infer<typeof LinkViewSchema>>;

/** A product's setting for one rule: disabled, or with another severity; always with a justification. */
export const RuleSettingSchema = z.object({
  productId: z.number().int(),
  ruleId: z.string(),
  enabled: z.boolean(),
  severity: z.enum(['error', 'warning', 'info']).nullable(),
  justification: z.string(),
  updatedAt: TimestampSchema,
  updatedBy: ActorSchema,
});
export type RuleSetting = Readonly<z.infer<typeof RuleSettingSchema>>;

/** A rule pack a product added to the built-in ones, kept as its parsed definition (canonical JSON). */
export const ProductRulePackSchema = z.object({
  productId: z.number().int(),
  pack: z.string(),
  definition: z.string(),
  hash: z.string(),
  addedAt: TimestampSchema,
  addedBy: ActorSchema,
});
export type ProductRulePack = Readonly<z.infer<typeof ProductRulePackSchema>>;

/** `SRS-12` from type and number. */
export function recordKey(type: string, number: number): string {
  return `${type}-${number}`;
}

/** `RPM/SRS-12`: a record's ID across products, used in the audit trail. */
export function qualifiedKey(productKey: string, type: string, number: number): string {
  return `${productKey}/${recordKey(type, number)}`;
}

/** A parsed record reference: `SRS-12`, or `RPM/SRS-12` with its product. */
export interface RecordRef {
  readonly productKey?: string;
  readonly type: string;
  readonly number: number;
}

/**
 * Parses `SRS-12` or `RPM/SRS-12`.
 * @throws AppError INVALID_INPUT when the text is not a record ID
 */
export function parseRecordRef(text: string): RecordRef {
  const m = /^(?:([A-Z][A-Z0-9]{1,15})\/)?([A-Z][A-Z0-9]*)-([1-9]\d{0,9})$/.exec(text.trim());
  if (m === null) {
    throw invalidInput(`'${text}' is not a record ID; write it like SRS-12 or RPM/SRS-12`, { item: text });
  }
  const [, productKey, type, num] = m;
  return { ...(productKey === undefined ? {} : { productKey }), type: type ?? '', number: Number(num) };
}

/**
 * The content a revision's hash covers. It names product, record and revision number so that a revision's
 * content cannot be moved to another record or revision without the hash changing.
 */
export function revisionContent(
  productKey: string,
  type: string,
  number: number,
  rev: Pick<Revision, 'revision' | 'title' | 'body' | 'fields'>,
): Record<string, unknown> {
  return {
    product: productKey,
    record: recordKey(type, number),
    revision: rev.revision,
    title: rev.title,
    body: rev.body,
    fields: rev.fields,
  };
}

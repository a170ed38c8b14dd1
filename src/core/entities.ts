import { z } from 'zod';
import { storableText } from './validation.js';
import type { RecordStatus } from './catalog/lifecycle.js';
import { SafetyClassSchema, type SafetyClass } from './catalog/record-types.js';
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

/** A product as stored. */
export interface Product {
  readonly id: number;
  readonly key: string;
  readonly name: string;
  readonly intendedUse: string;
  readonly safetyClass: SafetyClass;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** The mutable head of a record: which revision is latest, which is approved, and the status. */
export interface RecordHead {
  readonly id: number;
  readonly productId: number;
  readonly type: string;
  /** Number within product and type; never reused. */
  readonly number: number;
  readonly status: RecordStatus;
  readonly latestRevision: number;
  /** Latest revision that reached `approved`, kept readable while a newer draft is worked on. */
  readonly approvedRevision: number | null;
  /** Who approved that revision (null when unknown: approved before approvers were recorded). */
  readonly approvedBy: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** An immutable revision of a record's content. */
export interface Revision {
  readonly recordId: number;
  readonly revision: number;
  readonly title: string;
  /** Markdown. */
  readonly body: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** SHA-256 over the canonical JSON of `revisionContent(...)`. */
  readonly hash: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** A record head with its latest revision's title, for lists. */
export interface RecordSummary extends RecordHead {
  readonly key: string;
  readonly title: string;
}

/** A typed link from one record to another. Never deleted: removal is marked. */
export interface Link {
  readonly id: number;
  readonly productId: number;
  readonly type: string;
  readonly fromId: number;
  readonly toId: number;
  /** Revisions of both ends when the link was made or last confirmed (for suspect links). */
  readonly fromRevision: number;
  readonly toRevision: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly confirmedAt: string | null;
  readonly confirmedBy: string | null;
  readonly removedAt: string | null;
  readonly removedBy: string | null;
  readonly removalReason: string | null;
}

/** A link with the human IDs and types of its ends. */
export interface LinkView extends Link {
  readonly fromKey: string;
  readonly fromType: string;
  readonly toKey: string;
  readonly toType: string;
}

/** A product's setting for one rule: disabled, or with another severity; always with a justification. */
export interface RuleSetting {
  readonly productId: number;
  readonly ruleId: string;
  readonly enabled: boolean;
  readonly severity: 'error' | 'warning' | 'info' | null;
  readonly justification: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** A rule pack a product added to the built-in ones, kept as its parsed definition (canonical JSON). */
export interface ProductRulePack {
  readonly productId: number;
  readonly pack: string;
  readonly definition: string;
  readonly hash: string;
  readonly addedAt: string;
  readonly addedBy: string;
}

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

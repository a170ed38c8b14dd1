import { z } from 'zod';
import { appendAudit } from '../audit-trail.js';
import type { AuditDraft } from '../audit.js';
import { getRecordType, parseFields } from '../catalog/catalog.js';
import {
  ProductKeySchema,
  qualifiedKey,
  recordKey,
  type RecordHead,
  type RecordSummary,
  type Revision,
} from '../entities.js';
import { hashRevision } from '../revision-hash.js';
import { getProduct } from '../lookups.js';
import type { Deps } from '../ports.js';
import { parseInput, storableText } from '../validation.js';

/** A new record's content; its number is given by the store, never by the caller. */
export const NewRecordSchema = z.strictObject({
  /** Record type key from the catalog, e.g. `SRS`. */
  type: z.string().min(1),
  title: storableText().trim().min(1, 'a title is required').max(500),
  /** Markdown. */
  body: storableText().max(1_000_000).default(''),
  /** Typed fields, checked against the record type's schema. */
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type NewRecord = z.input<typeof NewRecordSchema>;

export const AddRecordsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  records: z.array(NewRecordSchema).min(1),
  reason: storableText().trim().min(1).max(2000).optional(),
});
export type AddRecordsInput = z.input<typeof AddRecordsInputSchema>;

/**
 * Adds records in one transaction: each gets the next free number of its type (never reused), a first draft
 * revision with its content hash, and a RECORD_CREATED audit event. All or nothing.
 * @throws AppError INVALID_INPUT naming the item and field (unknown type, bad field) — nothing is written
 * @throws AppError NOT_FOUND when the product does not exist
 */
export async function addRecords(deps: Deps, input: AddRecordsInput): Promise<RecordSummary[]> {
  const { productKey, records, reason } = parseInput(AddRecordsInputSchema, input, 'records');
  // Validate every item before writing anything.
  const prepared = records.map((r, i) => {
    const where = records.length === 1 ? `new ${r.type} record` : `records[${i}] (${r.type})`;
    const type = getRecordType(deps.catalog, r.type, where);
    return { ...r, fields: parseFields(type, r.fields, where), lifecycle: type.lifecycle };
  });

  return deps.store.write(async (w) => {
    const product = await getProduct(w, productKey);
    const maxNumbers = await w.maxRecordNumbers(product.id);
    let nextId = (await w.nextIds()).record;
    const at = deps.clock.now();
    const heads: RecordHead[] = [];
    const revisions: Revision[] = [];
    const drafts: AuditDraft[] = [];
    const out: RecordSummary[] = [];
    for (const r of prepared) {
      const number = (maxNumbers.get(r.type) ?? 0) + 1;
      maxNumbers.set(r.type, number);
      const head: RecordHead = {
        id: nextId++,
        productId: product.id,
        type: r.type,
        number,
        status: r.lifecycle.initial,
        latestRevision: 1,
        approvedRevision: null,
        createdAt: at,
        createdBy: deps.actor.id,
        updatedAt: at,
        updatedBy: deps.actor.id,
      };
      const content = { revision: 1, title: r.title, body: r.body, fields: r.fields };
      const hash = hashRevision(product.key, r.type, number, content);
      heads.push(head);
      revisions.push({ recordId: head.id, ...content, hash, createdAt: at, createdBy: deps.actor.id });
      drafts.push({
        action: 'RECORD_CREATED',
        entityType: 'record',
        entityId: qualifiedKey(product.key, r.type, number),
        productKey: product.key,
        newValue: { status: head.status, ...content, hash },
        reason: reason ?? null,
      });
      out.push({ ...head, key: recordKey(r.type, number), title: r.title });
    }
    await w.insertRecords(heads);
    await w.insertRevisions(revisions);
    await appendAudit(w, deps, at, drafts);
    return out;
  });
}

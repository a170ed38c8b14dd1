import { z } from 'zod';
import { ProductKeySchema, RecordSummarySchema, type RecordSummary } from '../../core/entities.js';
import { prepareRecords, writeNewRecords } from '../../core/record-writes.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput, recordTitle, storableText, ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

/** A new record's content; its number is given by the store, never by the caller. */
export const NewRecordSchema = z.strictObject({
  /** Record type key from the catalog, e.g. `SRS`. */
  type: z.string().min(1),
  title: recordTitle(),
  /** Markdown. */
  body: storableText().max(1_000_000).default(''),
  /** Typed fields, checked against the record type's schema. */
  fields: z.record(z.string(), z.unknown()).default({}),
});
export type NewRecord = z.input<typeof NewRecordSchema>;

export const AddRecordsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  records: z.array(NewRecordSchema).min(1),
  reason: ReasonSchema.optional(),
});
export type AddRecordsInput = z.input<typeof AddRecordsInputSchema>;

/**
 * Adds records in one transaction: each gets the next free number of its type (never reused), a first draft
 * revision with its content hash, and a RECORD_CREATED audit event. All or nothing.
 * @throws AppError INVALID_INPUT naming the item and field (unknown type, bad field) — nothing is written
 * @throws AppError NOT_FOUND when the product does not exist
 */
export async function addRecords(deps: Deps, input: AddRecordsInput): Promise<RecordSummary[]> {
  // Each record is checked alone first, so a message names "record 3 of 5", never an internal path like records[2].
  const given = Array.isArray(input.records) ? input.records : [];
  given.forEach((r, i) => parseInput(NewRecordSchema, r, given.length === 1 ? 'record' : `record ${i + 1} of ${given.length}`));
  const { productKey, records, reason } = parseInput(AddRecordsInputSchema, input, 'records');
  // Validate every item before writing anything.
  const prepared = prepareRecords(deps.catalog, records, (i) =>
    records.length === 1 ? `new ${records[i]?.type ?? ''} record` : `record ${i + 1} of ${records.length} (${records[i]?.type ?? ''})`,
  );
  return deps.store.write(async (w) => {
    const product = await getProduct(w, productKey);
    return writeNewRecords(w, deps, product, prepared, deps.clock.now(), reason ?? null);
  });
}

export const addRecordsUseCase = defineUseCase({
  name: 'record.add-many',
  summary: 'Add several records in one transaction; each starts as a draft.',
  kind: 'write',
  what: 'records',
  input: AddRecordsInputSchema,
  output: z.array(RecordSummarySchema),
  permission: 'record.create',
  http: { method: 'POST', path: '/api/v1/products/:productKey/records/batch', status: 201 },
  run: ({ deps }, input) => addRecords(deps, input),
});

import { z } from 'zod';
import { ProductKeySchema, recordKey, RecordSummarySchema, type RecordSummary } from '../../core/entities.js';
import { checkBaseRevision, getProduct, getRecord } from '../../core/lookups.js';
import { writeRevision } from '../../core/record-writes.js';
import type { Deps } from '../../core/ports.js';
import { parseInput, recordTitle, storableText, ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

export const EditRecordInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** `SRS-12` or `RPM/SRS-12`. */
  record: z.string().min(1),
  /** The revision the edit was made on; a newer one in the store means someone else changed it (CONFLICT). */
  baseRevision: z.number().int().positive(),
  title: recordTitle().optional(),
  body: storableText().max(1_000_000).optional(),
  /** Merge patch: a field set to null is removed; fields not named keep their value. */
  fields: z.record(z.string(), z.unknown()).optional(),
  reason: ReasonSchema.optional(),
});
export type EditRecordInput = z.input<typeof EditRecordInputSchema>;

/**
 * Edits a record by writing a new immutable revision. Editing an approved record starts a new draft; the approved
 * revision stays readable. An edit that changes nothing is refused.
 * @throws AppError CONFLICT when `baseRevision` is older than the latest (no lost updates); INVALID_INPUT when it
 *   does not exist yet
 * @throws AppError INVALID_STATE when the lifecycle refuses edits (obsolete)
 * @throws AppError INVALID_INPUT naming the field
 */
export async function editRecord(deps: Deps, input: EditRecordInput): Promise<RecordSummary> {
  const i = parseInput(EditRecordInputSchema, input, 'edit');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const head = await getRecord(w, product, i.record);
    const item = `${product.key}/${recordKey(head.type, head.number)}`;
    checkBaseRevision(item, head, i.baseRevision, 'the edit is based on');
    return writeRevision(w, deps, product, head, i, deps.clock.now(), i.reason ?? null);
  });
}

export const editRecordUseCase = defineUseCase({
  name: 'record.edit',
  summary: 'Edit a record: write a new revision.',
  kind: 'write',
  what: 'edit',
  input: EditRecordInputSchema,
  output: RecordSummarySchema,
  permission: 'record.edit',
  http: { method: 'PATCH', path: '/api/v1/products/:productKey/records/:record', ifMatch: 'baseRevision', etag: 'latestRevision' },
  run: ({ deps }, input) => editRecord(deps, input),
});

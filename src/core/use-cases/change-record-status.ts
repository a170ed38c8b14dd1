import { z } from 'zod';
import { RecordStatusSchema } from '../catalog/lifecycle.js';
import { conflict, invalidInput } from '../errors.js';
import { ProductKeySchema, recordKey, type RecordHead } from '../entities.js';
import { writeStatusChange } from '../record-writes.js';
import { getProduct, getRecord } from '../lookups.js';
import type { Deps } from '../ports.js';
import { parseInput, storableText } from '../validation.js';

export const ChangeRecordStatusInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  record: z.string().min(1),
  to: RecordStatusSchema,
  /**
   * The revision the person looked at. Required for every change but obsolete: approving a revision other than
   * the one reviewed must be impossible.
   */
  baseRevision: z.number().int().positive().optional(),
  reason: storableText().trim().min(1).max(2000).optional(),
});
export type ChangeRecordStatusInput = z.input<typeof ChangeRecordStatusInputSchema>;

/**
 * Moves a record through its lifecycle (draft → in review → approved → obsolete). Approval marks the latest
 * revision as the approved one. Making a record obsolete needs a reason; it is never deleted.
 * @throws AppError INVALID_STATE when the lifecycle does not allow the change
 * @throws AppError CONFLICT when `baseRevision` is stale; INVALID_INPUT when it or a required reason is missing
 */
export async function changeRecordStatus(deps: Deps, input: ChangeRecordStatusInput): Promise<RecordHead> {
  const i = parseInput(ChangeRecordStatusInputSchema, input, 'status change');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const head = await getRecord(w, product, i.record);
    const item = `${product.key}/${recordKey(head.type, head.number)}`;
    if (i.to === 'obsolete' && i.reason === undefined) {
      throw invalidInput(`making ${item} obsolete needs a reason`, { item, field: 'reason' });
    }
    if (i.to !== 'obsolete' && i.baseRevision === undefined) {
      throw invalidInput(`name the revision of ${item} you reviewed (latest is ${head.latestRevision})`, {
        item,
        field: 'baseRevision',
      });
    }
    if (i.baseRevision !== undefined && i.baseRevision !== head.latestRevision) {
      throw conflict(
        `${item} has changed: you acted on revision ${i.baseRevision} but the latest is revision ${head.latestRevision}`,
        { item, field: 'baseRevision' },
      );
    }
    return writeStatusChange(w, deps, product, head, i.to, deps.clock.now(), i.reason ?? null);
  });
}

import { addRecords, type NewRecord } from './add-records.js';
import type { RecordSummary } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';
import { AppError } from '../../core/errors.js';

/**
 * Adds one record (see `addRecords`).
 * @throws AppError INVALID_INPUT, NOT_FOUND as `addRecords`
 */
export async function addRecord(
  deps: Deps,
  input: { readonly productKey: string; readonly record: NewRecord; readonly reason?: string },
): Promise<RecordSummary> {
  const [created] = await addRecords(deps, {
    productKey: input.productKey,
    records: [input.record],
    ...(input.reason === undefined ? {} : { reason: input.reason }),
  });
  if (created === undefined) throw new AppError('INTERNAL', 'addRecords returned nothing for one record');
  return created;
}

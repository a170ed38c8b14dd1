import { z } from 'zod';
import { addRecords, NewRecordSchema, type NewRecord } from './add-records.js';
import { ProductKeySchema, RecordSummarySchema, type RecordSummary } from '../../core/entities.js';
import { ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
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

export const AddRecordInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  record: NewRecordSchema,
  reason: ReasonSchema.optional(),
});

export const addRecordUseCase = defineUseCase({
  name: 'record.add',
  summary: 'Add a record; it starts as a draft.',
  kind: 'write',
  what: 'record',
  input: AddRecordInputSchema,
  output: RecordSummarySchema,
  permission: 'record.create',
  http: { method: 'POST', path: '/api/v1/products/:productKey/records', status: 201, etag: 'latestRevision' },
  run: ({ deps }, input) => addRecord(deps, input),
});

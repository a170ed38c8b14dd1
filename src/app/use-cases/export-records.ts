import { z } from 'zod';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { RecordStatusSchema } from '../../core/catalog/lifecycle.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

export const ExportRecordsInputSchema = z.strictObject({ productKey: ProductKeySchema });

/** One record with its latest revision's whole content. */
export const ExportedRecordSchema = z.object({
  key: z.string(),
  type: z.string(),
  number: z.number().int(),
  status: RecordStatusSchema,
  revision: z.number().int(),
  title: z.string(),
  body: z.string(),
  fields: z.record(z.string(), z.unknown()),
  hash: z.string(),
  revisedAt: z.string(),
  revisedBy: z.string(),
});
export type ExportedRecord = z.infer<typeof ExportedRecordSchema>;

export const ExportedLinkSchema = z.object({ id: z.number().int(), type: z.string(), from: z.string(), to: z.string(), fromRevision: z.number().int(), toRevision: z.number().int() });

export const ExportRecordsOutputSchema = z.object({
  product: z.object({ key: z.string(), name: z.string() }),
  records: z.array(ExportedRecordSchema),
  /** Active links only (removed ones are history, in the audit trail). */
  links: z.array(ExportedLinkSchema),
});
export type ExportedRecords = z.infer<typeof ExportRecordsOutputSchema>;

/**
 * Every record of a product with its latest revision's content, and every active link, read in one snapshot: what
 * a Markdown folder, a ReqIF file or another export is written from. Records in type and number order.
 * @throws AppError NOT_FOUND for an unknown product
 */
export async function exportRecords(deps: Deps, input: z.input<typeof ExportRecordsInputSchema>): Promise<ExportedRecords> {
  const i = parseInput(ExportRecordsInputSchema, input, 'export');
  return deps.store.read(async (r) => {
    const product = await getProduct(r, i.productKey);
    const [rows, links] = await Promise.all([r.listRecordContents(product.id), r.listLinks({ productId: product.id })]);
    const records = rows
      .map((x) => ({
        key: recordKey(x.type, x.number),
        type: x.type,
        number: x.number,
        status: x.status,
        revision: x.revision,
        title: x.title,
        body: x.body,
        fields: { ...x.fields },
        hash: x.hash,
        revisedAt: x.revisedAt,
        revisedBy: x.revisedBy,
      }))
      .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.number - b.number));
    return {
      product: { key: product.key, name: product.name },
      records,
      links: links
        .filter((l) => l.removedAt === null)
        .map((l) => ({ id: l.id, type: l.type, from: l.fromKey, to: l.toKey, fromRevision: l.fromRevision, toRevision: l.toRevision }))
        .sort((a, b) => a.id - b.id),
    };
  });
}

export const exportRecordsUseCase = defineUseCase({
  name: 'record.export',
  summary: "Every record of a product with its latest content, and every active link (what folder and ReqIF exports are written from).",
  kind: 'read',
  what: 'export',
  heavy: true,
  input: ExportRecordsInputSchema,
  output: ExportRecordsOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/records/export' },
  run: ({ deps }, input) => exportRecords(deps, input),
});

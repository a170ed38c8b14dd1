import { z } from 'zod';
import { RecordStatusSchema } from '../../core/catalog/lifecycle.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

export const ListRecordHeadsInputSchema = z.strictObject({ productKey: ProductKeySchema });

/** A record's key, status and latest revision number: what a folder sync compares its files with. */
export const RecordHeadLineSchema = z.object({ key: z.string(), status: RecordStatusSchema, latestRevision: z.number().int() });
export const ListRecordHeadsOutputSchema = z.array(RecordHeadLineSchema);
export type RecordHeadLine = z.infer<typeof RecordHeadLineSchema>;

/** Heads read per query (each page a range of record IDs). */
const PAGE = 50_000;

/**
 * Every record of a product with its status and latest revision number, no content: the cheapest whole-product
 * read (record heads alone, no revision joined), for `sync` to name records without a file and files behind the
 * store. Key order is not promised.
 * @throws AppError NOT_FOUND for an unknown product
 */
export async function listRecordHeads(deps: Pick<Deps, 'store'>, input: z.input<typeof ListRecordHeadsInputSchema>): Promise<RecordHeadLine[]> {
  const i = parseInput(ListRecordHeadsInputSchema, input, 'record heads');
  return deps.store.read(async (r) => {
    const product = await getProduct(r, i.productKey);
    const out: RecordHeadLine[] = [];
    for (let after = 0; ; ) {
      const page = await r.pageRecords(after, PAGE);
      for (const h of page) if (h.productId === product.id) out.push({ key: recordKey(h.type, h.number), status: h.status, latestRevision: h.latestRevision });
      const last = page.at(-1);
      if (last === undefined || page.length < PAGE) return out;
      after = last.id;
    }
  });
}

export const listRecordHeadsUseCase = defineUseCase({
  name: 'record.heads',
  summary: "Every record of a product with its status and latest revision number (no content): what a folder sync compares with.",
  kind: 'read',
  what: 'record heads',
  input: ListRecordHeadsInputSchema,
  output: ListRecordHeadsOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/record-heads' },
  run: ({ deps }, input) => listRecordHeads(deps, input),
});

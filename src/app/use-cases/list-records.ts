import { z } from 'zod';
import { getRecordType } from '../../core/catalog/catalog.js';
import { RecordStatusSchema, type RecordStatus } from '../../core/catalog/lifecycle.js';
import { ProductKeySchema, RecordSummarySchema, type RecordSummary } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps, RecordFilter } from '../../core/ports.js';
import { storableText } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

/**
 * Lists a product's records with their latest titles, in catalog order of types (needs, requirements, … documents)
 * and by number. Obsolete records are listed too
 * (nothing is hidden) unless a status filter says otherwise.
 * @throws AppError NOT_FOUND for an unknown product; INVALID_INPUT for an unknown type
 */
export async function listRecords(
  deps: Pick<Deps, 'store' | 'catalog'>,
  input: { readonly productKey: string; readonly type?: string; readonly status?: RecordStatus },
): Promise<RecordSummary[]> {
  if (input.type !== undefined) getRecordType(deps.catalog, input.type);
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const records = await r.listRecords({
      productId: product.id,
      ...(input.type === undefined ? {} : { type: input.type }),
      ...(input.status === undefined ? {} : { status: input.status }),
    });
    const order = new Map([...deps.catalog.recordTypes.keys()].map((k, i) => [k, i]));
    const rank = (t: string): number => order.get(t) ?? order.size;
    return records.sort((a, b) => rank(a.type) - rank(b.type) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) || a.number - b.number);
  });
}

/** Which records to list, and which page of them. */
export const ListRecordsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** Only this record type (`SRS`). */
  type: z.string().min(1).max(32).optional(),
  status: RecordStatusSchema.optional(),
  /**
   * Only records whose latest title contains this text, taken literally (`%`, `_`, `\` are no wildcards), ignoring
   * the case of ASCII letters; other letters: see `RecordFilter.titleContains`.
   */
  text: storableText().trim().min(1).max(200).optional(),
  /** Skip this many matching records (in list order). */
  offset: z.number().int().nonnegative().default(0),
  /** At most this many records, or `all`. */
  limit: z.union([z.number().int().positive().max(10_000), z.literal('all')]).default(100),
});
export type ListRecordsInput = z.input<typeof ListRecordsInputSchema>;

/** A page of a product's records and how many match the filters. */
export const RecordPageSchema = z.object({
  /** Records matching the filters, shown or not. */
  total: z.number().int(),
  records: z.array(RecordSummarySchema),
});
export type RecordPage = z.infer<typeof RecordPageSchema>;

/**
 * One page of a product's records (see `listRecords` for the order), filtered by type, status and title text, with
 * the number that match. The database filters, counts and pages: it counts the matches per type, then reads only the
 * types the page spans, each from its offset (one snapshot, so the count and the page agree).
 * @throws AppError NOT_FOUND for an unknown product; INVALID_INPUT for an unknown type
 */
export async function listRecordsPage(deps: Pick<Deps, 'store' | 'catalog'>, input: z.output<typeof ListRecordsInputSchema>): Promise<RecordPage> {
  const type = input.type?.toUpperCase();
  if (type !== undefined) getRecordType(deps.catalog, type);
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const filter: RecordFilter = {
      productId: product.id,
      ...(type === undefined ? {} : { type }),
      ...(input.status === undefined ? {} : { status: input.status }),
      ...(input.text === undefined ? {} : { titleContains: input.text }),
    };
    const counts = await r.countRecordsByType(filter);
    const order = new Map([...deps.catalog.recordTypes.keys()].map((k, i) => [k, i]));
    const rank = (t: string): number => order.get(t) ?? order.size;
    const types = [...counts.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
    let total = 0;
    for (const n of counts.values()) total += n;
    const records: RecordSummary[] = [];
    let skip = input.offset;
    let wanted = input.limit === 'all' ? Infinity : input.limit;
    for (const t of types) {
      if (wanted <= 0) break;
      const n = counts.get(t) ?? 0;
      if (skip >= n) {
        skip -= n;
        continue;
      }
      const page = await r.listRecords({ ...filter, type: t, ...(skip === 0 ? {} : { offset: skip }), ...(wanted === Infinity ? {} : { limit: wanted }) });
      for (const rec of page) records.push(rec);
      wanted -= page.length;
      skip = 0;
    }
    return { total, records };
  });
}

export const listRecordsUseCase = defineUseCase({
  name: 'record.list',
  summary: "List a product's records, filtered by type, status or title, a page at a time.",
  kind: 'read',
  what: 'record list query',
  input: ListRecordsInputSchema,
  output: RecordPageSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/records' },
  run: ({ deps }, input) => listRecordsPage(deps, input),
});

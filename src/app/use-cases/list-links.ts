import { z } from 'zod';
import { LinkViewSchema, ProductKeySchema, type LinkView } from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { defineUseCase } from '../use-case.js';

/**
 * A product's links, or those of one record; removed links only when asked.
 * @throws AppError NOT_FOUND for an unknown product or record
 */
export async function listLinks(
  deps: Pick<Deps, 'store'>,
  input: { readonly productKey: string; readonly record?: string; readonly includeRemoved?: boolean },
): Promise<LinkView[]> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const rec = input.record === undefined ? undefined : await getRecord(r, product, input.record);
    return r.listLinks({
      productId: product.id,
      ...(rec === undefined ? {} : { recordId: rec.id }),
      includeRemoved: input.includeRemoved ?? false,
    });
  });
}

export const listLinksUseCase = defineUseCase({
  name: 'link.list',
  summary: "List a product's links, or those of one record.",
  kind: 'read',
  what: 'link list query',
  input: z.strictObject({
    productKey: ProductKeySchema,
    /** Only links with this record at either end (`SRS-12`). */
    record: z.string().min(1).optional(),
    /** Removed links too (they are kept as history). */
    includeRemoved: z.boolean().default(false),
  }),
  output: z.array(LinkViewSchema),
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/links' },
  run: ({ deps }, input) => listLinks(deps, input),
});

import type { LinkView } from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';

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

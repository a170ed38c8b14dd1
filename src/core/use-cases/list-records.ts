import { getRecordType } from '../catalog/catalog.js';
import type { RecordStatus } from '../catalog/lifecycle.js';
import type { RecordSummary } from '../entities.js';
import { getProduct } from '../lookups.js';
import type { Deps } from '../ports.js';

/**
 * Lists a product's records with their latest titles, by type and number. Obsolete records are listed too
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
    return r.listRecords({
      productId: product.id,
      ...(input.type === undefined ? {} : { type: input.type }),
      ...(input.status === undefined ? {} : { status: input.status }),
    });
  });
}

import { getRecordType } from '../../core/catalog/catalog.js';
import type { RecordStatus } from '../../core/catalog/lifecycle.js';
import type { RecordSummary } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';

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

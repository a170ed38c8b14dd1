import type { Product } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';

/** All products in the store, by key. */
export async function listProducts(deps: Pick<Deps, 'store'>): Promise<Product[]> {
  return deps.store.read((r) => r.listProducts());
}

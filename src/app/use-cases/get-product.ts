import { getProduct as lookup } from '../../core/lookups.js';
import type { Product } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';

/**
 * One product by key.
 * @throws AppError NOT_FOUND
 */
export async function getProduct(deps: Pick<Deps, 'store'>, key: string): Promise<Product> {
  return deps.store.read((r) => lookup(r, key));
}

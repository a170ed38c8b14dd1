import { z } from 'zod';
import { getProduct as lookup } from '../../core/lookups.js';
import { ProductKeySchema, ProductSchema, type Product } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';
import { defineUseCase } from '../use-case.js';

/**
 * One product by key.
 * @throws AppError NOT_FOUND
 */
export async function getProduct(deps: Pick<Deps, 'store'>, key: string): Promise<Product> {
  return deps.store.read((r) => lookup(r, key));
}

export const getProductUseCase = defineUseCase({
  name: 'product.get',
  summary: 'Show one product.',
  kind: 'read',
  what: 'product query',
  input: z.strictObject({ productKey: ProductKeySchema }),
  output: ProductSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey' },
  run: ({ deps }, input) => getProduct(deps, input.productKey),
});

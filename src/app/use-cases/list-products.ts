import { z } from 'zod';
import { ProductSchema, type Product } from '../../core/entities.js';
import { grants } from '../../core/access/permissions.js';
import { defineUseCase } from '../use-case.js';
import type { Deps } from '../../core/ports.js';

/** All products in the store, by key. */
export async function listProducts(deps: Pick<Deps, 'store'>): Promise<Product[]> {
  return deps.store.read((r) => r.listProducts());
}

export const listProductsUseCase = defineUseCase({
  name: 'product.list',
  summary: 'List the products the caller may read.',
  kind: 'read',
  what: 'product list',
  input: z.strictObject({}),
  output: z.array(ProductSchema),
  // Anyone logged in may ask; the list holds only the products they may read.
  permission: 'signed-in',
  http: { method: 'GET', path: '/api/v1/products' },
  run: async ({ deps, principal }) => {
    const all = await listProducts(deps);
    return all.filter((p) => grants(principal.grants, 'product.read', p.key, principal.scope));
  },
});

import { appendAudit } from '../../core/audit-trail.js';
import { conflict } from '../../core/errors.js';
import { NewProductSchema, ProductSchema, type Product } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';
import { parseInput } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

/**
 * Creates a product (one piece of medical device software) with its IEC 62304 safety class.
 * @throws AppError INVALID_INPUT for a bad key, name or class; CONFLICT when the key is taken
 */
export async function createProduct(deps: Deps, input: unknown): Promise<Product> {
  const p = parseInput(NewProductSchema, input, 'product');
  return deps.store.write(async (w) => {
    if ((await w.findProduct(p.key)) !== undefined) {
      throw conflict(`product ${p.key} already exists`, { item: p.key, field: 'key' });
    }
    const at = deps.clock.now();
    const product: Product = {
      id: (await w.nextIds()).product,
      ...p,
      createdAt: at,
      createdBy: deps.actor.id,
    };
    await w.insertProducts([product]);
    await appendAudit(w, deps, at, [
      {
        action: 'PRODUCT_CREATED',
        entityType: 'product',
        entityId: p.key,
        productKey: p.key,
        newValue: { key: p.key, name: p.name, intendedUse: p.intendedUse, safetyClass: p.safetyClass },
      },
    ]);
    return product;
  });
}

export const createProductUseCase = defineUseCase({
  name: 'product.create',
  summary: 'Create a product.',
  kind: 'write',
  what: 'product',
  input: NewProductSchema,
  output: ProductSchema,
  // Store-wide: the input names the new key, not a product the caller holds a role on.
  permission: 'product.create',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/products', status: 201 },
  run: ({ deps }, input) => createProduct(deps, input),
});

import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { NewProductSchema, ProductKeySchema, ProductSchema, type Product } from '../../core/entities.js';
import { invalidInput } from '../../core/errors.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput, storableText } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

export const EditProductInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  name: NewProductSchema.shape.name.optional(),
  intendedUse: NewProductSchema.shape.intendedUse.optional(),
  /** IEC 62304 4.3: a class change changes which rules apply, so it is a decision with a reason. */
  safetyClass: NewProductSchema.shape.safetyClass.optional(),
  reason: storableText().trim().min(1, 'say why the product changes').max(2000),
});
export type EditProductInput = z.input<typeof EditProductInputSchema>;

/** A product's editable state as its audit events record it (the same shape PRODUCT_CREATED records). */
function productState(p: Pick<Product, 'key' | 'name' | 'intendedUse' | 'safetyClass'>): Record<string, unknown> {
  return { key: p.key, name: p.name, intendedUse: p.intendedUse, safetyClass: p.safetyClass };
}

/**
 * Changes a product's name, intended use or IEC 62304 safety class, with a reason, in one transaction with its
 * PRODUCT_EDITED event (old and new state). The key never changes: record IDs carry it.
 * @throws AppError INVALID_INPUT when nothing would change or a value is malformed; NOT_FOUND for an unknown product
 */
export async function editProduct(deps: Deps, input: EditProductInput): Promise<{ before: Product; after: Product }> {
  const i = parseInput(EditProductInputSchema, input, 'product edit');
  return deps.store.write(async (w) => {
    const before = await getProduct(w, i.productKey);
    const after: Product = {
      ...before,
      name: i.name ?? before.name,
      intendedUse: i.intendedUse ?? before.intendedUse,
      safetyClass: i.safetyClass ?? before.safetyClass,
    };
    if (after.name === before.name && after.intendedUse === before.intendedUse && after.safetyClass === before.safetyClass) {
      throw invalidInput(`the edit of product ${before.key} changes nothing`, { item: before.key });
    }
    await w.updateProduct(before.id, after);
    await appendAudit(w, deps, deps.clock.now(), [
      {
        action: 'PRODUCT_EDITED',
        entityType: 'product',
        entityId: before.key,
        productKey: before.key,
        oldValue: productState(before),
        newValue: productState(after),
        reason: i.reason,
      },
    ]);
    return { before, after };
  });
}

/** A product before and after an edit. */
export const EditProductOutputSchema = z.object({ before: ProductSchema, after: ProductSchema });

export const editProductUseCase = defineUseCase({
  name: 'product.edit',
  summary: "Change a product's name, intended use or safety class.",
  kind: 'write',
  what: 'product edit',
  input: EditProductInputSchema,
  output: EditProductOutputSchema,
  permission: 'product.edit',
  http: { method: 'PATCH', path: '/api/v1/products/:productKey' },
  run: ({ deps }, input) => editProduct(deps, input),
});

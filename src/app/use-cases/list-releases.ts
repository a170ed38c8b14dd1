import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { ReleaseSchema, type Release } from '../../core/evidence/model.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

export const ListReleasesInputSchema = z.strictObject({ productKey: ProductKeySchema });

/**
 * A product's release baselines, oldest first.
 * @throws AppError NOT_FOUND for the product
 */
export async function listReleases(deps: Pick<Deps, 'store'>, input: z.input<typeof ListReleasesInputSchema>): Promise<Release[]> {
  const i = parseInput(ListReleasesInputSchema, input, 'release list');
  return deps.store.read(async (r) => r.listReleases((await getProduct(r, i.productKey)).id));
}

export const listReleasesUseCase = defineUseCase({
  name: 'release.list',
  summary: "List a product's release baselines, oldest first.",
  kind: 'read',
  what: 'release list',
  input: ListReleasesInputSchema,
  output: z.array(ReleaseSchema),
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/releases' },
  run: ({ deps }, input) => listReleases(deps, input),
});

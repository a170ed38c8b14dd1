import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { EvidenceImportSchema, EvidenceKindSchema, type EvidenceImport } from '../../core/evidence/model.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

export const ListEvidenceInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  kind: EvidenceKindSchema.optional(),
});

/**
 * A product's evidence imports, oldest first (test runs, commits, reviews, SBOMs, vulnerability files).
 * @throws AppError NOT_FOUND for the product; INVALID_INPUT for an unknown kind
 */
export async function listEvidence(deps: Pick<Deps, 'store'>, input: z.input<typeof ListEvidenceInputSchema>): Promise<EvidenceImport[]> {
  const i = parseInput(ListEvidenceInputSchema, input, 'evidence list');
  return deps.store.read(async (r) => r.listEvidenceImports((await getProduct(r, i.productKey)).id, i.kind));
}

export const listEvidenceUseCase = defineUseCase({
  name: 'evidence.list',
  summary: "List a product's evidence imports, oldest first.",
  kind: 'read',
  what: 'evidence list',
  input: ListEvidenceInputSchema,
  output: z.array(EvidenceImportSchema),
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/evidence' },
  run: ({ deps }, input) => listEvidence(deps, input),
});

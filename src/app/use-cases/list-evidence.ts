import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { EVIDENCE_KINDS, type EvidenceImport, type EvidenceKind, type Release } from '../../core/evidence/model.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput } from '../../core/validation.js';

export const ListEvidenceInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  kind: z.enum(EVIDENCE_KINDS as [EvidenceKind, ...EvidenceKind[]]).optional(),
});

/**
 * A product's evidence imports, oldest first (test runs, commits, reviews, SBOMs, vulnerability files).
 * @throws AppError NOT_FOUND for the product; INVALID_INPUT for an unknown kind
 */
export async function listEvidence(deps: Pick<Deps, 'store'>, input: z.input<typeof ListEvidenceInputSchema>): Promise<EvidenceImport[]> {
  const i = parseInput(ListEvidenceInputSchema, input, 'evidence list');
  return deps.store.read(async (r) => r.listEvidenceImports((await getProduct(r, i.productKey)).id, i.kind));
}

/**
 * A product's release baselines, oldest first.
 * @throws AppError NOT_FOUND for the product
 */
export async function listReleases(deps: Pick<Deps, 'store'>, input: { readonly productKey: string }): Promise<Release[]> {
  const i = parseInput(z.strictObject({ productKey: ProductKeySchema }), input, 'release list');
  return deps.store.read(async (r) => r.listReleases((await getProduct(r, i.productKey)).id));
}

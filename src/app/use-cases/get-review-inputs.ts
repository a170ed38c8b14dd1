import { z } from 'zod';
import { invalidInput } from '../../core/errors.js';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { ReviewInputsSchema } from '../../core/qms/management-review.js';
import { assembleReviewInputs, reviewInputsDigest, risksForReview } from '../services/qms-views.js';
import { defineUseCase } from '../use-case.js';

export const GetReviewInputsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** The period reviewed, both days included (YYYY-MM-DD). */
  periodFrom: z.iso.date(),
  periodTo: z.iso.date(),
  /** Judge what is open or overdue on this day (default: today). */
  asOf: z.iso.date().optional(),
});

export const ReviewInputsViewSchema = z.strictObject({
  product: z.string(),
  inputs: ReviewInputsSchema,
  /** `sha256:<hex>` of the inputs' canonical JSON: what `qms review compile` records in the review. */
  digest: z.string(),
});

/** Refuses a period that ends before it starts. */
export function checkPeriod(from: string, to: string): void {
  if (to < from) throw invalidInput(`the period ends (${to}) before it starts (${from})`, { field: 'periodTo' });
}

/**
 * The management review inputs (ISO 13485 5.6.2) of a period, assembled from the store, with their digest.
 * @throws AppError NOT_FOUND for the product; INVALID_INPUT for a period that ends before it starts
 */
export async function getReviewInputs(deps: Pick<Deps, 'store' | 'catalog' | 'clock'>, input: z.output<typeof GetReviewInputsInputSchema>): Promise<z.output<typeof ReviewInputsViewSchema>> {
  checkPeriod(input.periodFrom, input.periodTo);
  const asOf = input.asOf ?? deps.clock.now().slice(0, 10);
  const risks = await risksForReview(deps, input.productKey, asOf);
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const inputs = await assembleReviewInputs(r, product, { from: input.periodFrom, to: input.periodTo }, asOf, risks);
    return { product: product.key, inputs, digest: reviewInputsDigest(inputs) };
  });
}

/** `qms.review-inputs`: the management review inputs of a period. */
export const getReviewInputsUseCase = defineUseCase({
  name: 'qms.review-inputs',
  summary: 'The management review inputs of a period: feedback, audits, monitoring, CAPA, training, risk, changes, previous actions, suppliers.',
  kind: 'read',
  heavy: true,
  what: 'review inputs',
  input: GetReviewInputsInputSchema,
  output: ReviewInputsViewSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/qms/review-inputs' },
  run: ({ deps }, input) => getReviewInputs(deps, input),
});

import { z } from 'zod';
import { invalidInput, invalidState } from '../../core/errors.js';
import { ProductKeySchema, recordKey, RecordSummarySchema, type RecordHead, type RecordSummary } from '../../core/entities.js';
import { getProduct, getRecords } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { writeNewLinks, writeNewRecords } from '../../core/record-writes.js';
import { parseInput, storableText, ReasonSchema } from '../../core/validation.js';
import { RISK_REVIEW_OUTCOMES } from '../../core/risk/review-outcomes.js';
import { defineUseCase } from '../use-case.js';

export const RecordRiskReviewInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** Risk IDs (`RISK-3`), or `all` for every active risk of the product. */
  risks: z.union([z.array(z.string().min(1)).min(1), z.literal('all')]),
  outcome: z.enum(RISK_REVIEW_OUTCOMES),
  /** What was looked at and concluded; becomes the review record's body. */
  note: storableText().trim().min(1).max(20_000),
  /** The day of the review (default: today); a review cannot be dated in the future. */
  reviewedOn: z.iso.date().optional(),
  reason: ReasonSchema.optional(),
});
export type RecordRiskReviewInput = z.input<typeof RecordRiskReviewInputSchema>;

/**
 * Records a risk review (ISO 14971 9, 10): a review record (RREV) with the reviewer (the acting user), the day and
 * the outcome, linked to each risk it covered, in one transaction with their audit events. A risk's review is then
 * current again until its interval passes or new post-production information is linked to it.
 * @throws AppError INVALID_INPUT for a record that is not a risk or a date in the future; NOT_FOUND for an unknown one;
 *   INVALID_STATE for an obsolete risk or a product without risks
 */
export async function recordRiskReview(deps: Deps, input: RecordRiskReviewInput): Promise<{ review: RecordSummary; risks: string[] }> {
  const i = parseInput(RecordRiskReviewInputSchema, input, 'risk review');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const at = deps.clock.now();
    const today = at.slice(0, 10);
    const reviewedOn = i.reviewedOn ?? today;
    if (reviewedOn > today) throw invalidInput(`a review cannot be dated in the future (${reviewedOn}; today is ${today})`, { field: 'reviewedOn' });
    let risks: RecordHead[];
    if (i.risks === 'all') {
      risks = (await w.listRecords({ productId: product.id, type: 'RISK' })).filter((h) => h.status !== 'obsolete');
      if (risks.length === 0) throw invalidState(`product ${product.key} has no active risk to review`, { item: product.key });
    } else {
      risks = (await getRecords(w, product, i.risks)).map((head) => {
        const key = recordKey(head.type, head.number);
        if (head.type !== 'RISK') throw invalidInput(`${key} is not a risk estimate (RISK); a review covers risks`, { item: key });
        if (head.status === 'obsolete') throw invalidState(`${key} is obsolete and cannot be reviewed`, { item: key });
        return head;
      });
    }
    const keys = risks.map((h) => recordKey(h.type, h.number));
    const title = `Risk review ${reviewedOn}: ${keys.length === 1 ? keys[0] : `${keys.length} risks`}`;
    const reason = i.reason ?? null;
    const [review] = await writeNewRecords(
      w,
      deps,
      product,
      [{ type: 'RREV', title, body: i.note, fields: { reviewer: deps.actor.id, reviewedOn, outcome: i.outcome } }],
      at,
      reason,
    );
    if (review === undefined) throw invalidState('the review record was not written');
    await writeNewLinks(w, deps, product, risks.map((to) => ({ type: 'reviews', from: review, to })), at, reason);
    return { review, risks: keys };
  });
}

/** `risk.review`: record a risk review (the reviewer is the caller) covering some risks, or all. */
export const recordRiskReviewUseCase = defineUseCase({
  name: 'risk.review',
  summary: 'Record a risk review covering the given risks, or all of them.',
  kind: 'write',
  what: 'risk review',
  input: RecordRiskReviewInputSchema,
  output: z.strictObject({ review: RecordSummarySchema, risks: z.array(z.string()) }),
  permission: 'risk.review',
  http: { method: 'POST', path: '/api/v1/products/:productKey/risk/reviews', status: 201 },
  run: ({ deps }, input) => recordRiskReview(deps, input),
});

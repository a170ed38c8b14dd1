import { z } from 'zod';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { invalidInput, invalidState } from '../../core/errors.js';
import { ProductKeySchema, recordKey, RecordSummarySchema } from '../../core/entities.js';
import { getProduct, getRecord, getRevision } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { ReviewInputsSchema } from '../../core/qms/management-review.js';
import { REVIEW_PROCESS, stateOf } from '../../core/qms/processes.js';
import { writeRevision } from '../../core/record-writes.js';
import { ReasonSchema } from '../../core/validation.js';
import { assembleReviewInputs, reviewInputsDigest, risksForReview } from '../services/qms-views.js';
import { defineUseCase } from '../use-case.js';
import { checkPeriod } from './get-review-inputs.js';

export const CompileReviewInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** The management review, `MREV-2`. */
  record: z.string().min(1),
  reason: ReasonSchema.optional(),
});

export const CompiledReviewSchema = z.strictObject({
  review: RecordSummarySchema,
  digest: z.string(),
  inputs: ReviewInputsSchema,
});

/**
 * Compiles a planned management review: assembles the inputs of its period from the store, records their digest
 * (`inputsDigest`, SHA-256 of their canonical JSON) and moves it to inputs_compiled, as a new revision with its
 * RECORD_REVISED event, in one transaction.
 * @throws AppError NOT_FOUND for the product or record; INVALID_INPUT when it is not a management review (MREV);
 *   INVALID_STATE when it is not planned
 */
export async function compileReview(deps: Deps, input: z.output<typeof CompileReviewInputSchema>): Promise<z.output<typeof CompiledReviewSchema>> {
  const asOf = deps.clock.now().slice(0, 10);
  // The risk file is judged first, in its own snapshot (it builds the product's trace graph).
  const risks = await risksForReview(deps, input.productKey, asOf);
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const head = await getRecord(w, product, input.record);
    const item = `${product.key}/${recordKey(head.type, head.number)}`;
    if (head.type !== RECORD_TYPE.MREV) throw invalidInput(`${item} is not a management review (MREV)`, { item, field: 'record' });
    const latest = await getRevision(w, product, head, head.latestRevision);
    const state = stateOf(REVIEW_PROCESS, latest.fields);
    if (state !== 'planned' || head.status === 'obsolete') {
      throw invalidState(`${item} is ${head.status === 'obsolete' ? 'cancelled' : state.replaceAll('_', ' ')}: only a planned review is compiled`, { item, field: 'state' });
    }
    const from = String(latest.fields['periodFrom']);
    const to = String(latest.fields['periodTo']);
    checkPeriod(from, to);
    const inputs = await assembleReviewInputs(w, product, { from, to }, asOf, risks, recordKey(head.type, head.number));
    const digest = reviewInputsDigest(inputs);
    const review = await writeRevision(w, deps, product, head, { fields: { state: 'inputs_compiled', inputsDigest: digest } }, deps.clock.now(), input.reason ?? null);
    return { review, digest, inputs };
  });
}

/** `qms.review-compile`: record a planned review's compiled inputs and move it to inputs_compiled. */
export const compileReviewUseCase = defineUseCase({
  name: 'qms.review-compile',
  summary: "Compile a planned management review: record its inputs' digest and move it to inputs_compiled.",
  kind: 'write',
  what: 'review compilation',
  input: CompileReviewInputSchema,
  output: CompiledReviewSchema,
  permission: 'record.edit',
  http: { method: 'POST', path: '/api/v1/products/:productKey/qms/reviews/:record/compile' },
  run: ({ deps }, input) => compileReview(deps, input),
});

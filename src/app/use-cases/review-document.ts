import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidState } from '../../core/errors.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct, getRecord, getRevision } from '../../core/lookups.js';
import {
  documentReviewEntityId,
  documentReviewEventValue,
  nextReviewDue,
  ReviewOutcomeSchema,
  versionInForce,
  type DocumentReviewRow,
} from '../../core/qms/document-control.js';
import { ReasonSchema } from '../../core/validation.js';
import { requireDocument } from '../services/document-control.js';
import { defineUseCase } from '../use-case.js';

export const ReviewDocumentInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  record: z.string().min(1).max(60),
  /** Still valid as it is, or a new revision is needed (the version stays in force until one is made effective). */
  outcome: ReviewOutcomeSchema.default('still_valid'),
  /** Day of the review (YYYY-MM-DD); today by default. */
  on: z.iso.date().optional(),
  note: ReasonSchema.optional(),
});
export type ReviewDocumentInput = z.input<typeof ReviewDocumentInputSchema>;

export const ReviewDocumentOutputSchema = z.object({
  document: z.string(),
  revision: z.number().int(),
  version: z.string(),
  reviewedOn: z.string(),
  outcome: ReviewOutcomeSchema,
  /** The next periodic review (its `reviewIntervalMonths` after this one), or null without an interval. */
  nextReviewDue: z.string().nullable(),
});

/**
 * `document.review` (ISO 13485 4.2.4): the periodic review of the version of a document in force, with its outcome,
 * written with its DOCUMENT_REVIEWED event. Refused (nothing changed) for a document with no version in force.
 * @throws AppError INVALID_STATE when no version of the document is in force
 */
export const reviewDocumentUseCase = defineUseCase({
  name: 'document.review',
  summary: 'Record the periodic review of the version of a controlled document in force.',
  kind: 'write',
  what: 'document review',
  input: ReviewDocumentInputSchema,
  output: ReviewDocumentOutputSchema,
  permission: 'document.control',
  http: { method: 'POST', path: '/api/v1/products/:productKey/documents/:record/reviews', status: 201 },
  run: (ctx, input) =>
    ctx.deps.store.write(async (w) => {
      const at = ctx.deps.clock.now();
      const product = await getProduct(w, input.productKey);
      const head = await getRecord(w, product, input.record);
      const item = requireDocument(product, head);
      const current = versionInForce((await w.listEffectivities(product.id)).filter((e) => e.recordId === head.id));
      if (current === undefined) {
        throw invalidState(`${item} has no version in force: a periodic review reviews the version in force (make one effective first)`, { item, field: 'record' });
      }
      if (head.status === 'obsolete') throw invalidState(`${item} is obsolete: it is no longer reviewed`, { item, field: 'record' });
      const row: DocumentReviewRow = {
        id: await w.nextDocumentControlId('reviews'),
        productId: product.id,
        recordId: head.id,
        revision: current.revision,
        reviewedOn: input.on ?? at.slice(0, 10),
        outcome: input.outcome,
        note: input.note ?? null,
        reviewedAt: at,
        reviewedBy: ctx.deps.actor.id,
      };
      await w.insertDocumentReviews([row]);
      await appendAudit(w, ctx.deps, at, [
        {
          action: 'DOCUMENT_REVIEWED',
          entityType: 'document',
          entityId: documentReviewEntityId(item, row.id),
          productKey: product.key,
          newValue: documentReviewEventValue(row, { productKey: product.key, recordKey: item }),
          reason: input.note ?? null,
        },
      ]);
      const rev = await getRevision(w, product, head, current.revision);
      const interval = typeof rev.fields['reviewIntervalMonths'] === 'number' ? rev.fields['reviewIntervalMonths'] : null;
      return {
        document: recordKey(head.type, head.number),
        revision: row.revision,
        version: current.version,
        reviewedOn: row.reviewedOn,
        outcome: row.outcome,
        nextReviewDue: nextReviewDue(current.effectiveOn, row.reviewedOn, interval),
      };
    }),
});

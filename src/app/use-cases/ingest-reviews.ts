import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { canonicalJson } from '../../core/hashing.js';
import { storableText } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
import { EvidenceImportWriter } from '../../core/evidence/import-writer.js';
import { ContentHashSchema, EvidenceImportSchema } from '../../core/evidence/model.js';
import { idsInText, RecordIndex, UnresolvedRefSchema, type UnresolvedRef } from '../../core/evidence/record-index.js';
import { compareReviewVersions, newestReviewVersions, REVIEW_FINDING, REVIEW_OUTCOMES, reviewOutcome, type ReviewOutcome } from '../../core/evidence/reviews.js';
import { SeveritySchema, type Severity } from '../../core/rules/rule-pack.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';

const Str = storableText();

/** An entry of the file the reader could not use (kept in the import's facts and its audit event). */
export const SkippedReviewSchema = z.object({
  index: z.number().int().nonnegative(),
  number: z.number().int().nullable(),
  reason: Str,
});
export type SkippedReview = Readonly<z.infer<typeof SkippedReviewSchema>>;

/** One verdict on a change request (see `ParsedVerdict`). */
export const ParsedVerdictSchema = z.object({
  reviewer: Str,
  state: Str,
  at: z.string().nullable(),
  commit: z.string().nullable(),
  bot: z.boolean(),
});

/** One change request as the review file reader gives it (see `ParsedReview`). */
export const ParsedReviewSchema = z.object({
  key: Str.min(1),
  forge: z.enum(['github', 'gitlab']),
  number: z.number().int(),
  title: Str,
  description: Str,
  author: Str,
  state: z.enum(['open', 'closed', 'merged']),
  mergedAt: z.string().nullable(),
  mergeCommit: z.string().nullable(),
  headSha: z.string().nullable(),
  headPushedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  url: Str.nullable(),
  reviews: z.array(ParsedVerdictSchema).readonly().nullable(),
});

/** The import's input: the review file as read (the CLI and the API's upload both read it with `src/ingest/review-file`). */
export const IngestReviewsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  source: Str.min(1),
  contentHash: ContentHashSchema,
  reviews: z.array(ParsedReviewSchema).readonly(),
  /** Entries of the file that were skipped as unreadable. */
  skipped: z.array(SkippedReviewSchema).readonly().optional(),
});
export type IngestReviewsInput = z.input<typeof IngestReviewsInputSchema>;

/** What a reviews import did. */
export const ReviewsSummarySchema = z.object({
  import: EvidenceImportSchema.optional(),
  duplicate: z.boolean(),
  added: z.number().int(),
  /** Change requests whose recorded state is unchanged since an earlier import (not written again). */
  unchanged: z.number().int(),
  /** Change requests for which an earlier import holds newer data (by the forge's `updated_at`; not written). */
  stale: z.number().int(),
  outcomes: z.record(z.enum(REVIEW_OUTCOMES), z.number().int()),
  /** Merged changes without an independent approval of the merged head before merge, or without review data. */
  notIndependentlyApproved: z.array(
    z.object({ key: z.string(), title: z.string(), author: z.string(), outcome: z.enum(REVIEW_OUTCOMES), severity: SeveritySchema }),
  ),
  skipped: z.array(SkippedReviewSchema).readonly(),
  unresolved: z.array(UnresolvedRefSchema),
});
export type ReviewsSummary = z.infer<typeof ReviewsSummarySchema>;

/**
 * Records code reviews: each pull or merge request with author, head commit, every verdict with its commit and
 * time, merge commit and the records named in its title or description. A change request imported again with new
 * data is written as a new item; across imports the newest by the forge's `updated_at` counts, so an older export
 * imported later is not written (stale); unchanged data is skipped.
 * @throws AppError NOT_FOUND for the product
 */
export async function ingestReviews(deps: Deps, input: IngestReviewsInput): Promise<ReviewsSummary> {
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const outcomes = Object.fromEntries(REVIEW_OUTCOMES.map((o) => [o, 0])) as Record<ReviewOutcome, number>;
    const skipped = input.skipped ?? [];
    const none = { added: 0, unchanged: 0, stale: 0, outcomes, notIndependentlyApproved: [], skipped, unresolved: [] };
    const known = await w.findEvidenceImport(product.id, 'reviews', input.contentHash);
    if (known !== undefined) return { import: known, duplicate: true, ...none };
    const items = await w.listEvidenceItems({ productId: product.id, kind: 'review' });
    const newest = new Map(newestReviewVersions(items).map((i) => [i.key, i]));
    const index = await RecordIndex.load(w, product, deps.catalog);
    const writer = await EvidenceImportWriter.open(w, product);
    const unresolved: UnresolvedRef[] = [];
    const flagged: { key: string; title: string; author: string; outcome: ReviewOutcome; severity: Severity }[] = [];
    let unchanged = 0;
    let stale = 0;
    for (const r of input.reviews) {
      const { outcome, approvers } = reviewOutcome(r);
      const data = {
        forge: r.forge,
        number: r.number,
        title: r.title,
        author: r.author,
        state: r.state,
        mergedAt: r.mergedAt,
        mergeCommit: r.mergeCommit,
        headSha: r.headSha,
        headPushedAt: r.headPushedAt,
        updatedAt: r.updatedAt,
        url: r.url,
        reviews: r.reviews,
        approvers,
      };
      const prev = newest.get(r.key);
      if (prev !== undefined && canonicalJson(prev.data) === canonicalJson(data)) {
        unchanged++;
        continue;
      }
      // The incoming state competes as if imported now (an ID above every stored one).
      if (prev !== undefined && compareReviewVersions(prev, { id: Number.MAX_SAFE_INTEGER, data }) > 0) {
        stale++;
        continue;
      }
      const ids = idsInText(`${r.title}\n${r.description}`).map((id) => ({ id, role: 'refs' as const }));
      outcomes[outcome]++;
      const finding = REVIEW_FINDING[outcome];
      if (finding !== null) flagged.push({ key: r.key, title: r.title, author: r.author, outcome, severity: finding.severity });
      await writer.add({ kind: 'review', key: r.key, outcome, data, refs: index.refs(ids, r.key, unresolved) });
    }
    if (writer.count === 0) return { import: undefined, duplicate: false, ...none, unchanged, stale };
    const imp = await writer.finish(
      deps,
      deps.clock.now(),
      {
        kind: 'reviews',
        source: input.source,
        contentHash: input.contentHash,
        meta: { read: input.reviews.length, added: writer.count, unchanged, stale, outcomes, skipped: skipped.map((s) => ({ index: s.index, number: s.number, reason: s.reason })) },
      },
      null,
    );
    return { import: imp, duplicate: false, added: imp.itemCount, unchanged, stale, outcomes, notIndependentlyApproved: flagged, skipped, unresolved };
  });
}

export const ingestReviewsUseCase = defineUseCase({
  name: 'evidence.reviews',
  summary: 'Record code reviews: pull or merge requests with their verdicts.',
  kind: 'write',
  what: 'reviews',
  input: IngestReviewsInputSchema,
  output: ReviewsSummarySchema,
  permission: 'evidence.import',
  http: { method: 'POST', path: '/api/v1/products/:productKey/evidence/reviews', status: 201 },
  run: ({ deps }, input) => ingestReviews(deps, input),
});

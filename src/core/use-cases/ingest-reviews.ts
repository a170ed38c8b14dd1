import { canonicalJson } from '../hashing.js';
import { EvidenceImportWriter } from '../evidence/import-writer.js';
import type { EvidenceImport } from '../evidence/model.js';
import { idsInText, RecordIndex, type UnresolvedRef } from '../evidence/record-index.js';
import { reviewOutcome, type ParsedReview, type ReviewOutcome } from '../evidence/reviews.js';
import { getProduct } from '../lookups.js';
import type { Deps } from '../ports.js';

export interface IngestReviewsInput {
  readonly productKey: string;
  readonly source: string;
  readonly contentHash: string;
  readonly reviews: readonly ParsedReview[];
}

export interface ReviewsSummary {
  readonly import: EvidenceImport | undefined;
  readonly duplicate: boolean;
  readonly added: number;
  /** Change requests whose recorded state is unchanged since an earlier import (not written again). */
  readonly unchanged: number;
  readonly outcomes: Readonly<Record<ReviewOutcome, number>>;
  /** Merged changes without an independent approval. */
  readonly notIndependentlyApproved: readonly { readonly key: string; readonly title: string; readonly author: string; readonly outcome: ReviewOutcome }[];
  readonly unresolved: readonly UnresolvedRef[];
}

/**
 * Records code reviews: each pull or merge request with author, reviewers, approvals, merge commit and the records
 * named in its title or description. A change request imported again with a new state (approved later, merged)
 * is written as a new item, the latest counting; an unchanged one is skipped.
 * @throws AppError NOT_FOUND for the product
 */
export async function ingestReviews(deps: Deps, input: IngestReviewsInput): Promise<ReviewsSummary> {
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const outcomes: Record<ReviewOutcome, number> = { approved: 0, self_approved: 0, unapproved: 0, open: 0, closed: 0 };
    const none = { added: 0, unchanged: 0, outcomes, notIndependentlyApproved: [], unresolved: [] };
    const known = await w.findEvidenceImport(product.id, 'reviews', input.contentHash);
    if (known !== undefined) return { import: known, duplicate: true, ...none };
    const latest = new Map<string, string>();
    for (const i of await w.listEvidenceItems({ productId: product.id, kind: 'review' })) latest.set(i.key, canonicalJson(i.data));
    const index = await RecordIndex.load(w, product, deps.catalog);
    const writer = await EvidenceImportWriter.open(w, product);
    const unresolved: UnresolvedRef[] = [];
    const flagged: { key: string; title: string; author: string; outcome: ReviewOutcome }[] = [];
    let unchanged = 0;
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
        url: r.url,
        reviews: r.reviews,
        approvers,
      };
      if (latest.get(r.key) === canonicalJson(data)) {
        unchanged++;
        continue;
      }
      const ids = idsInText(`${r.title}\n${r.description}`).map((id) => ({ id, role: 'refs' as const }));
      outcomes[outcome]++;
      if (outcome === 'self_approved' || outcome === 'unapproved') flagged.push({ key: r.key, title: r.title, author: r.author, outcome });
      await writer.add({ kind: 'review', key: r.key, outcome, data, refs: index.refs(ids, r.key, unresolved) });
    }
    if (writer.count === 0) return { import: undefined, duplicate: false, ...none, unchanged };
    const imp = await writer.finish(
      deps,
      deps.clock.now(),
      { kind: 'reviews', source: input.source, contentHash: input.contentHash, meta: { read: input.reviews.length, added: writer.count, unchanged, outcomes } },
      null,
    );
    return { import: imp, duplicate: false, added: imp.itemCount, unchanged, outcomes, notIndependentlyApproved: flagged, unresolved };
  });
}

/** A merged or open change request with its reviews, whichever forge it came from. */
export interface ParsedReview {
  /** `github:owner/repo#12`, `gitlab:group/project!12`. */
  readonly key: string;
  readonly forge: 'github' | 'gitlab';
  readonly number: number;
  readonly title: string;
  readonly description: string;
  readonly author: string;
  readonly state: 'open' | 'closed' | 'merged';
  readonly mergedAt: string | null;
  readonly mergeCommit: string | null;
  readonly url: string | null;
  /** Each reviewer's latest verdict (GitHub: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED; GitLab: approvals). */
  readonly reviews: readonly { readonly reviewer: string; readonly state: string; readonly at: string | null }[];
}

/** Whether a change was independently approved before merge (IEC 62304 5.5.3 / seed: code reviews). */
export type ReviewOutcome = 'approved' | 'self_approved' | 'unapproved' | 'open' | 'closed';

/**
 * The outcome of a change request: merged with an approval by someone other than its author, merged with only its
 * author's approval, merged with none, or not merged.
 */
export function reviewOutcome(r: Pick<ParsedReview, 'state' | 'author' | 'reviews'>): { outcome: ReviewOutcome; approvers: string[] } {
  const approvers = [...new Set(r.reviews.filter((v) => v.state === 'APPROVED').map((v) => v.reviewer))].sort();
  if (r.state !== 'merged') return { outcome: r.state, approvers };
  const independent = approvers.filter((a) => a.toLowerCase() !== r.author.toLowerCase());
  return { outcome: independent.length > 0 ? 'approved' : approvers.length > 0 ? 'self_approved' : 'unapproved', approvers };
}

import type { Severity } from '../rules/rule-pack.js';

/** One reviewer's verdict on a change request, as the forge recorded it. */
export interface ParsedVerdict {
  readonly reviewer: string;
  /** GitHub: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED; GitLab approvals are APPROVED. */
  readonly state: string;
  /** When it was given (GitHub `submitted_at`, GitLab `approved_at`), when the export says. */
  readonly at: string | null;
  /** The commit it was given on (GitHub `commit_id`); GitLab approvals carry none. */
  readonly commit: string | null;
  /** A bot or app account (GitHub `type: Bot`, `[bot]` logins, GitLab bot users, dependabot): never independent. */
  readonly bot: boolean;
}

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
  /** The head commit of the change request (GitHub `head.sha`/`headRefOid`, GitLab `sha`): what was merged. */
  readonly headSha: string | null;
  /** GitLab: when the head commit was pushed (its diff version's `created_at`), to date approvals against. */
  readonly headPushedAt: string | null;
  /** The forge's last-change time (`updated_at`): across imports the newest data of a change request counts. */
  readonly updatedAt: string | null;
  readonly url: string | null;
  /** Every verdict in the export, oldest first; `null` when the export carries no review data for this request. */
  readonly reviews: readonly ParsedVerdict[] | null;
}

/** Whether a change was independently approved on what was merged, before merge (IEC 62304 5.5.3, 5.5.5). */
export type ReviewOutcome =
  | 'approved'
  | 'approval_commit_unknown'
  | 'approved_after_merge'
  | 'approved_earlier_commit'
  | 'self_approved'
  | 'unapproved'
  | 'review_data_missing'
  | 'open'
  | 'closed';

/** Every outcome, in the order summaries list them. */
export const REVIEW_OUTCOMES: readonly ReviewOutcome[] = [
  'approved',
  'approval_commit_unknown',
  'approved_after_merge',
  'approved_earlier_commit',
  'self_approved',
  'unapproved',
  'review_data_missing',
  'open',
  'closed',
];

const REREVIEW = 'Have someone other than the author review the merged head, record the review, and import the reviews again.';

/**
 * What each outcome of a merged change means for a release, in words and severity. `null`: nothing to report.
 * Merging code nobody else approved (or approved only in an earlier version) is an error; evidence that is
 * missing or cannot be dated against the merged commit is a warning: it says the record is incomplete, not
 * that the process was broken.
 */
export const REVIEW_FINDING: Readonly<Record<ReviewOutcome, { readonly severity: Severity; readonly text: string; readonly hint: string } | null>> = {
  approved: null,
  open: null,
  closed: null,
  approved_earlier_commit: {
    severity: 'error',
    text: 'with an independent approval of an earlier commit only, not of the merged head',
    hint: `What was merged differs from what was approved. ${REREVIEW}`,
  },
  self_approved: { severity: 'error', text: "with only its author's approval", hint: REREVIEW },
  unapproved: { severity: 'error', text: 'without an independent approval', hint: `Approvals by bots do not count. ${REREVIEW}` },
  approved_after_merge: {
    severity: 'warning',
    text: 'before its independent approval (the merged head was approved only after the merge)',
    hint: 'The retrospective review is recorded; record why the change was merged before its review (a deviation from the review procedure).',
  },
  approval_commit_unknown: {
    severity: 'warning',
    text: 'with an independent approval whose commit is unknown (cannot tell it covered the merged head)',
    hint: 'Export the commit of each review (GitHub commit_id) or, for GitLab, approved_at and the merge request versions (docs/ci/gitlab-reviews.mjs), and import again.',
  },
  review_data_missing: {
    severity: 'warning',
    text: 'and the imported export holds no review data for it (review data missing)',
    hint: 'Export the change request with its reviews (GitHub: pulls/{n}/reviews as `reviews`; GitLab: approvals; see docs/ci), import it again, then freeze the release again.',
  },
};

/** Compares two commit IDs: full SHAs exactly, an abbreviated one (7 or more hex digits) by prefix. */
export function sameCommit(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  return short.length >= 7 && long.startsWith(short);
}

/** Milliseconds of an ISO-8601 time, or undefined when there is none or it cannot be read. */
function timeOf(at: string | null | undefined): number | undefined {
  if (at === null || at === undefined) return undefined;
  const t = Date.parse(at);
  return Number.isNaN(t) ? undefined : t;
}

/** Where an approval stands against the merged head: on it, on an earlier commit, or unknown. */
function approvalCommit(v: ParsedVerdict, r: Pick<ParsedReview, 'headSha' | 'headPushedAt'>): 'head' | 'earlier' | 'unknown' {
  if (v.commit !== null) return r.headSha === null ? 'unknown' : sameCommit(v.commit, r.headSha) ? 'head' : 'earlier';
  // GitLab approvals name no commit: one given at or after the head was pushed covers it.
  const at = timeOf(v.at);
  const pushed = timeOf(r.headPushedAt);
  if (at === undefined || pushed === undefined) return 'unknown';
  return at >= pushed ? 'head' : 'earlier';
}

/**
 * The outcome of a change request. For a merged one, each reviewer's latest verdict given before the merge counts
 * (a comment does not replace an approval, a dismissal or change request does); an approval counts when its
 * reviewer is independent (not the author, not a bot) and it was given on the merged head. A verdict without a
 * time is taken as given before the merge.
 * @returns the outcome and the independent approvers of the merged head before merge
 */
export function reviewOutcome(
  r: Pick<ParsedReview, 'state' | 'author' | 'reviews' | 'mergedAt' | 'headSha' | 'headPushedAt'>,
): { outcome: ReviewOutcome; approvers: string[] } {
  if (r.state !== 'merged') return { outcome: r.state, approvers: [] };
  if (r.reviews === null) return { outcome: 'review_data_missing', approvers: [] };
  const merged = timeOf(r.mergedAt);
  const before = (v: ParsedVerdict): boolean => merged === undefined || (timeOf(v.at) ?? -Infinity) <= merged;
  const independent = (v: ParsedVerdict): boolean => !v.bot && v.reviewer.toLowerCase() !== r.author.toLowerCase();
  const atMerge = latestVerdicts(r.reviews.filter(before)).filter((v) => v.state === 'APPROVED');
  const counted = atMerge.filter(independent);
  const names = (vs: readonly ParsedVerdict[]): string[] => [...new Set(vs.map((v) => v.reviewer))].sort();
  const onHead = counted.filter((v) => approvalCommit(v, r) === 'head');
  if (onHead.length > 0) return { outcome: 'approved', approvers: names(onHead) };
  if (counted.some((v) => approvalCommit(v, r) === 'unknown')) return { outcome: 'approval_commit_unknown', approvers: [] };
  const after = latestVerdicts(r.reviews).filter((v) => v.state === 'APPROVED' && independent(v) && !before(v) && approvalCommit(v, r) !== 'earlier');
  if (after.length > 0) return { outcome: 'approved_after_merge', approvers: [] };
  if (counted.length > 0) return { outcome: 'approved_earlier_commit', approvers: [] };
  const self = atMerge.some((v) => !v.bot && v.reviewer.toLowerCase() === r.author.toLowerCase());
  return { outcome: self ? 'self_approved' : 'unapproved', approvers: [] };
}

/** Each reviewer's latest verdict in time order; a comment does not replace an earlier verdict, anything else does. */
function latestVerdicts(verdicts: readonly ParsedVerdict[]): ParsedVerdict[] {
  const latest = new Map<string, ParsedVerdict>();
  for (const v of verdicts) {
    const who = v.reviewer.toLowerCase();
    if (v.state === 'PENDING') continue;
    if (v.state === 'COMMENTED' && latest.has(who)) continue;
    latest.set(who, v);
  }
  return [...latest.values()];
}

/** The part of a stored review item that decides which of several imports of one change request counts. */
export interface ReviewVersion {
  readonly id: number;
  readonly key: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Compares two stored states of one change request: the forge's `updatedAt` first, then the later import. */
export function compareReviewVersions(a: Pick<ReviewVersion, 'id' | 'data'>, b: Pick<ReviewVersion, 'id' | 'data'>): number {
  const ta = timeOf(typeof a.data['updatedAt'] === 'string' ? a.data['updatedAt'] : null) ?? -Infinity;
  const tb = timeOf(typeof b.data['updatedAt'] === 'string' ? b.data['updatedAt'] : null) ?? -Infinity;
  return ta !== tb ? (ta < tb ? -1 : 1) : a.id - b.id;
}

/**
 * The newest state of each change request across imports: the one the forge updated last (`updatedAt`); on a tie,
 * or when a state has no `updatedAt`, the later import. Importing an older export after a newer one therefore
 * does not bring the older state back. A state without `updatedAt` loses to any state that has one.
 * @returns one item per key, in the order of their IDs
 */
export function newestReviewVersions<T extends ReviewVersion>(items: readonly T[]): T[] {
  const newest = new Map<string, T>();
  for (const i of items) {
    const cur = newest.get(i.key);
    if (cur === undefined || compareReviewVersions(cur, i) < 0) newest.set(i.key, i);
  }
  return [...newest.values()].sort((a, b) => a.id - b.id);
}

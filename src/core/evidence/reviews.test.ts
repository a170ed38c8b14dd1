import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../catalog/catalog.js';
import { TraceLinkColumnsBuilder } from '../trace/link-columns.js';
import { TraceGraph } from '../trace/trace-graph.js';
import type { EvidenceItem } from './model.js';
import { evaluateReleaseGate } from './release-gate.js';
import { newestReviewVersions, reviewOutcome, sameCommit, type ParsedReview, type ParsedVerdict } from './reviews.js';

const HEAD = 'b'.repeat(40);
const OLD = 'a'.repeat(40);
const v = (reviewer: string, state: string, at: string | null, commit: string | null = HEAD, bot = false): ParsedVerdict => ({ reviewer, state, at, commit, bot });
const merged = (reviews: ParsedVerdict[] | null, extra: Partial<ParsedReview> = {}): Parameters<typeof reviewOutcome>[0] => ({
  state: 'merged',
  author: 'Dana',
  mergedAt: '2026-10-03T10:00:00Z',
  headSha: HEAD,
  headPushedAt: null,
  reviews,
  ...extra,
});

describe('reviewOutcome', () => {
  it('counts only independent approvals of the merged head given before the merge [DOSSIER-SRS-20]', () => {
    expect(reviewOutcome(merged([v('sam', 'APPROVED', '2026-10-03T09:00:00Z')]))).toEqual({ outcome: 'approved', approvers: ['sam'] });
    expect(reviewOutcome(merged([v('sam', 'APPROVED', '2026-10-03T09:00:00Z', OLD)])).outcome).toBe('approved_earlier_commit');
    expect(reviewOutcome(merged([v('sam', 'APPROVED', '2026-10-03T11:00:00Z')])).outcome).toBe('approved_after_merge');
    expect(reviewOutcome(merged([v('dana', 'APPROVED', '2026-10-03T09:00:00Z')])).outcome).toBe('self_approved');
    expect(reviewOutcome(merged([v('dependabot[bot]', 'APPROVED', '2026-10-03T09:00:00Z', HEAD, true)])).outcome).toBe('unapproved');
    expect(reviewOutcome(merged([])).outcome).toBe('unapproved');
    expect(reviewOutcome(merged(null)).outcome).toBe('review_data_missing');
    expect(reviewOutcome(merged([v('sam', 'APPROVED', '2026-10-03T09:00:00Z')], { headSha: null })).outcome).toBe('approval_commit_unknown');
    expect(reviewOutcome({ ...merged(null), state: 'open' }).outcome).toBe('open');
  });

  it("takes each reviewer's latest verdict before the merge: a comment keeps an approval, a change request undoes it", () => {
    expect(reviewOutcome(merged([v('sam', 'APPROVED', '2026-10-03T08:00:00Z'), v('sam', 'COMMENTED', '2026-10-03T09:00:00Z')])).outcome).toBe('approved');
    expect(reviewOutcome(merged([v('sam', 'APPROVED', '2026-10-03T08:00:00Z'), v('sam', 'CHANGES_REQUESTED', '2026-10-03T09:00:00Z')])).outcome).toBe('unapproved');
    expect(reviewOutcome(merged([v('sam', 'APPROVED', '2026-10-03T08:00:00Z'), v('sam', 'DISMISSED', '2026-10-03T09:00:00Z')])).outcome).toBe('unapproved');
    // A change request after the merge does not undo the approval the merge had.
    expect(reviewOutcome(merged([v('sam', 'APPROVED', '2026-10-03T08:00:00Z'), v('sam', 'CHANGES_REQUESTED', '2026-10-03T11:00:00Z')])).outcome).toBe('approved');
  });

  it('dates GitLab approvals (no commit) against the push of the head, and says so when it cannot', () => {
    const at = (approvedAt: string, pushedAt: string | null): string => reviewOutcome(merged([v('sam', 'APPROVED', approvedAt, null)], { headPushedAt: pushedAt })).outcome;
    expect(at('2026-10-03T09:00:00.000Z', '2026-10-03T08:00:00.000Z')).toBe('approved');
    expect(at('2026-10-03T07:00:00.000Z', '2026-10-03T08:00:00.000Z')).toBe('approved_earlier_commit');
    expect(at('2026-10-03T09:00:00.000Z', null)).toBe('approval_commit_unknown');
  });

  it('compares commits exactly, or by a prefix of seven or more hex digits', () => {
    expect(sameCommit('ABCDEF1', 'abcdef1234')).toBe(true);
    expect(sameCommit('abcd', 'abcdef1234')).toBe(false);
    expect(sameCommit(OLD, HEAD)).toBe(false);
  });
});

describe('newestReviewVersions', () => {
  const item = (id: number, key: string, updatedAt: string | null): { id: number; key: string; data: Record<string, unknown> } => ({ id, key, data: { updatedAt } });

  it("keeps the state the forge updated last, not the last one imported; on a tie or without times, the later import", () => {
    const newest = newestReviewVersions([
      item(1, 'github:o/r#1', '2026-10-05T00:00:00Z'),
      item(2, 'github:o/r#1', '2026-10-04T00:00:00Z'),
      item(3, 'github:o/r#2', null),
      item(4, 'github:o/r#2', null),
      item(5, 'github:o/r#3', '2026-10-04T00:00:00+02:00'),
      item(6, 'github:o/r#3', '2026-10-03T23:00:00Z'),
      item(7, 'github:o/r#4', '2026-10-01T00:00:00Z'),
      item(8, 'github:o/r#4', null),
    ]);
    expect(newest.map((i) => i.id)).toEqual([1, 4, 6, 7]);
  });

  it('does not depend on the order the items are read in, and keeps one item per key', () => {
    const items = fc.uniqueArray(
      fc.record({ id: fc.integer({ min: 1, max: 1000 }), key: fc.constantFrom('a', 'b', 'c'), at: fc.option(fc.integer({ min: 0, max: 5 })) }),
      { selector: (i) => i.id, maxLength: 30 },
    );
    fc.assert(
      fc.property(items, fc.nat(), (raw, seed) => {
        const all = raw.map((i) => item(i.id, i.key, i.at === null ? null : `2026-10-0${i.at + 1}T00:00:00Z`));
        const shuffled = [...all].sort((x, y) => ((x.id * 7919 + seed) % 1009) - ((y.id * 7919 + seed) % 1009));
        const newest = newestReviewVersions(all);
        expect(newestReviewVersions(shuffled)).toEqual(newest);
        expect(new Set(newest.map((i) => i.key)).size).toBe(newest.length);
      }),
    );
  });
});

describe('release gate: reviews', () => {
  const graph = TraceGraph.build(DEFAULT_CATALOG, [], new TraceLinkColumnsBuilder().build());
  const review = (id: number, outcome: string): EvidenceItem => ({
    id,
    importId: 1,
    productId: 1,
    kind: 'review',
    key: `github:o/r#${id}`,
    outcome,
    data: { title: `change ${id}`, author: 'dana', headSha: HEAD },
    refs: [],
  });

  it('reports an approval of an earlier commit as an error, missing review data as a distinct warning', () => {
    const gate = evaluateReleaseGate(
      graph,
      'RPM',
      '1.0.0',
      { testRuns: [], sboms: [], results: [], commits: [], reviews: [review(1, 'approved'), review(2, 'approved_earlier_commit'), review(3, 'review_data_missing'), review(4, 'unapproved'), review(5, 'approved_after_merge')] },
      [],
      { unreferencedCommits: 'warning' },
    );
    const found = gate.findings.filter((f) => f.ruleId.startsWith('RELEASE-INDEPENDENT-REVIEW') || f.ruleId === 'RELEASE-REVIEW-DATA');
    expect(found.map((f) => `${f.ruleId} ${f.severity} ${f.message}`)).toEqual([
      `RELEASE-INDEPENDENT-REVIEW error github:o/r#2 "change 2" by dana was merged (head bbbbbbbbbbbb) with an independent approval of an earlier commit only, not of the merged head`,
      `RELEASE-REVIEW-DATA warning github:o/r#3 "change 3" by dana was merged (head bbbbbbbbbbbb) and the imported export holds no review data for it (review data missing)`,
      `RELEASE-INDEPENDENT-REVIEW error github:o/r#4 "change 4" by dana was merged (head bbbbbbbbbbbb) without an independent approval`,
      `RELEASE-INDEPENDENT-REVIEW warning github:o/r#5 "change 5" by dana was merged (head bbbbbbbbbbbb) before its independent approval (the merged head was approved only after the merge)`,
    ]);
  });
});

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { reviewOutcome, type ParsedReview } from '../core/evidence/reviews.js';
import { parseReviewFile } from './review-file.js';

const fixture = (p: string): string => readFileSync(`test/fixtures/reviews/${p}`, 'utf8');

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** `key outcome` of each change request read. */
const outcomes = (rs: readonly ParsedReview[]): string[] => rs.map((r) => `${r.key} ${reviewOutcome(r).outcome}`);

const GITHUB_OUTCOMES = [
  'github:vitallink/rpm#41 approved',
  'github:vitallink/rpm#44 self_approved',
  'github:vitallink/rpm#45 open',
  'github:vitallink/rpm#46 approved_earlier_commit',
  'github:vitallink/rpm#47 unapproved',
  'github:vitallink/rpm#48 approved_after_merge',
];

describe('review files', () => {
  it('reads GitHub pull requests with every verdict, its commit and time; judges approvals against the merged head [DOSSIER-SRS-20]', () => {
    const { reviews, skipped } = parseReviewFile(fixture('github-pulls.json'), 'pulls.json');
    expect(skipped).toEqual([]);
    const [pinning, hotfix, open] = reviews;
    expect(pinning).toMatchObject({ key: 'github:vitallink/rpm#41', author: 'dana-engineer', state: 'merged', headSha: 'aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00', updatedAt: '2026-10-03T10:00:05Z' });
    expect(pinning?.reviews?.map((r) => `${r.reviewer}:${r.state}:${r.commit?.slice(0, 4) ?? '-'}`)).toEqual(['sam-reviewer:CHANGES_REQUESTED:0b0b', 'sam-reviewer:APPROVED:aa11', 'quinn-qa:COMMENTED:aa11']);
    expect(reviewOutcome(pinning!).approvers).toEqual(['sam-reviewer']);
    expect(hotfix?.reviews).toEqual([{ reviewer: 'lee-dev', state: 'APPROVED', at: '2026-10-20T15:59:00Z', commit: '4444444444444444444444444444444444444444', bot: false }]);
    expect(open).toMatchObject({ state: 'open', mergeCommit: null });
    // An approval of an earlier commit, a bot's approval and an approval after the merge do not count as approved.
    expect(outcomes(reviews)).toEqual(GITHUB_OUTCOMES);
  });

  it('reads `gh api --paginate` output (pages back to back) and `--slurp` output (an array of pages) like one array', () => {
    expect(outcomes(parseReviewFile(fixture('gh-api-paginate.json'), 'p.json').reviews)).toEqual(GITHUB_OUTCOMES);
    expect(outcomes(parseReviewFile(fixture('gh-api-slurp.json'), 's.json').reviews)).toEqual(GITHUB_OUTCOMES);
    // One object a line (`gh api --paginate --jq '.[]'`) and a single `gh pr view --json` object too.
    const lines = (JSON.parse(fixture('github-pulls.json')) as unknown[]).map((p) => JSON.stringify(p)).join('\n');
    expect(outcomes(parseReviewFile(lines, 'l.json').reviews)).toEqual(GITHUB_OUTCOMES);
  });

  it('reads `gh pr list --json` output: author.login, MERGED, headRefOid, reviews[].commit.oid; a bot author may be approved by a person', () => {
    const { reviews } = parseReviewFile(fixture('gh-pr-list.json'), 'gh.json');
    expect(outcomes(reviews)).toEqual([
      'github:vitallink/rpm#41 approved',
      'github:vitallink/rpm#46 approved_earlier_commit',
      'github:vitallink/rpm#47 approved',
      'github:vitallink/rpm#45 open',
    ]);
    expect(reviews[0]).toMatchObject({ author: 'dana-engineer', mergeCommit: '4f1c2a9e0b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a', updatedAt: '2026-10-03T10:00:05Z' });
    const one = JSON.stringify({ number: 7, author: { login: 'a' }, state: 'MERGED', mergedAt: '2026-01-01T00:00:00Z', headRefOid: 'f'.repeat(40) });
    expect(parseReviewFile(one, 'view.json', { repo: 'o/r' }).reviews).toMatchObject([{ key: 'github:o/r#7', reviews: null }]);
  });

  it('a pull request without review data is "review data missing", never "merged without approval"', () => {
    const { reviews, skipped } = parseReviewFile(fixture('github-pulls-listing.json'), 'pulls.json');
    expect(skipped).toEqual([]);
    expect(reviews.map((r) => r.reviews)).toEqual([null, null]);
    expect(outcomes(reviews)).toEqual(['github:vitallink/rpm#41 review_data_missing', 'github:vitallink/rpm#49 review_data_missing']);
  });

  it('reads GitLab merge requests: approvals dated against the push of the head, error bodies, old responses, legacy states, bots', () => {
    const { reviews, skipped } = parseReviewFile(fixture('gitlab-mrs.json'), 'mrs.json');
    expect(outcomes(reviews)).toEqual([
      'gitlab:vitallink/cloud!12 approved',
      'gitlab:7!13 unapproved',
      'gitlab:vitallink/cloud!14 review_data_missing',
      'gitlab:vitallink/cloud!15 open',
      'gitlab:vitallink/cloud!16 approved_earlier_commit',
      'gitlab:vitallink/cloud!17 unapproved',
      'gitlab:vitallink/cloud!18 approval_commit_unknown',
    ]);
    expect(reviews[0]).toMatchObject({ headSha: '12a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4', headPushedAt: '2026-09-10T09:00:00.000Z', reviews: [{ reviewer: 'sam.reviewer', at: '2026-09-10T10:00:00.000Z', commit: null }] });
    expect(reviews[1]).toMatchObject({ mergeCommit: '2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e', reviews: [] });
    expect(skipped).toEqual([{ index: 7, number: 19, reason: expect.stringMatching(/^state: Invalid option/) as unknown }]);
  });

  it('skips a bad entry naming its index and number and reads the rest; the newer of a request twice is kept', () => {
    const good = { number: 3, title: 'x', state: 'closed', user: { login: 'a' }, html_url: 'https://github.com/o/r/pull/3', merged_at: '2026-01-02T00:00:00Z', reviews: [] };
    const text = JSON.stringify([{ number: 2, title: 'x', state: 'open' }, good, { ...good, number: 4, reviews: [{ user: { login: 'b' }, state: 'SHRUGGED' }] }]);
    const { reviews, skipped } = parseReviewFile(text, 'pulls.json');
    expect(reviews.map((r) => r.number)).toEqual([3]);
    expect(skipped).toEqual([
      { index: 0, number: 2, reason: expect.stringMatching(/^user: /) as unknown },
      { index: 2, number: 4, reason: expect.stringMatching(/^reviews\[0\]\.state: /) as unknown },
    ]);
    const older = { ...good, updated_at: '2026-01-02T00:00:00Z', title: 'old' };
    const newer = { ...good, updated_at: '2026-01-03T00:00:00Z', title: 'new' };
    const twice = parseReviewFile(`${JSON.stringify([newer])}${JSON.stringify([older])}`, 'pulls.json');
    expect(twice.reviews.map((r) => r.title)).toEqual(['new']);
    expect(twice.skipped).toEqual([{ index: 1, number: 3, reason: 'github:o/r#3 appears again at [0] with newer or the same data' }]);
  });

  it('refuses a file that is no review export at all, naming it', () => {
    expect(errorOf(() => parseReviewFile('{"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}', 'pulls.json'))).toMatch(
      /^pulls\.json: not a review export: it is an error response from the forge \("Not Found"\); check the HTTP status/,
    );
    expect(errorOf(() => parseReviewFile('[{"id": 1, "user": {"login": "a"}, "state": "APPROVED"}]', 'reviews.json'))).toMatch(/^reviews\.json: not a review export: none of its 1 entries/);
    expect(errorOf(() => parseReviewFile('"text"', 'x.json'))).toMatch(/^x\.json: not a review export: it is a JSON string/);
    expect(errorOf(() => parseReviewFile('[1][{"number": 1, "author": ', 'x.json'))).toMatch(/^x\.json:1:\d+: malformed JSON/);
    expect(errorOf(() => parseReviewFile('[]\n[{"iid": 1,}]', 'x.json'))).toMatch(/^x\.json:2:\d+: malformed JSON/);
    expect(parseReviewFile('[]', 'empty.json')).toEqual({ reviews: [], skipped: [] });
  });

  it('never crashes on mutated or random input: it reads, skips entries, or refuses naming the file', () => {
    for (const [name, seed] of [
      ['pulls.json', fixture('github-pulls.json')],
      ['p.json', fixture('gh-api-paginate.json')],
      ['gh.json', fixture('gh-pr-list.json')],
      ['mrs.json', fixture('gitlab-mrs.json')],
    ] as const) {
      const mutated = fc
        .tuple(fc.nat(seed.length), fc.nat(30), fc.string({ maxLength: 12 }))
        .map(([at, cut, insert]) => seed.slice(0, at) + insert + seed.slice(Math.min(seed.length, at + cut)));
      fc.assert(
        fc.property(fc.oneof(mutated, fc.json(), fc.string({ maxLength: 100 })), (text) => {
          try {
            const { reviews } = parseReviewFile(text, name);
            for (const r of reviews) reviewOutcome(r);
          } catch (e) {
            expect(isAppError(e, 'INVALID_INPUT'), String(e)).toBe(true);
            expect((e as Error).message.startsWith(name)).toBe(true);
          }
        }),
        { numRuns: 300 },
      );
    }
  });
});

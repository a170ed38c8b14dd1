import { z } from 'zod';
import type { ParsedReview } from '../core/evidence/reviews.js';
import { failAtPath, parseJsonAs } from './json-file.js';

/**
 * Pull and merge requests as the forges' REST APIs return them, each with its reviews added: GitHub's pull request
 * object (`GET /repos/{owner}/{repo}/pulls`) with the list from `GET …/pulls/{n}/reviews` as `reviews`; GitLab's
 * merge request (`GET /projects/:id/merge_requests`) with `GET …/merge_requests/:iid/approvals` as `approvals`.
 * Other fields the APIs return are allowed and ignored.
 */
const Login = z.looseObject({ login: z.string().min(1) });
const GitHubPull = z.looseObject({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable().optional(),
  user: Login,
  state: z.enum(['open', 'closed']),
  merged_at: z.string().nullable().optional(),
  merge_commit_sha: z.string().nullable().optional(),
  html_url: z.string().optional(),
  base: z.looseObject({ repo: z.looseObject({ full_name: z.string() }).optional() }).optional(),
  reviews: z
    .array(
      z.looseObject({
        user: Login.nullable(),
        state: z.enum(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']),
        submitted_at: z.string().nullable().optional(),
      }),
    )
    .default([]),
});
const Username = z.looseObject({ username: z.string().min(1) });
const GitLabMerge = z.looseObject({
  iid: z.number().int().positive(),
  title: z.string(),
  description: z.string().nullable().optional(),
  author: Username,
  state: z.enum(['opened', 'closed', 'locked', 'merged']),
  merged_at: z.string().nullable().optional(),
  merge_commit_sha: z.string().nullable().optional(),
  squash_commit_sha: z.string().nullable().optional(),
  web_url: z.string().optional(),
  references: z.looseObject({ full: z.string() }).optional(),
  approvals: z.looseObject({ approved_by: z.array(z.looseObject({ user: Username })).default([]) }).optional(),
});

const ReviewFileSchema = z.array(z.unknown());

/** `owner/repo` from a GitHub pull request URL. */
const repoOfUrl = (url: string | undefined, marker: string): string | undefined => {
  if (url === undefined) return undefined;
  const m = new RegExp(`^https?://[^/]+/(.+?)/${marker}/\\d+`).exec(url);
  return m?.[1];
};

/**
 * Reads a JSON array of GitHub pull requests or GitLab merge requests (each item is recognised by its fields:
 * `number` + `user` for GitHub, `iid` + `author` for GitLab).
 * @throws AppError INVALID_INPUT naming file, line, column and the field path of the first problem
 */
export function parseReviewFile(text: string, file: string): ParsedReview[] {
  const items = parseJsonAs(text, file, ReviewFileSchema);
  const out = items.map((raw, i): ParsedReview => {
    const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if ('iid' in obj || 'author' in obj) {
      const r = GitLabMerge.safeParse(raw);
      if (!r.success) fail(text, file, i, r.error);
      const m = r.data;
      const project = m.references?.full.replace(/!\d+$/, '') ?? repoOfUrl(m.web_url, '-/merge_requests') ?? 'unknown';
      return {
        key: `gitlab:${project}!${m.iid}`,
        forge: 'gitlab',
        number: m.iid,
        title: m.title,
        description: m.description ?? '',
        author: m.author.username,
        state: m.state === 'merged' ? 'merged' : m.state === 'opened' ? 'open' : 'closed',
        mergedAt: m.merged_at ?? null,
        mergeCommit: m.merge_commit_sha ?? m.squash_commit_sha ?? null,
        url: m.web_url ?? null,
        reviews: (m.approvals?.approved_by ?? []).map((a) => ({ reviewer: a.user.username, state: 'APPROVED', at: null })),
      };
    }
    const r = GitHubPull.safeParse(raw);
    if (!r.success) fail(text, file, i, r.error);
    const p = r.data;
    // Each reviewer's latest verdict counts; comments do not replace an approval, a dismissal does.
    const latest = new Map<string, { reviewer: string; state: string; at: string | null }>();
    for (const v of p.reviews) {
      if (v.user === null || v.state === 'PENDING') continue;
      const prev = latest.get(v.user.login);
      if (v.state === 'COMMENTED' && prev !== undefined) continue;
      latest.set(v.user.login, { reviewer: v.user.login, state: v.state, at: v.submitted_at ?? null });
    }
    const repo = p.base?.repo?.full_name ?? repoOfUrl(p.html_url, 'pull') ?? 'unknown';
    return {
      key: `github:${repo}#${p.number}`,
      forge: 'github',
      number: p.number,
      title: p.title,
      description: p.body ?? '',
      author: p.user.login,
      state: p.merged_at != null ? 'merged' : p.state,
      mergedAt: p.merged_at ?? null,
      mergeCommit: p.merged_at != null ? (p.merge_commit_sha ?? null) : null,
      url: p.html_url ?? null,
      reviews: [...latest.values()],
    };
  });
  const seen = new Map<string, number>();
  out.forEach((r, i) => {
    const before = seen.get(r.key);
    if (before !== undefined) failAtPath(text, file, [i], `duplicate change request ${r.key} (also at [${before}])`);
    seen.set(r.key, i);
  });
  return out;
}

function fail(text: string, file: string, index: number, error: z.ZodError): never {
  const issue = error.issues[0];
  const path = [index, ...(issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol')];
  failAtPath(text, file, path, issue?.message ?? 'invalid');
}

import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { invalidInput } from '../core/errors.js';
import type { ParsedReview, ParsedVerdict } from '../core/evidence/reviews.js';
import { sameCommit } from '../core/evidence/reviews.js';
import { lineAndColumn, parseJsonText, refuseTooDeep } from './json-file.js';

/**
 * What teams export from their forge, each pull or merge request with its reviews added:
 * - GitHub REST: the pull request object (`GET /repos/{owner}/{repo}/pulls`) with `GET …/pulls/{n}/reviews` as
 *   `reviews` (each review has `user`, `state`, `commit_id`, `submitted_at`);
 * - GitHub CLI: `gh pr list --json …` / `gh pr view --json …` (`author.login`, `state: MERGED`, `headRefOid`,
 *   `mergeCommit.oid`, `reviews[].commit.oid`);
 * - GitLab REST: the merge request (`GET /projects/:id/merge_requests`) with `GET …/approvals` as `approvals` and,
 *   optionally, `GET …/versions` as `versions` (the time each head was pushed, to date approvals against).
 * The file is a JSON array, `gh api --paginate` output (arrays back to back), `--slurp` output (an array of pages),
 * one object (`gh pr view`) or one object a line. Other fields the APIs return are allowed and ignored.
 */
const ReviewState = z.enum(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']);
const optText = z.string().nullable().optional();

const GitHubUser = z.looseObject({ login: z.string().min(1), type: z.string().optional() });
const GitHubReview = z.looseObject({ user: GitHubUser.nullable(), state: ReviewState, submitted_at: optText, commit_id: optText });
const GitHubPull = z.looseObject({
  number: z.number().int().positive(),
  title: z.string().optional(),
  body: optText,
  user: GitHubUser,
  state: z.enum(['open', 'closed']),
  merged_at: optText,
  merge_commit_sha: optText,
  updated_at: optText,
  html_url: z.string().optional(),
  head: z.looseObject({ sha: z.string().optional() }).nullable().optional(),
  base: z.looseObject({ repo: z.looseObject({ full_name: z.string() }).nullable().optional() }).optional(),
  reviews: z.unknown().optional(),
});

const GhLogin = z.looseObject({ login: z.string().min(1), is_bot: z.boolean().optional() });
const GhReview = z.looseObject({
  author: GhLogin.nullable(),
  state: ReviewState,
  submittedAt: optText,
  commit: z.looseObject({ oid: z.string() }).nullable().optional(),
});
const GhPull = z.looseObject({
  number: z.number().int().positive(),
  title: z.string().optional(),
  body: optText,
  author: GhLogin.nullable(),
  state: z.enum(['OPEN', 'CLOSED', 'MERGED']),
  mergedAt: optText,
  mergeCommit: z.looseObject({ oid: z.string() }).nullable().optional(),
  headRefOid: optText,
  updatedAt: optText,
  url: z.string().optional(),
  reviews: z.unknown().optional(),
});

const GitLabUser = z.looseObject({ username: z.string().min(1), bot: z.boolean().optional() });
const GitLabMerge = z.looseObject({
  iid: z.number().int().positive(),
  project_id: z.number().int().optional(),
  title: z.string().optional(),
  description: optText,
  author: GitLabUser,
  // `reopened` is what GitLab called an open merge request that had been closed, in older API versions.
  state: z.enum(['opened', 'reopened', 'closed', 'locked', 'merged']),
  merged_at: optText,
  merge_commit_sha: optText,
  squash_commit_sha: optText,
  sha: optText,
  updated_at: optText,
  web_url: z.string().optional(),
  references: z.looseObject({ full: z.string() }).optional(),
  approvals: z.unknown().optional(),
  versions: z.unknown().optional(),
});
const GitLabApprovals = z.looseObject({ approved_by: z.array(z.looseObject({ user: GitLabUser, approved_at: optText })) });
const GitLabVersions = z.array(z.looseObject({ head_commit_sha: z.string(), created_at: z.string() }));

/** An entry of the file that was not imported, and why. */
export interface SkippedReviewEntry {
  /** Position in the file (pages flattened), from 0. */
  readonly index: number;
  /** The pull or merge request number, when the entry has one. */
  readonly number: number | null;
  readonly reason: string;
}

/** What a review export holds: the change requests read, and the entries skipped. */
export interface ReviewFile {
  readonly reviews: ParsedReview[];
  readonly skipped: SkippedReviewEntry[];
}

/** How to read a review export. */
export interface ReviewFileOptions {
  /** `owner/repo` (or GitLab `group/project`) for entries that do not name their repository (`gh pr list`). */
  readonly repo?: string;
}

/** Bots and apps: never an independent reviewer. */
function isBotName(login: string): boolean {
  return /\[bot\]$/i.test(login) || /^app\//i.test(login) || /^(dependabot|renovate)\b/i.test(login) || /^(project|group)_\d+_bot(_|$)/i.test(login);
}

/** `owner/repo` from a pull or merge request URL. */
const repoOfUrl = (url: string | undefined, marker: string): string | undefined => {
  if (url === undefined) return undefined;
  const m = new RegExp(`^https?://[^/]+/(.+?)/${marker}/\\d+`).exec(url);
  return m?.[1];
};

/** The message of the first schema problem, with its path inside the entry. */
function problem(error: z.ZodError, prefix: readonly (string | number)[] = []): string {
  const issue = error.issues[0];
  const path = [...prefix, ...(issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol')];
  const field = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  return `${field === '' ? '' : `${field}: `}${issue?.message ?? 'invalid'}`;
}

class BadEntry extends Error {}

function gitHubReviews(raw: unknown): ParsedVerdict[] | null {
  // A plain `/pulls` listing has no `reviews`; an error body (`{"message": "Not Found"}`) is no review data either.
  if (!Array.isArray(raw)) return null;
  return raw.map((v, i) => {
    const r = GitHubReview.safeParse(v);
    if (!r.success) throw new BadEntry(problem(r.error, ['reviews', i]));
    const u = r.data.user;
    return { reviewer: u?.login ?? 'ghost', state: r.data.state, at: r.data.submitted_at ?? null, commit: r.data.commit_id ?? null, bot: u === null ? false : u.type === 'Bot' || isBotName(u.login) };
  });
}

function fromGitHub(raw: unknown, opts: ReviewFileOptions): ParsedReview {
  const r = GitHubPull.safeParse(raw);
  if (!r.success) throw new BadEntry(problem(r.error));
  const p = r.data;
  const repo = p.base?.repo?.full_name ?? repoOfUrl(p.html_url, 'pull') ?? opts.repo ?? 'unknown';
  const merged = p.merged_at != null;
  return {
    key: `github:${repo}#${p.number}`,
    forge: 'github',
    number: p.number,
    title: p.title ?? '',
    description: p.body ?? '',
    author: p.user.login,
    state: merged ? 'merged' : p.state,
    mergedAt: p.merged_at ?? null,
    mergeCommit: merged ? (p.merge_commit_sha ?? null) : null,
    headSha: p.head?.sha ?? null,
    headPushedAt: null,
    updatedAt: p.updated_at ?? null,
    url: p.html_url ?? null,
    reviews: gitHubReviews(p.reviews),
  };
}

function fromGhCli(raw: unknown, opts: ReviewFileOptions): ParsedReview {
  const r = GhPull.safeParse(raw);
  if (!r.success) throw new BadEntry(problem(r.error));
  const p = r.data;
  const repo = repoOfUrl(p.url, 'pull') ?? opts.repo ?? 'unknown';
  let reviews: ParsedVerdict[] | null = null;
  if (Array.isArray(p.reviews)) {
    reviews = p.reviews.map((v, i) => {
      const x = GhReview.safeParse(v);
      if (!x.success) throw new BadEntry(problem(x.error, ['reviews', i]));
      const login = x.data.author?.login ?? 'ghost';
      return { reviewer: login, state: x.data.state, at: x.data.submittedAt ?? null, commit: x.data.commit?.oid ?? null, bot: x.data.author?.is_bot === true || isBotName(login) };
    });
  }
  const merged = p.state === 'MERGED';
  return {
    key: `github:${repo}#${p.number}`,
    forge: 'github',
    number: p.number,
    title: p.title ?? '',
    description: p.body ?? '',
    author: p.author?.login ?? 'ghost',
    state: merged ? 'merged' : p.state === 'OPEN' ? 'open' : 'closed',
    mergedAt: merged ? (p.mergedAt ?? null) : null,
    mergeCommit: merged ? (p.mergeCommit?.oid ?? null) : null,
    headSha: p.headRefOid ?? null,
    headPushedAt: null,
    updatedAt: p.updatedAt ?? null,
    url: p.url ?? null,
    reviews,
  };
}

function fromGitLab(raw: unknown, opts: ReviewFileOptions): ParsedReview {
  const r = GitLabMerge.safeParse(raw);
  if (!r.success) throw new BadEntry(problem(r.error));
  const m = r.data;
  // Older responses have neither `references` nor always `web_url`: the project ID keeps the request apart.
  const project =
    m.references?.full.replace(/!\d+$/, '') ?? repoOfUrl(m.web_url, '-/merge_requests') ?? repoOfUrl(m.web_url, 'merge_requests') ?? opts.repo ?? (m.project_id === undefined ? 'unknown' : String(m.project_id));
  // An error body stored as approvals (`{"message": "404 Project Not Found"}`) is no review data.
  const approvals = GitLabApprovals.safeParse(m.approvals);
  const versions = GitLabVersions.safeParse(m.versions);
  const head = m.sha ?? null;
  let headPushedAt: string | null = null;
  if (versions.success && head !== null) {
    const pushes = versions.data.filter((v) => sameCommit(v.head_commit_sha, head)).map((v) => v.created_at).sort((a, b) => Date.parse(a) - Date.parse(b));
    headPushedAt = pushes[0] ?? null;
  }
  return {
    key: `gitlab:${project}!${m.iid}`,
    forge: 'gitlab',
    number: m.iid,
    title: m.title ?? '',
    description: m.description ?? '',
    author: m.author.username,
    state: m.state === 'merged' ? 'merged' : m.state === 'opened' || m.state === 'reopened' ? 'open' : 'closed',
    mergedAt: m.merged_at ?? null,
    mergeCommit: m.merge_commit_sha ?? m.squash_commit_sha ?? null,
    headSha: head,
    headPushedAt,
    updatedAt: m.updated_at ?? null,
    url: m.web_url ?? null,
    reviews: approvals.success
      ? approvals.data.approved_by.map((a) => ({ reviewer: a.user.username, state: 'APPROVED', at: a.approved_at ?? null, commit: null, bot: a.user.bot === true || isBotName(a.user.username) }))
      : null,
  };
}

type Reader = (raw: unknown, opts: ReviewFileOptions) => ParsedReview;

/** Which export an entry is, by its fields; undefined when it is no pull or merge request. */
function readerOf(raw: unknown): Reader | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  if ('iid' in raw) return fromGitLab;
  if ('number' in raw) return 'author' in raw && !('user' in raw) ? fromGhCli : fromGitHub;
  return undefined;
}

/**
 * The JSON values of the text: one value, or several back to back (`gh api --paginate` writes each page's array
 * after the previous one; `--jq '.[]'` writes one object a line).
 * @throws AppError INVALID_INPUT naming file, line and column of malformed JSON
 */
function jsonValues(text: string, file: string): unknown[] {
  refuseTooDeep(text, file);
  try {
    return [JSON.parse(text) as unknown];
  } catch {
    // Several values, or malformed: split at the top level, then parse each.
  }
  const spans: [number, number][] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0 && start >= 0) {
        spans.push([start, i + 1]);
        start = -1;
      }
      if (depth < 0) break;
    } else if (depth === 0 && !/\s/.test(c ?? '')) {
      spans.length = 0;
      break;
    }
  }
  if (spans.length < 2 || depth !== 0) return [parseJsonText(text, file)];
  return spans.map(([from, to]) => {
    const part = text.slice(from, to);
    try {
      return JSON.parse(part) as unknown;
    } catch (e) {
      const errors: ParseError[] = [];
      parse(part, errors, { disallowComments: true, allowTrailingComma: false });
      const first = errors[0];
      const { line, column } = lineAndColumn(text, from + (first?.offset ?? 0));
      const what = first === undefined ? (e as Error).message : printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
      throw invalidInput(`${file}:${line}:${column}: malformed JSON: ${what}`, { file, line, column });
    }
  });
}

function notAnExport(file: string, why: string): never {
  throw invalidInput(`${file}: not a review export: ${why}; expected GitHub pull requests with their reviews, \`gh pr list --json\` output or GitLab merge requests with their approvals`, { file });
}

/**
 * Reads a review export (see above). An entry that cannot be read (an unknown state, a missing field) is skipped
 * and named in `skipped` by its index and number; the rest are imported. A request with no review data (a plain
 * `/pulls` listing, an API error body in place of its reviews or approvals) is read with `reviews: null`. The same
 * request twice (overlapping pages): the newer by `updated_at` is kept, the other skipped.
 * @throws AppError INVALID_INPUT naming the file when it is malformed JSON or not a review export at all
 */
export function parseReviewFile(text: string, file: string, opts: ReviewFileOptions = {}): ReviewFile {
  const values = jsonValues(text, file);
  const entries: unknown[] = [];
  for (const v of values) {
    if (Array.isArray(v)) {
      // `--slurp`: an array of pages.
      for (const e of v) if (Array.isArray(e)) entries.push(...(e as unknown[]));
      else entries.push(e);
    } else if (typeof v === 'object' && v !== null) {
      if (readerOf(v) === undefined) {
        const message = (v as Record<string, unknown>)['message'];
        notAnExport(file, typeof message === 'string' ? `it is an error response from the forge ("${message.slice(0, 200)}"); check the HTTP status before importing` : 'it is an object that is no pull or merge request');
      }
      entries.push(v);
    } else notAnExport(file, `it is a JSON ${v === null ? 'null' : typeof v}`);
  }
  const readers = entries.map(readerOf);
  if (entries.length > 0 && readers.every((r) => r === undefined)) notAnExport(file, `none of its ${entries.length} entries is a pull or merge request`);

  const reviews: ParsedReview[] = [];
  const skipped: SkippedReviewEntry[] = [];
  const at = new Map<string, { index: number; pos: number }>();
  entries.forEach((raw, index) => {
    const rec = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    const n = rec['number'] ?? rec['iid'];
    const number = typeof n === 'number' && Number.isInteger(n) ? n : null;
    const reader = readers[index];
    if (reader === undefined) {
      skipped.push({ index, number, reason: 'not a pull or merge request' });
      return;
    }
    let r: ParsedReview;
    try {
      r = reader(raw, opts);
    } catch (e) {
      if (!(e instanceof BadEntry)) throw e;
      skipped.push({ index, number, reason: e.message });
      return;
    }
    const before = at.get(r.key);
    if (before === undefined) {
      at.set(r.key, { index, pos: reviews.length });
      reviews.push(r);
      return;
    }
    const kept = reviews[before.pos];
    const newer = kept !== undefined && (Date.parse(r.updatedAt ?? '') || -Infinity) >= (Date.parse(kept.updatedAt ?? '') || -Infinity);
    if (newer) {
      reviews[before.pos] = r;
      at.set(r.key, { index, pos: before.pos });
    }
    skipped.push({ index: newer ? before.index : index, number, reason: `${r.key} appears again at [${newer ? index : before.index}] with newer or the same data` });
  });
  return { reviews, skipped };
}

/** One line naming a skipped entry: `pulls.json: entry [3] (#12) skipped: state: …`. */
export function skippedEntryText(file: string, s: SkippedReviewEntry): string {
  return `${file}: entry [${s.index}]${s.number === null ? '' : ` (#${s.number})`} skipped: ${s.reason}`;
}

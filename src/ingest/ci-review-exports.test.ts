import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { reviewOutcome } from '../core/evidence/reviews.js';
import { parseReviewFile } from './review-file.js';

/** The export scripts the CI examples in docs/ci run, against a fake forge: every page read, HTTP errors stop them. */
const run = promisify(execFile);
const outcomes = (text: string): string[] => parseReviewFile(text, 'export.json').reviews.map((r) => `${r.key} ${reviewOutcome(r).outcome}`);
const failure = (p: Promise<unknown>): Promise<{ code: number; stdout: string; stderr: string } | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => e as { code: number; stdout: string; stderr: string },
  );

describe('docs/ci/github-reviews.sh', () => {
  /** A fake `gh api [--paginate] PATH`: the pages stored for PATH one a line (only the first without --paginate), or a 404 as gh fails on it. */
  function fakeGh(): { dir: string; env: NodeJS.ProcessEnv } {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-gh-'));
    mkdirSync(join(dir, 'bin'));
    const gh = ['#!/usr/bin/env bash', 'f="$FAKE_GH/$(printf %s "$3" | sed "s/[^a-z0-9]/_/g")"', 'if [ -f "$f" ] && [ "$2" = --paginate ]; then cat "$f"; exit 0; fi', 'if [ -f "$f" ]; then head -n 1 "$f"; exit 0; fi', 'echo \'{"message":"Not Found","status":"404"}\'', 'echo "gh: Not Found (HTTP 404)" >&2', 'exit 1', ''];
    writeFileSync(join(dir, 'bin', 'gh'), gh.join('\n'));
    chmodSync(join(dir, 'bin', 'gh'), 0o755);
    return { dir, env: { ...process.env, FAKE_GH: dir, PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}` } };
  }
  const serve = (dir: string, path: string, pages: unknown[][]): void => writeFileSync(join(dir, path.replace(/[^a-z0-9]/g, '_')), pages.map((p) => JSON.stringify(p)).join('\n'));
  const pulls = JSON.parse(readFileSync('test/fixtures/reviews/github-pulls.json', 'utf8')) as { number: number; reviews: unknown[] }[];

  function setUp(dir: string, skipReviewsOf?: number): void {
    const bare = pulls.map(({ reviews: _r, ...p }) => p);
    serve(dir, 'repos/o/r/pulls?state=closed&sort=updated&direction=desc&per_page=100', [bare.slice(0, 2), bare.slice(2)]);
    for (const p of pulls) {
      if (p.number === skipReviewsOf) continue;
      // Reviews on two pages: an export that read only the first would miss the approval of #41.
      serve(dir, `repos/o/r/pulls/${p.number}/reviews?per_page=100`, [p.reviews.slice(0, 1), p.reviews.slice(1)]);
    }
  }

  it('writes every merged pull request with all its reviews, page by page', async () => {
    const { dir, env } = fakeGh();
    setUp(dir);
    const { stdout } = await run('bash', ['docs/ci/github-reviews.sh', 'o/r'], { env });
    expect(outcomes(stdout)).toEqual([
      'github:vitallink/rpm#41 approved',
      'github:vitallink/rpm#44 self_approved',
      'github:vitallink/rpm#46 approved_earlier_commit',
      'github:vitallink/rpm#47 unapproved',
      'github:vitallink/rpm#48 approved_after_merge',
    ]);
  });

  it('fails when an API call fails, instead of writing the error body as reviews', async () => {
    const { dir, env } = fakeGh();
    setUp(dir, 46);
    const failed = await failure(run('bash', ['docs/ci/github-reviews.sh', 'o/r'], { env }));
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr).toMatch(/HTTP 404/);
  });
});

describe('docs/ci/gitlab-reviews.mjs', () => {
  const mrs = JSON.parse(readFileSync('test/fixtures/reviews/gitlab-mrs.json', 'utf8')) as { iid: number; approvals?: unknown; versions?: unknown }[];
  const first = mrs[0];
  const sixteen = mrs.find((m) => m.iid === 16);

  /** A fake GitLab API: two pages of merge requests, their approvals and versions; `failing` answers 404 for it. */
  async function withGitLab<T>(failing: string | undefined, fn: (api: string) => Promise<T>): Promise<T> {
    const routes = new Map<string, { body: unknown; next?: string }>();
    const bare = [first, sixteen].map((m) => ({ ...m, approvals: undefined, versions: undefined }));
    routes.set('/api/v4/projects/group%2Fcloud/merge_requests?state=merged&per_page=100&page=1', { body: [bare[0]], next: '2' });
    routes.set('/api/v4/projects/group%2Fcloud/merge_requests?state=merged&per_page=100&page=2', { body: [bare[1]] });
    for (const m of [first, sixteen]) {
      routes.set(`/api/v4/projects/group%2Fcloud/merge_requests/${m?.iid}/approvals`, { body: m?.approvals });
      routes.set(`/api/v4/projects/group%2Fcloud/merge_requests/${m?.iid}/versions?per_page=100&page=1`, { body: m?.versions });
    }
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const route = routes.get(req.url ?? '');
      if (route === undefined || req.url === failing || req.headers['private-token'] !== 'secret') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"404 Project Not Found"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-next-page': route.next ?? '' }).end(JSON.stringify(route.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }
  const env = (api: string): NodeJS.ProcessEnv => ({ ...process.env, CI_API_V4_URL: api, CI_PROJECT_ID: 'group/cloud', DOSSIER_GITLAB_TOKEN: 'secret' });

  it('writes every merged merge request with its approvals and versions, page by page', async () => {
    const { stdout } = await withGitLab(undefined, (api) => run(process.execPath, ['docs/ci/gitlab-reviews.mjs'], { env: env(api) }));
    expect(outcomes(stdout)).toEqual(['gitlab:vitallink/cloud!12 approved', 'gitlab:vitallink/cloud!16 approved_earlier_commit']);
  });

  it('fails on an HTTP error status, instead of writing the error body as approvals', async () => {
    const failed = await withGitLab('/api/v4/projects/group%2Fcloud/merge_requests/16/approvals', (api) => failure(run(process.execPath, ['docs/ci/gitlab-reviews.mjs'], { env: env(api) })));
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toMatch(/merge_requests\/16\/approvals: HTTP 404: \{"message":"404 Project Not Found"\}/);
  });
});

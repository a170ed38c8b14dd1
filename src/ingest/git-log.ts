import { spawn } from 'node:child_process';
import { invalidInput } from '../core/errors.js';
import type { ParsedCommit } from '../core/evidence/commits.js';

const RS = '\x1e';
const US = '\x1f';
/** One record per commit: fields split by US, then the changed files (from --name-only) on the following lines. */
const FORMAT = `${RS}%H${US}%P${US}%an${US}%ae${US}%aI${US}%cn${US}%cI${US}%s${US}%b${US}%(trailers:only,unfold)${US}`;

/**
 * Runs `git log` over a range (or the whole history) of a repository and reads each commit with its trailers and
 * changed files. Nothing is fetched; the range must exist locally.
 * @param range - `A..B`, a branch, a tag, or undefined for the whole history of HEAD
 * @throws AppError INVALID_INPUT when the range is not a revision range of the repository, or git fails
 */
export async function readGitLog(repo: string, range: string | undefined): Promise<ParsedCommit[]> {
  if (range !== undefined && (range.startsWith('-') || range.trim() === '')) {
    throw invalidInput(`--range must be a revision range like v1.1.0..v1.2.0, not '${range}'`, { field: 'range' });
  }
  const args = ['-C', repo, '-c', 'core.quotepath=off', 'log', '--no-color', '--no-renames', `--format=${FORMAT}`, '--name-only', ...(range === undefined ? [] : [range]), '--'];
  const { code, stdout, stderr } = await run('git', args);
  if (code !== 0) {
    const first = stderr.split('\n').find((l) => l.trim() !== '') ?? `git exited with ${code}`;
    const where = range === undefined ? `the history of ${repo}` : `range ${range} in ${repo}`;
    throw invalidInput(`cannot read ${where}: ${first.replace(/^fatal: /, '')}`, { field: 'range', ...(range === undefined ? {} : { item: range }) });
  }
  return parseGitLog(stdout);
}

/** Parses the output of `git log` in FORMAT with --name-only. */
export function parseGitLog(text: string): ParsedCommit[] {
  const out: ParsedCommit[] = [];
  for (const rec of text.split(RS)) {
    if (rec.trim() === '') continue;
    const f = rec.split(US);
    const [sha = '', parents = '', an = '', ae = '', aI = '', cn = '', cI = '', subject = '', body = '', trailers = '', rest = ''] = f;
    out.push({
      sha,
      parents: parents.split(' ').filter((p) => p !== ''),
      authorName: an,
      authorEmail: ae,
      authoredAt: aI,
      committerName: cn,
      committedAt: cI,
      subject,
      body: body.trim(),
      trailers: trailers
        .split('\n')
        .map((l) => /^([A-Za-z0-9-]+):\s*(.*)$/.exec(l.trim()))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1] ?? '', (m[2] ?? '').trim()] as const),
      files: rest.split('\n').map((l) => l.trim()).filter((l) => l !== ''),
    });
  }
  return out;
}

function run(cmd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => reject(invalidInput(`cannot run git: ${e.message}`, {})));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

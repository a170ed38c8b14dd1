import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useCli } from '../test-support/cli.js';
import { DIALECTS } from '../test-support/stores.js';

const run = promisify(execFile);

describe.each(DIALECTS)('dossier evidence reviews on %s', (dialect) => {
  const cli = useCli(dialect);
  const dossier = cli.dossier;
  const create = async (): Promise<void> => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'RPM', '--intended-use', 'Remote monitoring', '--class', 'b')).code).toBe(0);
  };

  it('imports `gh api --paginate` output, names skipped entries, and reports each finding with its severity [DOSSIER-SRS-20]', async () => {
    await create();
    const pages = readFileSync('test/fixtures/reviews/gh-api-paginate.json', 'utf8');
    const file = join(cli.dir(), 'pulls.json');
    writeFileSync(file, `${pages.trimEnd()}[{"number": 50, "state": "merged", "user": {"login": "x"}, "title": "y"}]`);
    const r = await dossier('evidence', 'reviews', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^reviews import \d+: 6 change requests \(1 approved, 1 approved after merge, 1 approved earlier commit, 1 self approved, 1 unapproved, 1 open\), 0 unchanged, 0 older than recorded$/m);
    expect(r.out).toContain(`warning: ${file}: entry [6] (#50) skipped: state: Invalid option`);
    expect(r.out).toMatch(/^error: github:vitallink\/rpm#46 "Retry uploads with backoff \(SRS-6\)" by dana-engineer was merged with an independent approval of an earlier commit only/m);
    expect(r.out).toMatch(/^warning: github:vitallink\/rpm#48 .* was merged before its independent approval/m);
    const events = (JSON.parse((await dossier('--json', 'audit', 'log')).out) as { events: { action: string; newValue: string }[] }).events;
    expect(events.at(-1)?.action).toBe('EVIDENCE_IMPORTED');
    expect(JSON.parse(events.at(-1)?.newValue ?? '{}')).toMatchObject({ meta: { skipped: [{ index: 6, number: 50 }] } });
  });

  it('under --json an error comes as JSON on stdout with the same exit code, and nothing is written', async () => {
    await create();
    const file = join(cli.dir(), 'pulls.json');
    writeFileSync(file, '{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}');
    const before = (await dossier('export', 'json')).out;
    const plain = await dossier('evidence', 'reviews', file);
    expect([plain.code, plain.out]).toEqual([2, '']);
    expect(plain.err).toMatch(/not a review export: it is an error response from the forge \("Bad credentials"\)/);
    const r = await dossier('--json', 'evidence', 'reviews', file);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/not a review export/) as unknown, details: { file } } });
    const usage = await dossier('evidence', 'reviews', '--json', '--no-such-flag', file);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.out)).toMatchObject({ error: { code: 'USAGE', message: "unknown option '--no-such-flag'" } });
    expect((await dossier('export', 'json')).out).toBe(before);
  });
});

describe('the built dossier', () => {
  it('prints a --json error as JSON on stdout, the one line on stderr, and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-reviews-'));
    // A store must exist (commands other than init, demo, import and product create never create one).
    await run(process.execPath, ['dist/cli/main.js', '--db', join(dir, 'd.db'), 'init']);
    const failed = await run(process.execPath, ['dist/cli/main.js', '--db', join(dir, 'd.db'), '--json', 'evidence', 'reviews', '--product', 'RPM', join(dir, 'missing.json')]).then(
      () => undefined,
      (e: unknown) => e as { code: number; stdout: string; stderr: string },
    );
    expect(failed?.code).toBe(2);
    expect(JSON.parse(failed?.stdout ?? '')).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^cannot read review file/) as unknown } });
    expect(failed?.stderr).toMatch(/^dossier: cannot read review file/);
  });
});

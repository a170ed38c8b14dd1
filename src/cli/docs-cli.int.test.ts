import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCli } from '../test-support/cli.js';
import { DIALECTS } from '../test-support/stores.js';
import { runCli } from './main.js';

/**
 * `dossier docs`: the list works on its own; the build needs the real renderers (HTML site, PDF, DOCX, XLSX), so
 * these build tests pass once they are merged.
 */
describe.each(DIALECTS)('dossier docs on %s', (dialect) => {
  const { dossier, dir, t } = useCli(dialect);

  /** Runs `dossier` in-process with these environment variables (SOURCE_DATE_EPOCH). */
  async function withEnv(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runCli(['--db', t().dbArg, '--actor', 'erin', ...args], { out: (s) => (out += s), err: (s) => (err += s), interactive: false }, env);
    return { code, out, err };
  }

  it('lists the documents of a release with their clauses and gaps, and refuses an unknown release', async () => {
    expect((await dossier('demo')).code).toBe(0);
    const r = await dossier('docs', 'list', '--release', '1.2.0');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^RPM release 1\.2\.0 \(baseline hash [0-9a-f]{12}\)$/);
    expect(lines[1]).toMatch(/^ID\s+TITLE\s+CLAUSES\s+STATUS$/);
    expect(r.out).toMatch(/software-requirements\s+Software requirements specification\s+IEC 62304 5\.2; ISO 13485 7\.3\.3\s+complete/);
    expect(r.out).toMatch(/trace-matrix\s+Trace matrix\s+.*\s+4 gaps/);
    expect(lines).toHaveLength(18);
    const j = await dossier('--json', 'docs', 'list');
    expect(JSON.parse(j.out)).toMatchObject({ product: { key: 'RPM' }, baseline: { kind: 'now' } });
    const bad = await dossier('docs', 'list', '--release', '9.9.9');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('release RPM 9.9.9 does not exist');
  });

  it('takes a team template folder, naming a broken template', async () => {
    expect((await dossier('demo')).code).toBe(0);
    const folder = join(dir(), 'ours');
    mkdirSync(folder);
    writeFileSync(join(folder, 'trace-matrix.md'), '---\ntitle: Our trace matrix\nclauses: [IEC 62304 5.1.1]\n---\n# Ours\n');
    const r = await dossier('docs', 'list', '--templates', folder);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/trace-matrix\s+Our trace matrix\s+IEC 62304 5\.1\.1\s+complete/);
    writeFileSync(join(folder, 'trace-matrix.md'), '---\ntitle: [unclosed\n---\n');
    const bad = await dossier('docs', 'list', '--templates', folder);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`${folder}/trace-matrix.md`);
  });

  it('refuses an unknown format before reading anything', async () => {
    expect((await dossier('demo')).code).toBe(0);
    const r = await dossier('docs', 'build', '--format', 'html,odt', '--out', join(dir(), 'x'));
    expect(r.code).toBe(2);
    expect(r.err).toContain("--format takes html, pdf, docx, xlsx (comma-separated), not 'odt'");
    expect(existsSync(join(dir(), 'x'))).toBe(false);
  });

  it('builds the HTML site with a manifest of SHA-256s, byte-identical for the same baseline under SOURCE_DATE_EPOCH [DOSSIER-SRS-46]', async () => {
    expect((await dossier('demo')).code).toBe(0);
    const a = join(dir(), 'a');
    const b = join(dir(), 'b');
    const env = { SOURCE_DATE_EPOCH: '1764547200' };
    const r1 = await withEnv(env, 'docs', 'build', '--release', '1.2.0', '--format', 'html', '--out', a);
    expect(r1.err).toBe('');
    expect(r1.code).toBe(0);
    expect(r1.out).toMatch(/^wrote \d+ file\(s\) and manifest\.json to .*: 16 document\(s\) of RPM release 1\.2\.0/);
    const r2 = await withEnv(env, 'docs', 'build', '--release', '1.2.0', '--format', 'html', '--out', b);
    expect(r2.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8')) as { generatedAt: string; files: { path: string; sha256: string; bytes: number }[] };
    expect(manifest.generatedAt).toBe('2025-12-01T00:00:00.000Z');
    expect(manifest.files.length).toBeGreaterThan(16);
    expect(manifest.files.every((f) => f.path.startsWith('html/'))).toBe(true);
    expect(manifest.files.some((f) => f.path === 'html/index.html')).toBe(true);
    for (const f of manifest.files) {
      const bytes = readFileSync(join(a, f.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      expect(readFileSync(join(b, f.path)).equals(bytes)).toBe(true);
    }
    expect(readFileSync(join(b, 'manifest.json'), 'utf8')).toBe(readFileSync(join(a, 'manifest.json'), 'utf8'));
  });

  it('builds PDF, DOCX and XLSX per document [DOSSIER-SRS-46]', async () => {
    expect((await dossier('demo')).code).toBe(0);
    const out = join(dir(), 'all');
    const r = await dossier('docs', 'build', '--release', '1.2.0', '--format', 'pdf,docx,xlsx', '--only', 'trace-matrix,software-release', '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'pdf', 'trace-matrix.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(join(out, 'docx', 'software-release.docx')).subarray(0, 2).toString()).toBe('PK');
    expect(readFileSync(join(out, 'xlsx', 'trace-matrix.xlsx')).subarray(0, 2).toString()).toBe('PK');
  });
});

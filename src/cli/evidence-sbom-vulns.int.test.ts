import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCli } from '../test-support/cli.js';
import { DIALECTS } from '../test-support/stores.js';

const fixture = (p: string): string => `test/fixtures/${p}`;

describe.each(DIALECTS)('dossier evidence sbom / vulns on %s', (dialect) => {
  const cli = useCli(dialect);
  const dossier = cli.dossier;
  const product = async (): Promise<void> => {
    expect((await dossier('product', 'create', '--key', 'RPM', '--name', 'Gateway', '--intended-use', 'Relays readings', '--class', 'B')).code).toBe(0);
  };

  it('reads a UTF-16 SBOM, warns about components without a version, and reports OSV outcomes [DOSSIER-SRS-21]', async () => {
    await product();
    const utf16 = join(cli.dir(), 'bom.utf16.json');
    writeFileSync(utf16, Buffer.from(`\uFEFF${readFileSync(fixture('sbom/cyclonedx-1.4-no-root-entry.json'), 'utf8')}`, 'utf16le'));
    const s = await dossier('evidence', 'sbom', utf16);
    expect(s).toMatchObject({ code: 0, err: '' });
    expect(s.out).toContain('added    SOUP-3 vendored-crc (no version)');
    expect(s.out).toContain('warning: SOUP-3 vendored-crc has no version in the SBOM: find it in the SOUP review');
    expect((await dossier('evidence', 'sbom', fixture('sbom/cyclonedx-1.6-polyglot.json'))).code).toBe(0);
    const v = await dossier('evidence', 'vulns', fixture('osv/ecosystems.json'));
    expect(v.code).toBe(0);
    expect(v.out).toContain('skipped 1 withdrawn: DOSSIER-TEST-2026-0002');
    expect(v.out).toMatch(/^VULN-\d+ GHSA-jfh8-c2jp-5v3q names SOUP-\d+, to triage: range not evaluated: Dossier cannot order Maven versions$/m);
  });

  it('refuses an SBOM over --max-components and a bad --max-components, in one line, exit 2, nothing stored', async () => {
    await product();
    const over = await dossier('evidence', 'sbom', fixture('sbom/cyclonedx-npm-1.6.json'), '--max-components', '2');
    expect(over).toMatchObject({ code: 2, out: '' });
    expect(over.err.trim()).toBe('dossier: test/fixtures/sbom/cyclonedx-npm-1.6.json: components: 5 components, more than the limit of 2 per SBOM (raise it with --max-components)');
    const bad = await dossier('evidence', 'sbom', fixture('sbom/cyclonedx-npm-1.6.json'), '--max-components', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--max-components must be a whole number of at least 1, not lots/);
    expect((await dossier('evidence', 'list')).out).toMatch(/no evidence imported yet/);
  });
});

describe('the built dossier, as a process', () => {
  it('refuses SPDX 3.0 in one line with exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-sbom-'));
    const db = join(dir, 'd.db');
    const run = (...args: string[]): { code: number; err: string } => {
      try {
        execFileSync(process.execPath, ['dist/cli/main.js', '--db', db, ...args], { encoding: 'utf8', stdio: 'pipe' });
        return { code: 0, err: '' };
      } catch (e) {
        const x = e as { status: number; stderr: string };
        return { code: x.status, err: x.stderr };
      }
    };
    expect(run('product', 'create', '--key', 'RPM', '--name', 'Gateway', '--intended-use', 'Relays readings', '--class', 'B').code).toBe(0);
    const r = run('evidence', 'sbom', fixture('sbom/spdx-3.0.json'));
    expect(r.code).toBe(2);
    expect(r.err).toBe('dossier: test/fixtures/sbom/spdx-3.0.json:1:1: SPDX 3.0 (JSON-LD) is not supported: export the SBOM as SPDX 2.3 or 2.2 JSON\n');
  });
});

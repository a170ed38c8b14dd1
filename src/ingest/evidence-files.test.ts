import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { inRange, matchAdvisory } from '../core/evidence/vulnerabilities.js';

const affects = (...args: Parameters<typeof matchAdvisory>): boolean => matchAdvisory(...args)?.evaluated === true;
import { readGitLog } from './git-log.js';
import { parseSbomFile } from './sbom-file.js';
import { parseVulnerabilityFile } from './vulnerability-file.js';

const fixture = (p: string): string => readFileSync(`test/fixtures/${p}`, 'utf8');

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** Random and mutated variants of a valid file: each must parse or fail with a clear INVALID_INPUT naming the file. */
function fuzz(seed: string, file: string, parse: (text: string) => unknown): void {
  const mutated = fc
    .tuple(fc.nat(seed.length), fc.nat(30), fc.string({ maxLength: 12 }))
    .map(([at, cut, insert]) => seed.slice(0, at) + insert + seed.slice(Math.min(seed.length, at + cut)));
  fc.assert(
    fc.property(fc.oneof(mutated, fc.json(), fc.string({ maxLength: 100 })), (text) => {
      try {
        parse(text);
      } catch (e) {
        expect(isAppError(e, 'INVALID_INPUT'), String(e)).toBe(true);
        expect((e as Error).message.startsWith(file)).toBe(true);
      }
    }),
    { numRuns: 300 },
  );
}

describe('SBOM files', () => {
  it('reads CycloneDX 1.5: software components only, nested ones too, direct from the dependency graph [DOSSIER-SRS-21]', () => {
    const s = parseSbomFile(fixture('sbom/cyclonedx-1.5.json'), 'bom.json');
    expect(s.format).toBe('cyclonedx');
    expect(s.components.map((c) => [c.name, c.version, c.direct, c.supplier, c.licence, c.ecosystem])).toEqual([
      ['ca.uhn.hapi.fhir:hapi-fhir-client', '7.4.0', true, 'University Health Network', 'Apache-2.0', 'maven'],
      ['org.postgresql:postgresql', '42.7.3', true, null, 'BSD-2-Clause', 'maven'],
      ['com.google.guava:guava', '33.0.0-jre', false, 'Google', null, 'maven'],
      ['debian', '12.7', false, null, null, null],
    ]);
  });

  it('reads SPDX 2.3: the described package is the product, DEPENDS_ON gives direct, NOASSERTION is nothing', () => {
    const s = parseSbomFile(fixture('sbom/spdx-2.3.json'), 'sbom.spdx.json');
    expect(s.components.map((c) => [c.name, c.version, c.purl, c.direct, c.supplier, c.licence])).toEqual([
      ['react', '18.3.1', 'pkg:npm/react@18.3.1', true, 'Meta Platforms', 'MIT'],
      ['js-tokens', '4.0.0', 'pkg:npm/js-tokens@4.0.0', false, null, 'MIT'],
    ]);
  });

  it('reads an npm lockfile v3: dev-only packages left out unless asked, nested copies once, scoped purls', () => {
    const text = readFileSync('demo/package-lock.json', 'utf8');
    const s = parseSbomFile(text, 'package-lock.json');
    expect(s.components).toHaveLength(16);
    expect(s.components.find((c) => c.name === 'jest')).toBeUndefined();
    expect(s.components.find((c) => c.name === 'react-native')).toMatchObject({ version: '0.74.5', direct: true, purl: 'pkg:npm/react-native@0.74.5' });
    expect(s.components.find((c) => c.name === 'ws')).toMatchObject({ direct: false });
    expect(s.components.find((c) => c.name.startsWith('@react-native-async-storage'))?.purl).toBe('pkg:npm/%40react-native-async-storage/async-storage@1.23.1');
    expect(parseSbomFile(text, 'package-lock.json', { includeDev: true }).components).toHaveLength(18);
  });

  it('refuses unknown formats and versions, naming file, line and field', () => {
    expect(errorOf(() => parseSbomFile('{"lockfileVersion": 1, "dependencies": {}}', 'package-lock.json'))).toBe(
      'package-lock.json:1:21: lockfileVersion: npm lockfile version must be 2 or 3 (lockfileVersion 1 comes from npm 6: run npm install with npm 7 or later)',
    );
    expect(errorOf(() => parseSbomFile('{"bomFormat": "CycloneDX", "specVersion": "1.1", "components": []}', 'bom.json'))).toMatch(/^bom\.json:1:\d+: specVersion: CycloneDX specVersion must be 1\.2 to 1\.7 \(1\.0 and 1\.1 have no JSON format\)$/);
    expect(errorOf(() => parseSbomFile('{"name": "x"}', 'x.json'))).toMatch(/^x\.json:1:1: not an SBOM/);
    const twice = '{"spdxVersion":"SPDX-2.3","packages":[\n{"SPDXID":"SPDXRef-a","name":"a"},\n{"SPDXID":"SPDXRef-a","name":"b"}]}';
    expect(errorOf(() => parseSbomFile(twice, 'sbom.json'))).toBe('sbom.json:3:11: packages[1].SPDXID: duplicate package SPDXRef-a (also at packages[0])');
  });

  it('never crashes on random or mutated SBOMs', () => {
    fuzz(fixture('sbom/cyclonedx-1.5.json'), 'bom.json', (t) => parseSbomFile(t, 'bom.json'));
    fuzz(fixture('sbom/spdx-2.3.json'), 'spdx.json', (t) => parseSbomFile(t, 'spdx.json'));
    fuzz(readFileSync('demo/package-lock.json', 'utf8').slice(0, 3000), 'lock.json', (t) => parseSbomFile(t, 'lock.json'));
  });
});

describe('vulnerability files', () => {
  it('reads OSV and matches SEMVER ranges: introduced ≤ version < fixed, per range [DOSSIER-SRS-21]', () => {
    const [ws, braces] = parseVulnerabilityFile(readFileSync('demo/osv-scan.json', 'utf8'), 'osv.json');
    expect(ws).toMatchObject({ id: 'GHSA-3h5v-q93c-6h6q', aliases: ['CVE-2024-37890'], severity: 'high', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' });
    const soup = (version: string): Parameters<typeof affects>[1] => ({ package: 'ws', version, purl: `pkg:npm/ws@${version}`, ecosystem: 'npm', sbomRefs: [] });
    if (ws === undefined || braces === undefined) throw new Error('two advisories expected');
    expect(affects(ws, soup('6.2.2'))).toBe(true);
    expect(affects(ws, soup('6.2.3'))).toBe(false);
    expect(affects(ws, soup('7.5.9'))).toBe(true);
    expect(affects(ws, soup('8.17.1'))).toBe(false);
    expect(affects(ws, { ...soup('6.2.2'), package: 'wss', purl: 'pkg:npm/wss@6.2.2' })).toBe(false);
    expect(affects(braces, { package: 'braces', version: '3.0.2', purl: null, ecosystem: 'npm', sbomRefs: [] })).toBe(true);
    expect(inRange('1.0.0', [{ introduced: '0' }, { last_affected: '1.0.0' }])).toBe(true);
    expect(inRange('1.0.1', [{ introduced: '0' }, { last_affected: '1.0.0' }])).toBe(false);
  });

  it('reads CycloneDX VEX with its analysis, and matches by purl or bom-ref', () => {
    const [pg, guava] = parseVulnerabilityFile(fixture('sbom/vex.json'), 'vex.json');
    expect(pg).toMatchObject({ id: 'CVE-2024-1597', source: 'vex', severity: 'critical', analysis: { state: 'not_affected', justification: 'requires_configuration' } });
    if (pg === undefined || guava === undefined) throw new Error('two advisories expected');
    expect(affects(pg, { package: 'org.postgresql:postgresql', version: '42.7.3', purl: 'pkg:maven/org.postgresql/postgresql@42.7.3', ecosystem: 'maven', sbomRefs: [] })).toBe(true);
    expect(affects(guava, { package: 'guava', version: '33.0.0-jre', purl: null, ecosystem: null, sbomRefs: ['pkg:maven/com.google.guava/guava@33.0.0-jre'] })).toBe(true);
  });

  it('refuses entries without an ID, naming file, line and path; never crashes on mutated input', () => {
    expect(errorOf(() => parseVulnerabilityFile('{"vulns": [\n{"summary": "x"}]}', 'osv.json'))).toMatch(/^osv\.json:2:1: vulns\[0\]\.id: /);
    fuzz(readFileSync('demo/osv-scan.json', 'utf8'), 'osv.json', (t) => parseVulnerabilityFile(t, 'osv.json'));
    fuzz(fixture('sbom/vex.json'), 'vex.json', (t) => parseVulnerabilityFile(t, 'vex.json'));
  });
});

describe('git log', () => {
  it('reads commits with trailers and changed files from a real repository, and names a range that does not exist [DOSSIER-SRS-20]', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'dossier-git-'));
    const git = (...args: string[]): string => execFileSync('git', ['-C', repo, '-c', 'user.name=Dana', '-c', 'user.email=dana@example.com', ...args], { encoding: 'utf8' });
    git('init', '-q');
    writeFileSync(join(repo, 'tls.ts'), 'x');
    git('add', '.');
    git('commit', '-q', '-m', 'Upload client: TLS 1.3 only\n\nLonger explanation.\n\nImplements: SRS-3\nVerifies: TC-4, TC-5');
    git('tag', 'v1');
    writeFileSync(join(repo, 'README.md'), 'docs');
    git('add', '.');
    git('commit', '-q', '-m', 'SRS-7: docs for the queue');
    const all = await readGitLog(repo, undefined);
    expect(all.map((c) => c.subject)).toEqual(['SRS-7: docs for the queue', 'Upload client: TLS 1.3 only']);
    expect(all[1]?.trailers).toEqual([['Implements', 'SRS-3'], ['Verifies', 'TC-4, TC-5']]);
    expect(all[1]?.files).toEqual(['tls.ts']);
    expect(all[0]?.parents).toEqual([all[1]?.sha]);
    expect((await readGitLog(repo, 'v1..HEAD')).map((c) => c.subject)).toEqual(['SRS-7: docs for the queue']);
    await expect(readGitLog(repo, 'v9..HEAD')).rejects.toThrow(/cannot read range v9\.\.HEAD in .*: bad revision 'v9\.\.HEAD'/);
    await expect(readGitLog(repo, '--output=/tmp/x')).rejects.toThrow(/--range must be a revision range/);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { advisorySoup, TEST_RUN_UPLOAD, bySeverity, compareVersions, errorLocation, filterSoup, licences, runTotals, soupRows, uploadContentHash } from './evidence-logic';

describe('evidence page logic', () => {
  it("hashes an upload as the server does: SHA-256 over the files' sorted size:sha256 lines", async () => {
    const a = new TextEncoder().encode('<testsuite/>');
    const b = new TextEncoder().encode('<testsuites></testsuites>');
    const line = (x: Uint8Array): string => `${x.byteLength}:${createHash('sha256').update(x).digest('hex')}\n`;
    const expected = createHash('sha256').update([line(a), line(b)].sort().join('')).digest('hex');
    expect(await uploadContentHash([a, b])).toBe(expected);
    expect(await uploadContentHash([b, a])).toBe(expected);
    expect(await uploadContentHash([a])).not.toBe(expected);
  });

  it("uploads to the server's test run upload route", () => {
    // Read as text: the browser's code (and its tests) import nothing from src/server.
    const server = readFileSync(new URL('../../../../src/server/upload-paths.ts', import.meta.url), 'utf8');
    expect(/TEST_RUN_UPLOAD_PATH = '([^']+)'/.exec(server)?.[1]).toBe(TEST_RUN_UPLOAD);
  });

  it('finds the file, line and column in a JUnit error', () => {
    expect(errorLocation('invalid test run: bad.xml:3:17: unexpected close tag')).toEqual({ file: 'bad.xml', line: 3, column: 17, what: 'unexpected close tag' });
    expect(errorLocation('run.xml:1:1: not JUnit XML')).toMatchObject({ file: 'run.xml', line: 1 });
    expect(errorLocation('the product does not exist')).toBeUndefined();
  });

  it('reads totals from a run\'s facts', () => {
    expect(runTotals({ totals: { passed: 3, failed: 1 } })).toEqual({ passed: 3, failed: 1, error: 0, skipped: 0, flaky: 0, total: 4 });
    expect(runTotals({}).total).toBe(0);
  });

  it('joins SOUP records, SBOM components and vulnerabilities, and filters them', () => {
    const rows = soupRows(
      [
        { key: 'SOUP-1', title: 'React Native', status: 'approved', fields: { package: 'react-native', version: '0.74.3', licence: 'MIT' } },
        { key: 'SOUP-3', title: 'OpenSSL', status: 'approved', fields: { package: 'openssl', version: '3.0.13', licence: 'Apache-2.0' } },
      ],
      [
        { name: 'react-native', version: '0.76.0', licence: 'MIT', purl: 'pkg:npm/react-native@0.76.0', direct: true, record: 'SOUP-1' },
        { name: 'ws', version: '8.0.0', licence: null, purl: 'pkg:npm/ws@8.0.0', direct: false, record: null },
      ],
      [
        { record: 'VULN-1', advisory: 'GHSA-1', severity: 'high', triage: 'untriaged', soup: 'SOUP-3' },
        { record: 'VULN-2', advisory: 'GHSA-2', severity: 'low', triage: 'not_affected', soup: 'SOUP-1' },
      ],
    );
    expect(rows.map((r) => [r.name, r.version, r.record, r.inSbom, r.vulnerabilities.length])).toEqual([
      ['openssl', '3.0.13', 'SOUP-3', false, 1],
      ['react-native', '0.76.0', 'SOUP-1', true, 1],
      ['ws', '8.0.0', null, true, 0],
    ]);
    expect(filterSoup(rows, { vulnerable: true }).map((r) => r.name)).toEqual(['openssl']);
    expect(filterSoup(rows, { licence: 'MIT' }).map((r) => r.name)).toEqual(['react-native']);
    expect(filterSoup(rows, { licence: 'none' }).map((r) => r.name)).toEqual(['ws']);
    expect(filterSoup(rows, { text: 'pkg:npm/ws' }).map((r) => r.name)).toEqual(['ws']);
    expect(licences(rows)).toEqual([
      { value: 'Apache-2.0', count: 1 },
      { value: 'MIT', count: 1 },
      { value: 'none', count: 1 },
    ]);
    expect(advisorySoup('GHSA-1|SOUP-3')).toBe('SOUP-3');
    expect(advisorySoup('GHSA-1')).toBeNull();
  });

  it('groups findings by severity, most severe first, and orders versions by number', () => {
    const g = bySeverity([{ severity: 'info' }, { severity: 'error' }, { severity: 'info' }]);
    expect(g.map((x) => [x.severity, x.findings.length])).toEqual([
      ['error', 1],
      ['info', 2],
    ]);
    expect(['1.9.2', '1.10.0', '1.2.0'].sort(compareVersions)).toEqual(['1.2.0', '1.9.2', '1.10.0']);
  });
});

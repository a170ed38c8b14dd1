import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { parseSbomFile } from '../../ingest/sbom-file.js';
import { parseVulnerabilityFile } from '../../ingest/vulnerability-file.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import type { ParsedSbom } from '../../core/evidence/sbom.js';
import type { Deps } from '../../core/ports.js';
import { getRecord } from './get-record.js';
import { ingestSbom } from './ingest-sbom.js';
import { ingestVulnerabilities } from './ingest-vulnerabilities.js';
import { listAuditEvents } from './list-audit-events.js';
import { runCheck } from './run-check.js';

const fixture = (p: string): string => readFileSync(`test/fixtures/${p}`, 'utf8');
const hash = (c: string): string => c.repeat(64);

async function events(deps: Deps, n: number): Promise<{ action: string; entityId: string; newValue: Record<string, unknown> }[]> {
  const all = await listAuditEvents(deps, { limit: 10_000 });
  return all.slice(-n).map((e) => ({ action: e.action, entityId: e.entityId, newValue: JSON.parse(e.newValue ?? '{}') as Record<string, unknown> }));
}

describe.each(DIALECTS)('SBOM and vulnerability imports on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
  });
  afterEach(async () => t.cleanup());

  const sbom = async (file: string, contentHash: string, source = file): ReturnType<typeof ingestSbom> =>
    ingestSbom(deps, { productKey: 'RPM', source, contentHash, sbom: parseSbomFile(fixture(`sbom/${file}`), file) });
  const vulns = async (file: string, contentHash: string): ReturnType<typeof ingestVulnerabilities> =>
    ingestVulnerabilities(deps, { productKey: 'RPM', source: file, contentHash, advisories: parseVulnerabilityFile(fixture(file), file) });

  it('keeps a component without a version as a SOUP record without one, flagged by the SOUP review rule', async () => {
    const s = await sbom('cyclonedx-1.4-no-root-entry.json', hash('a'));
    expect(s.added.map((a) => `${a.record} ${a.name} ${a.version ?? '-'}`)).toEqual(['SOUP-1 requests 2.31.0', 'SOUP-2 urllib3 2.2.1', 'SOUP-3 vendored-crc -', 'SOUP-4 alpine -']);
    expect(s.noVersion).toEqual([{ record: 'SOUP-3', name: 'vendored-crc' }, { record: 'SOUP-4', name: 'alpine' }]);
    const created = (await events(deps, 5)).filter((e) => e.entityId === 'RPM/SOUP-3')[0];
    expect(created).toMatchObject({ action: 'RECORD_CREATED', newValue: { fields: { package: 'vendored-crc', direct: true } } });
    expect((created?.newValue['fields'] as Record<string, unknown>)['version']).toBeUndefined();
    expect((await getRecord(deps, { productKey: 'RPM', record: 'SOUP-2' })).revision.fields).toMatchObject({ direct: false });
    const findings = (await runCheck(deps, { productKey: 'RPM', builtinPacks: loadBuiltinPacks(DEFAULT_CATALOG) })).findings;
    expect(findings.filter((f) => f.ruleId === 'IEC62304-8.1.2-SOUP-VERSION').map((f) => f.record)).toEqual(['SOUP-3', 'SOUP-4']);
  });

  it('a later SBOM that gives a version fills it in; one that drops it removes it, audit-trailed with the fields set', async () => {
    const comp = (version: string | null): ParsedSbom => ({
      format: 'cyclonedx',
      specVersion: '1.6',
      components: [{ name: 'vendored-crc', version, purl: null, ecosystem: null, supplier: null, licence: null, direct: true, ref: 'vendored-crc' }],
    });
    await ingestSbom(deps, { productKey: 'RPM', source: 'bom.json', contentHash: hash('1'), sbom: comp(null) });
    const filled = await ingestSbom(deps, { productKey: 'RPM', source: 'bom.json', contentHash: hash('2'), sbom: comp('2.1.0') });
    expect(filled.changed).toEqual([{ record: 'SOUP-1', name: 'vendored-crc', version: '2.1.0', from: null }]);
    expect((await events(deps, 2))[0]).toMatchObject({ action: 'RECORD_REVISED', entityId: 'RPM/SOUP-1', newValue: { fields: { version: '2.1.0' } } });
    const dropped = await ingestSbom(deps, { productKey: 'RPM', source: 'bom.json', contentHash: hash('3'), sbom: comp(null) });
    expect(dropped).toMatchObject({ changed: [{ record: 'SOUP-1', version: null, from: '2.1.0' }], noVersion: [{ record: 'SOUP-1', name: 'vendored-crc' }] });
    expect((await getRecord(deps, { productKey: 'RPM', record: 'SOUP-1' })).revision.fields['version']).toBeUndefined();
  });

  it('merges a component listed twice into one SOUP record that keeps both references', async () => {
    const s = await sbom('cyclonedx-npm-1.6.json', hash('b'));
    expect(s.added.map((a) => `${a.record} ${a.name}`)).toEqual(['SOUP-1 express', 'SOUP-2 debug', 'SOUP-3 body-parser']);
    const items = await deps.store.read((r) => r.listEvidenceItems({ productId: 1, kind: 'component' }));
    expect(items.find((i) => i.key === 'pkg:npm/debug@2.6.9')?.data).toMatchObject({ refs: ['express@4.19.2|debug@2.6.9', 'body-parser@1.20.2|debug@2.6.9'], bomSerial: 'urn:uuid:5f0e2c8a-1b3d-4e6f-9a0b-7c8d9e0f1a2b', bomVersion: 1 });
  });

  it('refuses an SBOM over the component limit and leaves the store as it was', async () => {
    const before = await storeSnapshot(deps);
    const parsed = parseSbomFile(fixture('sbom/cyclonedx-npm-1.6.json'), 'bom.json');
    await expectAppError(ingestSbom(deps, { productKey: 'RPM', source: 'bom.json', contentHash: hash('c'), sbom: parsed, maxComponents: 2 }), 'INVALID_INPUT', /^bom\.json: 3 components, more than the limit of 2 per SBOM$/);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('OSV: matches by ecosystem and name in the ecosystems it can order, skips withdrawn advisories, and leaves ranges it cannot order to triage [DOSSIER-SRS-21]', async () => {
    await sbom('cyclonedx-1.6-polyglot.json', hash('d'));
    const s = await vulns('osv/ecosystems.json', hash('e'));
    expect(s.created.map((c) => `${c.record} ${c.advisory} ${c.soup} ${c.evaluated ? c.triage : 'not evaluated'}`)).toEqual([
      'VULN-1 PYSEC-2021-142 SOUP-2 untriaged',
      'VULN-2 GO-2024-2687 SOUP-4 untriaged',
      'VULN-3 RUSTSEC-2021-0003 SOUP-5 untriaged',
      'VULN-4 GHSA-wq4h-7r42-5hrr SOUP-6 untriaged',
      'VULN-5 GHSA-5crp-9r3c-p9vr SOUP-7 untriaged',
      'VULN-6 GHSA-jfh8-c2jp-5v3q SOUP-3 not evaluated',
      'VULN-7 GHSA-7rjr-3q55-vv33 SOUP-3 untriaged',
      'VULN-8 DSA-TEST-12 SOUP-8 untriaged',
    ]);
    expect(s.withdrawn).toEqual(['DOSSIER-TEST-2026-0002']);
    expect(s.unmatched).toEqual(['DOSSIER-TEST-2026-0001', 'DSA-TEST-11']);
    const log4j = await getRecord(deps, { productKey: 'RPM', record: 'VULN-6' });
    expect(log4j.revision.title).toBe('GHSA-jfh8-c2jp-5v3q in org.apache.logging.log4j:log4j-core 2.14.1 (range not evaluated)');
    expect(log4j.revision.fields).toMatchObject({ severity: 'critical', cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' });
    expect(log4j.revision.fields['triage']).toBeUndefined();
    expect(log4j.revision.body).toContain('Not decided: range not evaluated: Dossier cannot order Maven versions.');
    const smallvec = await getRecord(deps, { productKey: 'RPM', record: 'VULN-3' });
    expect(smallvec.revision.body).toContain('Severity: CVSS 4.0 vector only: Dossier does not compute v4.0 scores; set the severity by hand.');
    const last = await events(deps, 1);
    expect(last[0]).toMatchObject({ action: 'EVIDENCE_IMPORTED', newValue: { kind: 'vulnerabilities' } });
    const imp = await deps.store.read((r) => r.listEvidenceImports(1, 'vulnerabilities'));
    expect(imp[0]?.meta).toMatchObject({ created: 8, withdrawn: 1, notEvaluated: 1, unmatched: 2 });
  });

  it("osv-scanner output: the scanner's own findings match, each advisory once", async () => {
    await sbom('cyclonedx-1.6-polyglot.json', hash('d'));
    const s = await vulns('osv/osv-scanner.json', hash('f'));
    expect(s.created.map((c) => `${c.advisory} ${c.soup} ${c.note}`)).toEqual([
      'GHSA-jfh8-c2jp-5v3q SOUP-3 osv-scanner found org.apache.logging.log4j:log4j-core 2.14.1 affected',
      'GO-2024-2687 SOUP-4 osv-scanner found golang.org/x/net 0.17.0 affected',
    ]);
    expect((await getRecord(deps, { productKey: 'RPM', record: 'VULN-1' })).revision.fields).toMatchObject({ severity: 'critical', aliases: ['CVE-2021-44228'] });
  });

  it('VEX: a statement applies only to the versions it names, BOM-Links resolve, and only a stated triage is written (in the audit event too)', async () => {
    await sbom('cyclonedx-1.6-polyglot.json', hash('d'));
    const s = await vulns('vex/versions.json', hash('0'));
    expect(s.created.map((c) => `${c.record} ${c.advisory} ${c.soup} ${c.evaluated ? c.triage : 'not evaluated'}`)).toEqual([
      'VULN-1 CVE-2021-44228 SOUP-3 not_affected',
      'VULN-2 CVE-2099-1001 SOUP-1 not_affected',
      'VULN-3 CVE-2099-1002 SOUP-2 untriaged',
      'VULN-4 CVE-2099-1003 SOUP-3 not evaluated',
    ]);
    expect(s.unmatched).toEqual(['CVE-2099-1000']);
    const created = (await events(deps, 10)).filter((e) => e.action === 'RECORD_CREATED');
    expect(created.map((e) => [e.entityId, (e.newValue['fields'] as Record<string, unknown>)['triage'] ?? null])).toEqual([
      ['RPM/VULN-1', 'not_affected'],
      ['RPM/VULN-2', 'not_affected'],
      ['RPM/VULN-3', null],
      ['RPM/VULN-4', null],
    ]);
    expect((created[0]?.newValue['fields'] as Record<string, unknown>)['justification']).toBe('Supplier VEX (not_affected): code_not_reachable: Message lookups are disabled by log4j2.formatMsgNoLookups=true');
    expect((created[1]?.newValue['fields'] as Record<string, unknown>)['justification']).toBe('Supplier VEX: version 4.17.21 is listed as unaffected');
  });
});

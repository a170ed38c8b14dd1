import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRecords } from '../../app/use-cases/export-records.js';
import { listAuditEvents } from '../../app/use-cases/list-audit-events.js';
import { listSuspectLinks } from '../../app/use-cases/list-suspect-links.js';
import { storeSnapshot } from '../../test-support/assertions.js';
import { useCli } from '../../test-support/cli.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, testDeps } from '../../test-support/stores.js';
import { EXIT } from '../exit-codes.js';

// doorstop's stamp of SYS001 below (sha256 of UID, text and ref, URL-safe base64), computed with doorstop's formula.
const SYS001_STAMP = 'lJpQPXj4vMJjAfzEDoceVaP1idXwuy4C0Jt4A135TLQ=';

const item = (text: string, links: string[] = [], extra: string[] = []): string =>
  ['active: true', 'derived: false', "header: ''", "level: '1.1'", `links:${links.length === 0 ? ' []' : ''}`, ...links.map((l) => `- ${l}`), 'normative: true', "ref: ''", 'reviewed: null', ...extra, 'text: |', `  ${text}`, ''].join('\n');

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const TREE: Record<string, string> = {
  'sys/.doorstop.yml': "settings:\n  digits: 3\n  prefix: SYS\n  sep: ''\n",
  'sys/SYS001.yml': item('The pump shall stop at occlusion.'),
  'sys/SYS002.yml': item('The pump shall alarm.'),
  'srs/.doorstop.yml': "settings:\n  digits: 3\n  parent: SYS\n  prefix: SRS\n  sep: ''\n",
  'srs/SRS001.yml': item('Detect occlusion by pressure.', [`SYS001: ${SYS001_STAMP}`, 'SYS002: stale-stamp']),
  'tst/.doorstop.yml': "settings:\n  digits: 3\n  parent: SRS\n  prefix: TST\n  sep: ''\n",
  'tst/TST001.yml': item('Occlude the line.', ['SRS001: null']),
};

/** The shared benchmark generators, when this checkout sits beside them. */
/** The team's benchmark generator, copied into the repository so this test runs on every checkout. */
const GEN = join(process.cwd(), 'test/fixtures/bench-generators');

describe.each(DIALECTS)('dossier import doorstop on %s', (dialect) => {
  const { dossier, t, dir } = useCli(dialect);

  it('imports a tree: records with their UIDs, links (one suspect), audit events by the actor; a dry run writes nothing [DOSSIER-SRS-49]', async () => {
    const deps = testDeps(t().store, 'erin');
    await aProduct(deps);
    writeTree(join(dir(), 'reqs'), TREE);
    const before = await storeSnapshot(deps);
    const dry = await dossier('import', 'doorstop', join(dir(), 'reqs'), '--product', 'RPM', '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('reqs/srs (doorstop document SRS, parent SYS) → SRS, 1 items');
    expect(dry.out).toContain('records: 4 to create');
    expect(await storeSnapshot(deps)).toBe(before);

    const r = await dossier('import', 'doorstop', join(dir(), 'reqs'), '--product', 'RPM');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('links: 3 added (1 suspect)');
    const exported = await exportRecords(deps, { productKey: 'RPM' });
    const byKey = (a: { key: string }, b: { key: string }): number => a.key.localeCompare(b.key);
    expect([...exported.records].sort(byKey).map((x) => [x.key, x.fields['externalId'], x.title])).toEqual([
      ['SRS-1', 'SRS001', 'Detect occlusion by pressure.'],
      ['SYS-1', 'SYS001', 'The pump shall stop at occlusion.'],
      ['SYS-2', 'SYS002', 'The pump shall alarm.'],
      ['TC-1', 'TST001', 'Occlude the line.'],
    ]);
    expect(exported.links.map((l) => `${l.from} ${l.type} ${l.to}`).sort()).toEqual(['SRS-1 derives_from SYS-1', 'SRS-1 derives_from SYS-2', 'TC-1 verifies SRS-1']);
    expect((await listSuspectLinks(deps, { productKey: 'RPM' })).map((s) => `${s.from} ${s.to}`)).toEqual(['SRS-1 SYS-2']);
    const events = (await listAuditEvents(deps, { productKey: 'RPM' })).filter((e) => e.action === 'RECORD_CREATED' || e.action === 'LINK_CREATED');
    expect(events).toHaveLength(7);
    expect(new Set(events.map((e) => e.actor))).toEqual(new Set(['erin']));
    expect(new Set(events.map((e) => e.reason))).toEqual(new Set([`imported from doorstop tree ${join(dir(), 'reqs')}`]));
  });

  it('exits 2 and writes nothing on a broken link or a malformed document, naming file and line', async () => {
    const deps = testDeps(t().store, 'erin');
    await aProduct(deps);
    writeTree(join(dir(), 'reqs'), { ...TREE, 'tst/TST002.yml': item('Broken.', ['SRS009: null']), 'sys/.doorstop.yml': 'settings:\n  prefix: [SYS\n' });
    const before = await storeSnapshot(deps);
    const r = await dossier('import', 'doorstop', join(dir(), 'reqs'), '--product', 'RPM');
    expect(r.code).toBe(EXIT.usage);
    expect(r.out).toMatch(/reqs\/sys\/\.doorstop\.yml:\d+:\d+: malformed YAML/);
    expect(r.out).toContain('reqs/tst/TST002.yml:6: TST002 links to SRS009, which is not an item of the tree');
    expect(r.out).toContain('Nothing imported into RPM');
    expect(await storeSnapshot(deps)).toBe(before);
    const unmapped = await dossier('import', 'doorstop', join(dir(), 'nowhere'), '--product', 'RPM');
    expect(unmapped.code).toBe(EXIT.usage);
    expect(unmapped.err).toContain('no such folder');
  });

  it('imports the generated project and check finds exactly its uncovered items', async () => {
    const deps = testDeps(t().store, 'erin');
    await aProduct(deps);
    const scale = 0.02; // 20 SYS, 100 SRS, 400 TST
    execFileSync('python3', [join(GEN, 'gen_doorstop.py'), join(dir(), 'gen'), String(scale)], { stdio: 'ignore' });
    const r = await dossier('import', 'doorstop', join(dir(), 'gen'), '--product', 'RPM');
    expect(r.code, r.out).toBe(0);
    const check = await dossier('check', '--product', 'RPM', '--json');
    const findings = (JSON.parse(check.out) as { findings: { ruleId: string }[] }).findings;
    const count = (rule: string): number => findings.filter((f) => f.ruleId === rule).length;
    // The generator's formula: SRS link to the first 95 % of SYS, tests to the first 97 % of SRS.
    const sys = Math.floor(1000 * scale);
    const srs = Math.floor(5000 * scale);
    expect(count('DC-7.3.3-SYSTEM-REQUIREMENT-REFINED')).toBe(sys - Math.floor(sys * 0.95));
    expect(count('IEC62304-5.7.1-SRS-VERIFIED')).toBe(srs - Math.floor(srs * 0.97));
    expect(count('IEC62304-5.2.1-SRS-TRACED')).toBe(0);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportRecords } from '../../app/use-cases/export-records.js';
import { listAuditEvents } from '../../app/use-cases/list-audit-events.js';
import type { Deps } from '../../core/ports.js';
import { storeSnapshot } from '../../test-support/assertions.js';
import { useCli } from '../../test-support/cli.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, testDeps } from '../../test-support/stores.js';
import { EXIT } from '../exit-codes.js';

const FIX = 'test/fixtures/reqif';

/** A product's content keyed by type and title, with links as titles: what must survive a round trip. */
async function contentOf(deps: Deps, productKey: string): Promise<{ records: unknown[]; links: string[] }> {
  const e = await exportRecords(deps, { productKey });
  const title = new Map(e.records.map((r) => [r.key, `${r.type} ${r.title}`]));
  return {
    records: e.records.map((r) => ({ type: r.type, title: r.title, body: r.body, fields: r.fields })).sort((a, b) => `${a.type} ${a.title}`.localeCompare(`${b.type} ${b.title}`)),
    links: e.links.map((l) => `${title.get(l.from)} ${l.type} ${title.get(l.to)}`).sort(),
  };
}

describe.each(DIALECTS)('dossier import reqif | export reqif on %s', (dialect) => {
  const { dossier, t, dir } = useCli(dialect);

  it('imports a DOORS-like module with its map: records, links from relations and nesting, audit events by the actor [DOSSIER-SRS-49]', async () => {
    const deps = testDeps(t().store, 'ops');
    await aProduct(deps);
    const dry = await dossier('import', 'reqif', `${FIX}/doors-like.reqif`, '--map', `${FIX}/doors-like.map.yaml`, '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('Dry run of importing ReqIF');
    expect(dry.out).toContain("spec object type 'System Requirements' → SYS, 6 objects");
    expect(dry.out).toContain('records: 5 to create');
    expect((await exportRecords(deps, { productKey: 'RPM' })).records).toEqual([]);

    const r = await dossier('import', 'reqif', `${FIX}/doors-like.reqif`, '--map', `${FIX}/doors-like.map.yaml`, '--product', 'RPM');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('records: 5 created');
    expect(r.out).toContain('links: 3 added');
    const e = await exportRecords(deps, { productKey: 'RPM' });
    expect(e.records.map((x) => [x.key, x.fields.externalId])).toEqual([
      ['SYS-1', 'PUMP-SYS-1'],
      ['SYS-2', 'PUMP-SYS-2'],
      ['SYS-3', 'PUMP-SYS-3'],
      ['SYS-4', 'PUMP-SYS-4'],
      ['UN-1', '_so-need1'],
    ]);
    expect(e.links.map((l) => `${l.from} ${l.type} ${l.to}`)).toEqual(['SYS-1 derives_from UN-1', 'SYS-2 derives_from UN-1', 'SYS-3 refines SYS-2']);
    const events = await listAuditEvents(deps, { productKey: 'RPM' });
    const created = events.filter((x) => x.action === 'RECORD_CREATED');
    expect(created).toHaveLength(5);
    expect(created.every((x) => x.actor === 'erin' && x.reason === `imported from ReqIF ${FIX}/doors-like.reqif`)).toBe(true);
    expect(events.filter((x) => x.action === 'LINK_CREATED').every((x) => x.actor === 'erin')).toBe(true);

    // Importing the same file again changes nothing; a changed requirement gets a new revision.
    const again = await dossier('import', 'reqif', `${FIX}/doors-like.reqif`, '--map', `${FIX}/doors-like.map.yaml`);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('records: 0 created, 0 revised, 5 unchanged');
    expect(again.out).toContain('links: 0 added (0 suspect), 3 already there');
    const changed = join(dir(), 'changed.reqif');
    writeFileSync(changed, readFileSync(`${FIX}/doors-like.reqif`, 'utf8').replace('within 30 s at 25 mL/h', 'within 20 s at 25 mL/h'));
    const third = await dossier('import', 'reqif', changed, '--map', `${FIX}/doors-like.map.yaml`);
    expect(third.code, third.err).toBe(0);
    expect(third.out).toContain('records: 0 created, 1 revised, 4 unchanged');
    expect(third.out).toContain('SYS-2 revision 1 → 2');
  });

  it('imports the Polarion-like and ProR-like files', async () => {
    const deps = testDeps(t().store, 'ops');
    await aProduct(deps);
    const p = await dossier('import', 'reqif', `${FIX}/polarion-like.reqif`, '--map', `${FIX}/polarion-like.map.yaml`);
    expect(p.code, p.err).toBe(0);
    expect(p.out).toContain('TOOL-EXTENSIONS: 1 elements ignored');
    const q = await dossier('import', 'reqif', `${FIX}/pror-like.reqif`, '--map', `${FIX}/pror-like.map.yaml`);
    expect(q.code, q.err).toBe(0);
    const e = await exportRecords(deps, { productKey: 'RPM' });
    expect(e.records.map((x) => `${x.key} ${x.title}`)).toEqual([
      'RC-1 Hard limits in the drug library',
      'RC-2 Occlusion alarm',
      'SRS-1 Rate limit check',
      'SRS-2 Bolus lockout',
      'TC-1 Rate above hard limit is refused',
    ]);
    expect(e.links.map((l) => `${l.from} ${l.type} ${l.to}`)).toEqual(['TC-1 verifies SRS-1']);
  });

  it('exports, then imports the file into a fresh product without loss (titles, bodies, fields, links) [DOSSIER-SRS-49]', async () => {
    const deps = testDeps(t().store, 'ops');
    await aProduct(deps);
    await aProduct(deps, { key: 'NEW' });
    expect((await dossier('import', 'reqif', `${FIX}/doors-like.reqif`, '--map', `${FIX}/doors-like.map.yaml`, '--product', 'RPM')).code).toBe(0);
    expect((await dossier('import', 'reqif', `${FIX}/polarion-like.reqif`, '--map', `${FIX}/polarion-like.map.yaml`, '--product', 'RPM')).code).toBe(0);
    expect((await dossier('record', 'add', '--type', 'TC', '--product', 'RPM', '--title', 'Occlusion test', '--set', 'level=system', '--set', 'automated=true', '--body', 'Run **twice**.\n\n```\nocclude()\n```')).code).toBe(0);

    const file = join(dir(), 'rpm.reqif');
    const out = await dossier('export', 'reqif', '--product', 'RPM', '--out', file);
    expect(out.code, out.err).toBe(0);
    expect(out.err).toContain(`as ReqIF to ${file}`);
    const xml = readFileSync(file, 'utf8');
    // Deterministic: the same store gives the same bytes.
    expect((await dossier('export', 'reqif', '--product', 'RPM')).out).toBe(xml);

    const back = await dossier('import', 'reqif', file, '--product', 'NEW');
    expect(back.code, back.out + back.err).toBe(0);
    expect(await contentOf(deps, 'NEW')).toEqual(await contentOf(deps, 'RPM'));
  });

  it('refuses bad files with file, line and item, exit 2, nothing written', async () => {
    const deps = testDeps(t().store, 'ops');
    await aProduct(deps);
    const before = await storeSnapshot(deps);
    const run = (f: string): ReturnType<typeof dossier> => dossier('import', 'reqif', `${FIX}/bad/${f}`, '--map', `${FIX}/minimal.map.yaml`);

    const xml = await run('invalid-xml.reqif');
    expect(xml.code).toBe(EXIT.usage);
    expect(xml.err).toMatch(/bad\/invalid-xml\.reqif:29:\d+: malformed XML/);
    expect((await run('not-reqif.reqif')).err).toMatch(/not-reqif\.reqif:2:1: not ReqIF/);
    const dangling = await run('dangling-ref.reqif');
    expect(dangling.code).toBe(EXIT.usage);
    expect(dangling.out).toMatch(/dangling-ref\.reqif:43:\d+: spec relation 'L1' TARGET: SPEC-OBJECT-REF 'R9' names no spec object/);
    expect(dangling.out).toMatch(/dangling-ref\.reqif:35:\d+: spec object 'R2': DEFINITION refers to 'a-title'/);
    const en = await run('enum-value.reqif');
    expect(en.code).toBe(EXIT.usage);
    expect(en.out).toMatch(/enum-value\.reqif:29:\d+: spec object 'R1', attribute 'priority': enumeration value 'e-urgent'/);
    const script = await run('xhtml-script.reqif');
    expect(script.code).toBe(EXIT.usage);
    expect(script.out).toMatch(/xhtml-script\.reqif:28:\d+: spec object 'R1', attribute 'ReqIF.Text': XHTML <xhtml:script> is active content/);
    expect(script.out).toContain('Nothing imported into RPM');
    // A map naming an unknown record type is refused at its line.
    const badMap = join(dir(), 'map.yaml');
    writeFileSync(badMap, 'types:\n  - reqif: Requirement\n    type: NOPE\n');
    const m = await dossier('import', 'reqif', `${FIX}/minimal.reqif`, '--map', badMap);
    expect(m.code).toBe(EXIT.usage);
    expect(m.err).toMatch(/map\.yaml:3:11: types\.0\.type: unknown record type 'NOPE'/);
    expect(await storeSnapshot(deps)).toBe(before);
  });
});

import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editRecord } from '../../app/use-cases/edit-record.js';
import { exportRecords } from '../../app/use-cases/export-records.js';
import { importRecords } from '../../app/use-cases/import-records.js';
import { listAuditEvents } from '../../app/use-cases/list-audit-events.js';
import type { Deps } from '../../core/ports.js';
import { storeSnapshot } from '../../test-support/assertions.js';
import { useCli } from '../../test-support/cli.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, testDeps } from '../../test-support/stores.js';

/** Every file below a folder, path → text. */
function folderTexts(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(dir.length + 1), readFileSync(join(e.parentPath, e.name), 'utf8'));
  }
  return out;
}

describe.each(DIALECTS)('dossier export md / sync on %s', (dialect) => {
  const { t, dir, dossier } = useCli(dialect);
  const deps = (): Deps => testDeps(t().store, 'alice');

  async function seed(): Promise<void> {
    await aProduct(deps());
    await someRecords(deps(), 'RPM', ['SYS', 'SYS', 'SRS', 'SRS', 'TC']);
    await importRecords(deps(), {
      productKey: 'RPM',
      source: 'test',
      plan: {
        links: [
          { from: 'SRS-1', type: 'derives_from', to: 'SYS-1' },
          { from: 'SRS-2', type: 'derives_from', to: 'SYS-1' },
          { from: 'TC-1', type: 'verifies', to: 'SRS-1' },
        ],
      },
    });
  }

  it('writes one file per record by type, reads an untouched folder back as no change, and exports byte-identical files again', async () => {
    await seed();
    const folder = join(dir(), 'reqs');
    const out = await dossier('export', 'md', folder);
    expect(out.err).toBe('');
    expect(out.code).toBe(0);
    expect(out.out).toMatch(/^Exported 5 records of RPM \(3 links\) to .*reqs: 3 type folders \(SRS, SYS, TC\)\./);
    const files = folderTexts(folder);
    expect([...files.keys()].sort()).toEqual(['SRS/SRS-1.md', 'SRS/SRS-2.md', 'SYS/SYS-1.md', 'SYS/SYS-2.md', 'TC/TC-1.md', 'dossier-folder.yml']);
    expect(files.get('SRS/SRS-1.md')).toMatch(
      /^---\nid: SRS-1\ntype: SRS\nrevision: 1\nstatus: draft\ntitle: Upload uses TLS 1\.3 only\nfields:\n {2}category: security\n {2}riskControl: true\nlinks:\n {2}derives_from: \[SYS-1\]\ndigest: [0-9a-f]{64}\n---\n$/,
    );
    expect(files.get('dossier-folder.yml')).toMatch(/^format: 1\nproduct: RPM\nwrittenAt: /m);

    const before = await storeSnapshot(deps());
    const sync = await dossier('sync', folder);
    expect(sync.err).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/5 record files: 5 as Dossier wrote them \(skipped\), 0 edited, 0 new/);
    expect(sync.out).toMatch(/records: 0 created, 0 revised, 0 unchanged/);
    expect(await storeSnapshot(deps())).toBe(before);

    const copy = join(dir(), 'again');
    const again = await dossier('export', 'md', copy);
    expect(again.code).toBe(0);
    const second = folderTexts(copy);
    for (const [path, text] of files) if (path !== 'dossier-folder.yml') expect(second.get(path)).toBe(text);
  });

  it('applies exactly the edits: new revisions, new records with their ids written back, links added and removed, each with its audit event [DOSSIER-SRS-47]', async () => {
    await seed();
    const folder = join(dir(), 'reqs');
    await dossier('export', 'md', folder);
    const srs1 = join(folder, 'SRS/SRS-1.md');
    // An edited body and a changed link set: SRS-1 now derives from SYS-2 instead of SYS-1.
    writeFileSync(srs1, readFileSync(srs1, 'utf8').replace('derives_from: [SYS-1]', 'derives_from: [SYS-2]').replace(/---\n$/, '---\nTLS 1.3, and nothing older.\n'));
    // A new requirement, and a new test naming it by its file.
    writeFileSync(join(folder, 'SRS/session-timeout.md'), '---\ntitle: Sessions end after 15 minutes idle\nfields:\n  category: security\nlinks:\n  derives_from: [SYS-1]\n---\nThe server ends idle sessions.\n');
    writeFileSync(join(folder, 'TC/timeout-test.md'), '---\ntitle: Idle session is closed\nfields:\n  level: system\nlinks:\n  verifies: [SRS/session-timeout]\n---\n');
    // A status written in a file is not read: the file goes back to the store's.
    const srs2 = join(folder, 'SRS/SRS-2.md');
    writeFileSync(srs2, readFileSync(srs2, 'utf8').replace('status: draft', 'status: approved'));
    // A deleted file: its record is left alone.
    rmSync(join(folder, 'SYS/SYS-2.md'));
    const before = await exportRecords(deps(), { productKey: 'RPM' });

    const sync = await dossier('sync', folder, '--reason', 'Sprint 12 review');
    expect(sync.err).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.out).toMatch(/6 record files: 2 as Dossier wrote them \(skipped\), 2 edited, 2 new/);
    expect(sync.out).toMatch(/status is shown, not read \(a status changes by review and approval\): 1 files differ from the store: SRS\/SRS-2\.md says approved, the store draft/);
    expect(sync.out).toMatch(/records: 2 created, 1 revised, 1 unchanged/);
    expect(sync.out).toMatch(/ {2}SRS\/SRS-2\.md: SRS-2 at revision 1\n/);
    expect(sync.out).toMatch(/not in the folder \(left alone; records are never deleted\): 1: SYS-2/);
    expect(sync.out).toMatch(/SRS\/session-timeout\.md → SRS\/SRS-3\.md: new record SRS-3, revision 1/);
    expect(sync.out).toMatch(/TC\/timeout-test\.md → TC\/TC-2\.md: new record TC-2, revision 1/);
    expect(sync.out).toMatch(/SRS\/SRS-1\.md: SRS-1 at revision 2/);

    const after = await exportRecords(deps(), { productKey: 'RPM' });
    const byKey = new Map(after.records.map((r) => [r.key, r]));
    expect(byKey.get('SRS-1')).toMatchObject({ revision: 2, body: 'TLS 1.3, and nothing older.' });
    expect(byKey.get('SRS-3')).toMatchObject({ revision: 1, title: 'Sessions end after 15 minutes idle', body: 'The server ends idle sessions.', fields: { category: 'security' } });
    expect(byKey.get('TC-2')).toMatchObject({ title: 'Idle session is closed', body: '', fields: { level: 'system' } });
    // Everything else as it was.
    for (const r of before.records) if (r.key !== 'SRS-1') expect(byKey.get(r.key)).toEqual(r);
    expect(after.links.map((l) => `${l.from} ${l.type} ${l.to}`).sort()).toEqual([
      'SRS-1 derives_from SYS-2',
      'SRS-2 derives_from SYS-1',
      'SRS-3 derives_from SYS-1',
      'TC-1 verifies SRS-1',
      'TC-2 verifies SRS-3',
    ]);

    const events = (await listAuditEvents(deps(), { productKey: 'RPM' })).filter((e) => e.reason === 'Sprint 12 review');
    expect(events.map((e) => `${e.action} ${e.entityType === 'link' ? '' : e.entityId} ${e.actor}`).sort()).toEqual([
      'LINK_CREATED  erin',
      'LINK_CREATED  erin',
      'LINK_CREATED  erin',
      'LINK_REMOVED  erin',
      'RECORD_CREATED RPM/SRS-3 erin',
      'RECORD_CREATED RPM/TC-2 erin',
      'RECORD_REVISED RPM/SRS-1 erin',
    ].sort());

    // The files now say what the store has: the next sync finds nothing to do.
    const files = folderTexts(folder);
    expect(existsSync(join(folder, 'SRS/session-timeout.md'))).toBe(false);
    expect(files.get('TC/TC-2.md')).toMatch(/^---\nid: TC-2\ntype: TC\nrevision: 1\n[^]*links:\n {2}verifies: \[SRS-3\]\n/);
    expect(files.get('SRS/SRS-1.md')).toMatch(/^---\nid: SRS-1\ntype: SRS\nrevision: 2\n/);
    expect(files.get('SRS/SRS-2.md')).toMatch(/^---\nid: SRS-2\ntype: SRS\nrevision: 1\nstatus: draft\n/);
    const snapshot = await storeSnapshot(deps());
    const again = await dossier('sync', folder);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/6 record files: 6 as Dossier wrote them \(skipped\), 0 edited, 0 new/);
    expect(await storeSnapshot(deps())).toBe(snapshot);
  });

  it('refuses and lists a conflict: the record changed in the store since the file was written; nothing is written [DOSSIER-SRS-8] [DOSSIER-SRS-47]', async () => {
    await seed();
    const folder = join(dir(), 'reqs');
    await dossier('export', 'md', folder);
    await editRecord(deps(), { productKey: 'RPM', record: 'SRS-2', baseRevision: 1, body: 'Changed in the store.' });
    // An untouched file behind the store is no conflict: it is named, and nothing changes.
    const stale = await dossier('sync', folder);
    expect(stale.code).toBe(0);
    expect(stale.out).toMatch(/older than the store \(unchanged files written from an earlier revision; export again to refresh\): 1: SRS\/SRS-2\.md \(revision 1, store 2\)/);
    const srs2 = join(folder, 'SRS/SRS-2.md');
    writeFileSync(srs2, `${readFileSync(srs2, 'utf8')}Changed in the folder.\n`);
    const srs1 = join(folder, 'SRS/SRS-1.md');
    writeFileSync(srs1, `${readFileSync(srs1, 'utf8')}Also changed.\n`);
    const before = await storeSnapshot(deps());
    const sync = await dossier('sync', folder);
    expect(sync.code).toBe(3);
    expect(sync.err).toMatch(/^dossier: 1 record changed in the store since the files were made; nothing was written:\n {2}.*reqs\/SRS\/SRS-2\.md:2:5: SRS-2 is at revision 2 \(by alice at [^)]+\), the file was made from revision 1\n$/);
    const dry = await dossier('sync', folder, '--dry-run');
    expect(dry.code).toBe(3);
    expect(dry.out).toMatch(/Conflicts \(changed in the store since the file was made; refused\):\n {2}.*reqs\/SRS\/SRS-2\.md:2:5: SRS-2 is at revision 2 /);
    expect(await storeSnapshot(deps())).toBe(before);
    expect(readFileSync(srs1, 'utf8')).toMatch(/Also changed\.\n$/);
  });

  it('names every bad file with its line and column, exits 2 and writes nothing [DOSSIER-SRS-48]', async () => {
    await seed();
    const folder = join(dir(), 'reqs');
    await dossier('export', 'md', folder);
    const put = (path: string, text: string): void => writeFileSync(join(folder, path), text);
    put('SRS/a-malformed.md', '---\ntitle: Fine\nfields: [unclosed\n---\nbody\n');
    put('SRS/b-unknown-key.md', '---\ntitle: Fine\npriority: high\n---\n');
    put('SRS/c-wrong-type.md', '---\ntitle: 42\n---\n');
    put('SRS/d-duplicate.md', '---\nid: SRS-2\ntitle: Same record twice\n---\n');
    put('SRS/e-wrong-folder.md', '---\nid: SYS-1\ntitle: A SYS record in the SRS folder\n---\n');
    put('SRS/f-other-product.md', '---\nid: IBC/SRS-1\ntitle: Another product\n---\n');
    put('SRS/g-bad-field.md', '---\ntitle: Fine\nfields:\n  category: galaxy\n  colour: red\n---\n');
    put('SRS/h-no-front-matter.md', '# Just Markdown\n');
    put('SRS/i-dangling.md', '---\ntitle: Fine\nlinks:\n  derives_from: [SYS/nowhere]\n---\n');
    put('SRS/j-link-type.md', '---\ntitle: Fine\nlinks:\n  mitigates_badly: [SYS-1]\n---\n');
    const before = await storeSnapshot(deps());
    const sync = await dossier('sync', folder);
    expect(sync.code).toBe(2);
    const at = (file: string, pos: string, message: RegExp): void => {
      const line = sync.out.split('\n').find((l) => l.includes(`reqs/SRS/${file}:${pos}: `));
      expect(line, `${file}:${pos} in\n${sync.out}`).toBeDefined();
      expect(line).toMatch(message);
    };
    at('a-malformed.md', '4:1', /malformed YAML in the front matter/);
    at('b-unknown-key.md', '3:1', /unknown front-matter key 'priority'/);
    at('c-wrong-type.md', '2:8', /title must be text, not a number/);
    at('e-wrong-folder.md', '2:5', /SYS-1 is a SYS record, but the file is in the SRS folder/);
    at('f-other-product.md', '2:5', /IBC\/SRS-1 is a record of product IBC, not of RPM/);
    at('g-bad-field.md', '4:13', /fields\.category: /);
    at('g-bad-field.md', '5:3', /SRS records have no field 'colour'/);
    at('h-no-front-matter.md', '1:1', /starts with front matter/);
    at('i-dangling.md', '4:18', /links to SYS\/nowhere, which is neither a record ID nor a file in this folder/);
    at('j-link-type.md', '4:3', /unknown link type 'mitigates_badly'/);
    expect(sync.out).toMatch(/reqs\/SRS\/(SRS-2|d-duplicate)\.md:2:5: SRS-2 is also the id of .*reqs\/SRS\/(d-duplicate|SRS-2)\.md/);
    expect(sync.out).toMatch(/Nothing imported into RPM from Markdown folder .*: the files have problems\./);
    expect(await storeSnapshot(deps())).toBe(before);
  });

  it('refuses to export into a folder that is not a Dossier folder, or is another product\'s', async () => {
    await seed();
    const folder = join(dir(), 'notes');
    await dossier('export', 'md', folder);
    writeFileSync(join(folder, 'dossier-folder.yml'), 'format: 1\nproduct: IBC\n');
    const other = await dossier('export', 'md', folder);
    expect([other.code, other.err]).toEqual([2, `dossier: ${folder}/dossier-folder.yml:2:10: the folder holds records of product "IBC", not RPM; nothing was written\n`]);
    const plain = join(dir(), 'plain');
    await dossier('export', 'md', join(plain, 'x'));
    writeFileSync(join(plain, 'README.md'), 'hello');
    const refused = await dossier('export', 'md', plain);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/is not empty and is not a Dossier Markdown folder/);
  });
});

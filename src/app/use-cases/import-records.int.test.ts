import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../core/ports.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { editRecord } from './edit-record.js';
import { getRecord } from './get-record.js';
import { exportRecords } from './export-records.js';
import { importRecords } from './import-records.js';
import { listAuditEvents } from './list-audit-events.js';
import { listLinks } from './list-links.js';
import { listSuspectLinks } from './list-suspect-links.js';

describe.each(DIALECTS)('importing a plan on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SYS', 'SRS']);
  });
  afterEach(async () => t.cleanup());

  const plan = {
    records: [
      { ref: 'SRS001', type: 'SRS', title: 'Encrypt in transit', body: 'TLS 1.3', fields: { externalId: 'SRS001' }, where: 'srs/SRS001.yml:1' },
      { ref: 'TST001', type: 'TC', title: 'TLS handshake test', fields: { externalId: 'TST001', level: 'system' }, where: 'tst/TST001.yml:1' },
    ],
    links: [
      { from: 'SRS001', type: 'derives_from', to: 'SYS-1', where: 'srs/SRS001.yml:5' },
      { from: 'TST001', type: 'verifies', to: 'SRS001', suspect: true, where: 'tst/TST001.yml:5' },
    ],
  };

  it('reports a dry run without writing, then applies the same plan in one transaction with its audit events [DOSSIER-SRS-48]', async () => {
    const before = await storeSnapshot(deps);
    const dry = await importRecords(deps, { productKey: 'RPM', plan, dryRun: true, source: 'doorstop tree reqs/' });
    expect(dry.created.map((c) => [c.ref, c.key])).toEqual([['SRS001', 'SRS-2'], ['TST001', 'TC-1']]);
    expect(dry.linksAdded).toEqual([
      { from: 'SRS-2', type: 'derives_from', to: 'SYS-1', suspect: false },
      { from: 'TC-1', type: 'verifies', to: 'SRS-2', suspect: true },
    ]);
    expect(await storeSnapshot(deps)).toBe(before);

    const done = await importRecords(deps, { productKey: 'RPM', plan, source: 'doorstop tree reqs/' });
    expect(done.created.map((c) => c.key)).toEqual(['SRS-2', 'TC-1']);
    const events = await listAuditEvents(deps, { productKey: 'RPM' });
    const created = events.filter((e) => e.action === 'RECORD_CREATED' && ['RPM/SRS-2', 'RPM/TC-1'].includes(e.entityId));
    expect(created.map((e) => e.reason)).toEqual(['imported from doorstop tree reqs/', 'imported from doorstop tree reqs/']);
    expect(events.filter((e) => e.action === 'LINK_CREATED')).toHaveLength(2);
    // The link the source had not reviewed shows as suspect until confirmed.
    const suspects = await listSuspectLinks(deps, { productKey: 'RPM' });
    expect(suspects.map((s) => `${s.from} ${s.to}`)).toEqual(['TC-1 SRS-2']);
  });

  it('revises changed records, leaves unchanged ones and, in replace mode, removes links the source no longer has', async () => {
    await importRecords(deps, { productKey: 'RPM', plan, source: 'first' });
    const again = {
      linkMode: 'replace' as const,
      records: [
        { ref: 'SRS-2', key: 'SRS-2', baseRevision: 1, type: 'SRS', title: 'Encrypt in transit', body: 'TLS 1.3 only', fields: { externalId: 'SRS001' } },
        { ref: 'TC-1', key: 'TC-1', baseRevision: 1, type: 'TC', title: 'TLS handshake test', fields: { externalId: 'TST001', level: 'system' } },
      ],
      links: [{ from: 'SRS-2', type: 'derives_from', to: 'SYS-1' }],
    };
    const r = await importRecords(deps, { productKey: 'RPM', plan: again, source: 'folder' });
    expect(r.changed).toEqual([{ ref: 'SRS-2', key: 'SRS-2', fromRevision: 1, toRevision: 2 }]);
    expect(r.unchanged).toBe(1);
    expect(r.linksKept).toBe(1);
    expect(r.linksRemoved.map((l) => `${l.from} ${l.type} ${l.to}`)).toEqual(['TC-1 verifies SRS-2']);
    expect((await getRecord(deps, { productKey: 'RPM', record: 'SRS-2' })).revision.body).toBe('TLS 1.3 only');
    expect((await listLinks(deps, { productKey: 'RPM', record: 'TC-1' })).filter((l) => l.removedAt === null)).toEqual([]);
    const removed = (await listAuditEvents(deps, { productKey: 'RPM' })).filter((e) => e.action === 'LINK_REMOVED');
    expect(removed.map((e) => e.reason)).toEqual(['imported from folder']);
  });

  it('refuses a conflict, naming who changed the record since the file was made, and writes nothing [DOSSIER-SRS-8]', async () => {
    await importRecords(deps, { productKey: 'RPM', plan, source: 'first' });
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-2', baseRevision: 1, body: 'changed in the store' });
    const before = await storeSnapshot(deps);
    const stale = { records: [{ ref: 'SRS-2', key: 'SRS-2', baseRevision: 1, type: 'SRS', title: 'x', where: 'srs/SRS-2.md' }] };
    await expectAppError(importRecords(deps, { productKey: 'RPM', plan: stale, source: 'folder' }), 'CONFLICT', /srs\/SRS-2\.md: SRS-2 is at revision 2 \(by alice/);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('collects every problem with where it came from and writes nothing [DOSSIER-SRS-48]', async () => {
    const before = await storeSnapshot(deps);
    const bad = {
      records: [
        { ref: 'A', type: 'NOPE', title: 'Unknown type', where: 'needs.csv row 2' },
        { ref: 'B', type: 'SRS', title: 'Bad field', fields: { level: 'galaxy' }, where: 'needs.csv row 3' },
        { ref: 'C', type: 'SRS', title: 'Fine', where: 'needs.csv row 4' },
        { ref: 'C', type: 'SRS', title: 'Twice', where: 'needs.csv row 5' },
      ],
      links: [
        { from: 'C', type: 'derives_from', to: 'SYS-404', where: 'needs.csv row 4 column D' },
        { from: 'C', type: 'verifies', to: 'SYS-1', where: 'needs.csv row 4 column E' },
      ],
    };
    const dry = await importRecords(deps, { productKey: 'RPM', plan: bad, dryRun: true, source: 'needs.csv' });
    expect(dry.problems.map((p) => p.where)).toEqual([
      'needs.csv row 2',
      'needs.csv row 3',
      'needs.csv row 5',
      'needs.csv row 4 column D',
      'needs.csv row 4 column E',
    ]);
    expect(dry.problems[0]?.message).toMatch(/unknown record type 'NOPE'/);
    expect(dry.problems[3]?.message).toMatch(/SYS-404, which is neither in this import nor a record of RPM/);
    await expectAppError(importRecords(deps, { productKey: 'RPM', plan: bad, source: 'needs.csv' }), 'INVALID_INPUT', /5 problems; nothing was written:\n {2}needs\.csv row 2: /);
    expect(await storeSnapshot(deps)).toBe(before);
  });
});

describe.each(DIALECTS)('exporting every record on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SYS', 'SRS']);
  });
  afterEach(async () => t.cleanup());

  it('reads each record at its latest revision with every active link, and imports back unchanged', async () => {
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, body: 'Second revision.' });
    await importRecords(deps, { productKey: 'RPM', plan: { links: [{ from: 'SRS-1', type: 'derives_from', to: 'SYS-1' }] }, source: 'test' });
    const out = await exportRecords(deps, { productKey: 'RPM' });
    expect(out.records.map((r) => [r.key, r.revision, r.body])).toEqual([
      ['SRS-1', 2, 'Second revision.'],
      ['SYS-1', 1, expect.any(String)],
    ]);
    expect(out.links.map((l) => `${l.from} ${l.type} ${l.to}`)).toEqual(['SRS-1 derives_from SYS-1']);
    const back = await importRecords(deps, {
      productKey: 'RPM',
      source: 'round trip',
      plan: {
        linkMode: 'replace',
        records: out.records.map((r) => ({ ref: r.key, key: r.key, baseRevision: r.revision, type: r.type, title: r.title, body: r.body, fields: r.fields })),
        links: out.links.map((l) => ({ from: l.from, type: l.type, to: l.to })),
      },
    });
    expect(back).toMatchObject({ created: [], changed: [], unchanged: 2, linksAdded: [], linksKept: 1, linksRemoved: [] });
  });
});

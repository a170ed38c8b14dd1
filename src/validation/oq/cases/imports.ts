import assert from 'node:assert/strict';
import { addRecords } from '../../../app/use-cases/add-records.js';
import { editRecord } from '../../../app/use-cases/edit-record.js';
import { importRecords } from '../../../app/use-cases/import-records.js';
import { listAuditEvents } from '../../../app/use-cases/list-audit-events.js';
import { listLinks } from '../../../app/use-cases/list-links.js';
import { listRecords } from '../../../app/use-cases/list-records.js';
import { planFromSheet, readColumnMap } from '../../../ingest/column-map.js';
import { readMarkdownFolder, type FolderFile } from '../../../ingest/markdown-folder.js';
import { readCsvText } from '../../../ingest/sheet-csv.js';
import type { OqCase } from '../oq-case.js';
import { refused } from './records.js';
import { aProduct, P, snapshot } from './support.js';

const file = (path: string, text: string): FolderFile => ({ path, bytes: Buffer.from(text) });

const MAP = `
id: Req ID
type: SRS
title: Title
fields:
  priority: Priority
links:
  derives_from: { column: Parent, separator: ";" }
`;

export const IMPORT_CASES: readonly OqCase[] = [
  {
    id: 'OQ-22',
    title: 'a Markdown folder import is one plan: a dry run lists every problem with file, line and column, a bad plan writes nothing, a sound one applies in one transaction',
    verifies: ['SRS-48'],
    async run({ deps }) {
      await aProduct(deps);
      await addRecords(deps, { productKey: P, records: [{ type: 'SYS', title: 'Readings reach the console within 5 minutes' }] });
      const options = { productKey: P, catalog: deps.catalog, prefix: 'reqs/' };
      const before = await snapshot(deps);

      const bad = readMarkdownFolder(
        [
          file('SRS/alarm.md', '---\ntitle: Alarm on high reading\nlinks:\n  derives_from: SYS-1\n---\nRaise an alarm.\n'),
          file('TC/galaxy.md', '---\ntitle: Alarm test\nfields:\n  level: galaxy\nlinks:\n  verifies: SRS/alarm.md\n---\n'),
          file('TC/elsewhere.md', '---\ntitle: Other product\nfields:\n  level: unit\nlinks:\n  verifies: [OTHER/SRS-1]\n---\n'),
          file('TC/missing.md', '---\ntitle: Missing target\nfields:\n  level: unit\nlinks:\n  verifies: SRS-404\n---\n'),
        ],
        options,
      );
      // The reader finds what one file shows on its own, at its line and column; the dry run what needs the store.
      assert.deepEqual(bad.problems.map((p) => p.where), ['reqs/TC/galaxy.md:4:10', 'reqs/TC/elsewhere.md:6:14']);
      assert.match(bad.problems[0]?.message ?? '', /fields\.level/);
      const dry = await importRecords(deps, { productKey: P, plan: bad.plan, dryRun: true, source: 'folder reqs/' });
      const all = [...bad.problems, ...dry.problems];
      assert.ok(all.length >= 3, all.map((p) => `${p.where}: ${p.message}`).join('\n'));
      for (const p of all) assert.match(p.where, /^reqs\/TC\/[a-z]+\.md(:\d+:\d+)?$/, `${p.where}: ${p.message}`);
      assert.ok(dry.problems.some((p) => p.where.startsWith('reqs/TC/missing.md') && /SRS-404/.test(p.message)), dry.problems.map((p) => p.message).join('\n'));
      assert.equal(await snapshot(deps), before, 'a dry run wrote something');
      await refused(importRecords(deps, { productKey: P, plan: bad.plan, source: 'folder reqs/' }), 'INVALID_INPUT', /1 problem; nothing was written:\n {2}reqs\/TC\/missing\.md:6:13: links to SRS-404/);
      assert.equal(await snapshot(deps), before, 'a refused import wrote part of itself');

      const good = readMarkdownFolder(
        [
          file('SRS/alarm.md', '---\ntitle: Alarm on high reading\nlinks:\n  derives_from: SYS-1\n---\nRaise an alarm.\n'),
          file('TC/alarm-test.md', '---\ntitle: Alarm test\nfields:\n  level: system\nlinks:\n  verifies: SRS/alarm.md\n---\n'),
        ],
        options,
      );
      assert.deepEqual(good.problems, []);
      const done = await importRecords(deps, { productKey: P, plan: good.plan, source: 'folder reqs/' });
      assert.deepEqual(done.created.map((c) => c.key), ['SRS-1', 'TC-1']);
      assert.deepEqual((await listLinks(deps, { productKey: P })).map((l) => `${l.fromKey} ${l.type} ${l.toKey}`).sort(), ['SRS-1 derives_from SYS-1', 'TC-1 verifies SRS-1']);
      const events = (await listAuditEvents(deps, { productKey: P, limit: 1000 })).filter((e) => e.reason === 'imported from folder reqs/');
      assert.deepEqual(events.map((e) => e.action), ['RECORD_CREATED', 'RECORD_CREATED', 'LINK_CREATED', 'LINK_CREATED']);
      // One transaction: every event of the import carries the same time.
      assert.equal(new Set(events.map((e) => e.occurredAt)).size, 1);
    },
  },
  {
    id: 'OQ-23',
    title: 'a CSV import reports each bad cell with row and column and leaves bad rows out; a plan with a stale record is refused whole',
    verifies: ['SRS-48'],
    async run({ deps }) {
      await aProduct(deps);
      await addRecords(deps, { productKey: P, records: [{ type: 'SYS', title: 'Readings reach the console within 5 minutes' }] });
      const map = readColumnMap(MAP, 'map.yaml', deps.catalog);
      const csv = [
        'Req ID,Title,Priority,Parent',
        'R-1,Alarm on high reading,must,SYS-1',
        'R-2,,should,SYS-1',
        'R-3,Keep readings 30 days,highest,R-1',
        'R-1,Same ID again,could,',
        'R-4,Show reading age,should,R-1;SYS-1',
      ].join('\n');
      const read = planFromSheet(readCsvText(csv, 'reqs.csv'), map, deps.catalog);
      assert.deepEqual(read.problems.map((p) => p.where), ['reqs.csv row 3 column B (Title)', 'reqs.csv row 4 column C (Priority)', 'reqs.csv row 5 column A (Req ID)']);
      assert.match(read.problems[1]?.message ?? '', /priority is one of must, should, could, not 'highest'/);
      // R-1 is given twice, so which is meant cannot be told: it is left out, and so are links to it.
      assert.deepEqual(read.plan.records?.map((r) => r.ref), ['R-4']);

      const before = await snapshot(deps);
      const dry = await importRecords(deps, { productKey: P, plan: read.plan, dryRun: true, source: 'CSV reqs.csv' });
      assert.deepEqual(dry.created.map((c) => [c.ref, c.key]), [['R-4', 'SRS-1']]);
      assert.equal(await snapshot(deps), before, 'a dry run wrote something');
      await importRecords(deps, { productKey: P, plan: read.plan, source: 'CSV reqs.csv' });
      assert.deepEqual((await listRecords(deps, { productKey: P, type: 'SRS' })).map((r) => r.key), ['SRS-1']);

      // A later import made from an older revision of SRS-1, beside a new record: refused whole.
      await editRecord(deps, { productKey: P, record: 'SRS-1', baseRevision: 1, body: 'Changed in Dossier meanwhile.' });
      const afterEdit = await snapshot(deps);
      const stale = {
        records: [
          { ref: 'R-5', type: 'SRS', title: 'A new requirement', where: 'reqs.csv row 7' },
          { ref: 'SRS-1', key: 'SRS-1', baseRevision: 1, type: 'SRS', title: 'Show reading age, in minutes', where: 'reqs.csv row 6' },
        ],
      };
      await refused(importRecords(deps, { productKey: P, plan: stale, source: 'CSV reqs.csv' }), 'CONFLICT', /reqs\.csv row 6: SRS-1 is at revision 2/);
      assert.equal(await snapshot(deps), afterEdit, 'a refused import wrote part of itself');
    },
  },
];

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { getRecord } from '../../app/use-cases/get-record.js';
import { listAuditEvents } from '../../app/use-cases/list-audit-events.js';
import { listLinks } from '../../app/use-cases/list-links.js';
import type { Deps } from '../../core/ports.js';
import { storeSnapshot } from '../../test-support/assertions.js';
import { useCli } from '../../test-support/cli.js';
import { aProduct, someRecords } from '../../test-support/factories.js';
import { DIALECTS, testDeps } from '../../test-support/stores.js';

/** A software requirements sheet as a team keeps it: a title row, then the header; refs to a system requirement. */
const NEEDS_CSV = [
  'VitalLink software requirements (exported 2026-11-30);;;;;;',
  'Req ID;Type;Title;Description;Priority;Derived from;Verifies',
  'SRS-A1;SRS;Alarm on high heart rate;"Raise an alarm when the heart rate is over the patient\'s limit.\nWithin 2 seconds.";Must;SYS-1;',
  'SRS-A2;SRS;Keep readings 30 days;Readings stay on the device for 30 days when offline.;should;SYS-1;',
  'TST-1;Test case;Alarm raised within 2 s;Inject a reading over the limit.;;;SRS-A1',
  'TST-2;TC;Readings survive 30 days offline;;;;"SRS-A2, SRS-1"',
].join('\r\n');

const NEEDS_MAP = `
id: Req ID
type: { column: Type }
title: Title
body: Description
fields:
  priority: Priority
  level: Level
links:
  derives_from: Derived from
  verifies: { column: Verifies, separator: "," }
`;

describe.each(DIALECTS)('dossier import csv and xlsx on %s', (dialect) => {
  const cli = useCli(dialect);
  const dossier = cli.dossier;
  let deps: Deps;
  const file = (name: string, text: string | Uint8Array): string => {
    const p = join(cli.dir(), name);
    writeFileSync(p, text);
    return p;
  };
  beforeEach(async () => {
    deps = testDeps(cli.t().store);
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SYS', 'SRS']);
  });

  it('a dry run of a CSV shows what it would create and writes nothing; the real run writes it in one go with its audit events [DOSSIER-SRS-48]', async () => {
    const csv = file('needs.csv', `\uFEFF${NEEDS_CSV}`);
    // The map names a Level column the sheet lacks: refused before anything, listing the headers found.
    const noLevel = await dossier('import', 'csv', csv, '--map', file('map.yaml', NEEDS_MAP), '--dry-run');
    expect([noLevel.code, noLevel.err.trim()]).toEqual([
      2,
      "dossier: needs.csv: no header row has the mapped column 'Level' (fields.level); the headers found in row 2: Req ID, Type, Title, Description, Priority, Derived from, Verifies",
    ]);
    const map = file('map.yaml', NEEDS_MAP.replace('  level: Level\n', ''));
    const before = await storeSnapshot(deps);
    // TC records need a level: the map gives none, so each test row is refused, and nothing is written.
    const noLevels = await dossier('import', 'csv', csv, '--map', map);
    expect(noLevels.code).toBe(2);
    expect(noLevels.out).toMatch(/^ {2}needs\.csv row 5: TC records need level, and the map gives no column for it \(fields\.level\)$/m);
    expect(await storeSnapshot(deps)).toBe(before);

    const withLevel = file('needs2.csv', NEEDS_CSV.replace('Derived from;Verifies', 'Derived from;Verifies;Level').replace(/(SRS-A1|"SRS-A2, SRS-1")$/gm, '$1;system'));
    const dry = await dossier('import', 'csv', withLevel, '--map', file('map2.yaml', NEEDS_MAP), '--dry-run');
    expect(dry.code, dry.out + dry.err).toBe(0);
    expect(dry.out).toContain('Dry run of importing CSV needs2.csv into RPM: nothing was written.');
    expect(dry.out).toContain('  records: 4 to create, 0 to revise, 0 unchanged');
    expect(dry.out).toContain('  links: 5 to add (0 suspect), 0 already there, 0 to remove');
    expect(dry.out).toMatch(/^ {2}SRS-A1 → SRS-2 {2}Alarm on high heart rate$/m);
    expect(dry.out).toMatch(/^ {2}TST-2 → TC-2 {2}Readings survive 30 days offline$/m);
    expect(dry.out).toMatch(/^ {2}Verifies \(column G\) → verifies links \(separated by ',' or line breaks\)$/m);
    expect(await storeSnapshot(deps)).toBe(before);

    const done = await dossier('--json', 'import', 'csv', withLevel, '--map', file('map2.yaml', NEEDS_MAP), '--reason', 'requirements moved from the spreadsheet');
    expect(done.code, done.out + done.err).toBe(0);
    const report = JSON.parse(done.out) as { created: { ref: string; key: string }[]; linksAdded: { from: string; type: string; to: string }[] };
    expect(report.created.map((c) => `${c.ref}=${c.key}`)).toEqual(['SRS-A1=SRS-2', 'SRS-A2=SRS-3', 'TST-1=TC-1', 'TST-2=TC-2']);
    expect(report.linksAdded.map((l) => `${l.from} ${l.type} ${l.to}`)).toEqual([
      'SRS-2 derives_from SYS-1',
      'SRS-3 derives_from SYS-1',
      'TC-1 verifies SRS-2',
      'TC-2 verifies SRS-3',
      'TC-2 verifies SRS-1',
    ]);
    const alarm = await getRecord(deps, { productKey: 'RPM', record: 'SRS-2' });
    expect([alarm.revision.title, alarm.revision.body, alarm.revision.fields]).toEqual([
      'Alarm on high heart rate',
      "Raise an alarm when the heart rate is over the patient's limit.\nWithin 2 seconds.",
      { priority: 'must', riskControl: false, externalId: 'SRS-A1' },
    ]);
    expect((await getRecord(deps, { productKey: 'RPM', record: 'TC-2' })).revision.fields).toMatchObject({ level: 'system', externalId: 'TST-2' });
    const events = (await listAuditEvents(deps, { productKey: 'RPM' })).filter((e) => e.reason === 'requirements moved from the spreadsheet');
    expect(events.filter((e) => e.action === 'RECORD_CREATED').map((e) => e.entityId)).toEqual(['RPM/SRS-2', 'RPM/SRS-3', 'RPM/TC-1', 'RPM/TC-2']);
    expect(events.filter((e) => e.action === 'LINK_CREATED')).toHaveLength(5);
    expect(new Set(events.map((e) => e.actor))).toEqual(new Set(['erin']));
    expect(events).toHaveLength(9);
  });

  it('rows naming an existing key revise it and keep what the sheet does not map', async () => {
    const map = file('map.yaml', 'id: ID\ntype: SRS\ntitle: Title\nkey: Dossier key\nfields: { priority: Priority }\n');
    const csv = file('update.csv', 'ID,Dossier key,Title,Priority\nREQ-9,SRS-1,Readings are encrypted with TLS 1.3,could\n');
    const before = (await getRecord(deps, { productKey: 'RPM', record: 'SRS-1' })).revision;
    const r = await dossier('import', 'csv', csv, '--map', map);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/^ {2}records: 0 created, 1 revised, 0 unchanged$/m);
    expect(r.out).toMatch(/^ {2}SRS-1 revision 1 → 2$/m);
    const after = (await getRecord(deps, { productKey: 'RPM', record: 'SRS-1' })).revision;
    expect([after.title, after.body, after.fields]).toEqual(['Readings are encrypted with TLS 1.3', before.body, { ...before.fields, priority: 'could', externalId: 'REQ-9' }]);
    const revised = (await listAuditEvents(deps, { entityId: 'RPM/SRS-1' })).at(-1);
    expect([revised?.action, revised?.actor, revised?.reason]).toEqual(['RECORD_REVISED', 'erin', 'imported from CSV update.csv']);
    // The same sheet again changes nothing.
    expect((await dossier('import', 'csv', csv, '--map', map)).out).toMatch(/^ {2}records: 0 created, 0 revised, 1 unchanged$/m);
  });

  it('refuses a CSV with problems, naming each row and column, and writes nothing [DOSSIER-SRS-48]', async () => {
    const map = file('map.yaml', NEEDS_MAP.replace('  level: Level\n', '  level: Level\n  automated: Automated\n'));
    const csv = file(
      'bad.csv',
      [
        'Req ID,Type,Title,Description,Priority,Derived from,Verifies,Level,Automated',
        'R-1,SRS,Fine requirement,,must,SYS-404,,,',
        'R-2,Widget,Unknown type,,,,,,',
        'T-1,TC,Wrong value type,,,,R-1,unit,sometimes',
        'T-1,TC,Same ID,,,,,unit,',
        'T-3,TC,,,,,,unit,',
        'T-4,TC,Verifies a missing record,,,,SRS-99,unit,',
      ].join('\n'),
    );
    const before = await storeSnapshot(deps);
    const r = await dossier('import', 'csv', csv, '--map', map);
    expect(r.code).toBe(2);
    expect(r.out).toContain('Nothing imported into RPM from CSV bad.csv: the files have problems.');
    const problems = r.out.split('\n').filter((l) => /^ {2}bad\.csv /.test(l));
    expect(problems).toEqual([
      expect.stringMatching(/^ {2}bad\.csv row 3 column B \(Type\): unknown record type 'Widget'; known types: /) as unknown,
      "  bad.csv row 4 column I (Automated): automated is true or false (yes or no), not 'sometimes'",
      '  bad.csv row 5 column A (Req ID): duplicate ID T-1: row 4 has it too',
      '  bad.csv row 6 column C (Title): empty required cell: every row needs a title',
      '  bad.csv row 2 column F (Derived from): links to SYS-404, which is neither in this import nor a record of RPM',
      '  bad.csv row 7 column G (Verifies): links to SRS-99, which is neither in this import nor a record of RPM',
    ]);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('imports a worksheet of test cases from an XLSX workbook, chosen with --sheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Cover').addRow(['VitalLink verification plan']);
    const ws = wb.addWorksheet('Tests');
    ws.addRow(['Test cases, release 2.1']);
    ws.addRow(['Test ID', 'Title', 'Level', 'Automated', 'Acceptance criteria', 'Verifies']);
    ws.addRow(['VT-10', 'Heart-rate alarm fires', 'System', true, 'Alarm within 2 s', 'SRS-1\nSYS-1']);
    ws.addRow(['VT-11', 'Readings upload after reconnect', 'integration', false, { richText: [{ text: 'All readings ' }, { text: 'arrive', font: { bold: true } }] }, '']);
    const xlsx = file('plan.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    const map = file(
      'tests.yaml',
      'id: Test ID\ntype: TC\ntitle: Title\nfields:\n  level: Level\n  automated: Automated\n  acceptanceCriteria: Acceptance criteria\nlinks:\n  verifies: Verifies\n',
    );
    const wrongSheet = await dossier('import', 'xlsx', xlsx, '--map', map, '--sheet', 'Test');
    expect([wrongSheet.code, wrongSheet.err.trim()]).toEqual([2, "dossier: plan.xlsx: no worksheet named 'Test'; its worksheets: 'Cover', 'Tests'"]);
    const before = await storeSnapshot(deps);
    const dry = await dossier('import', 'xlsx', xlsx, '--map', map, '--sheet', 'Tests', '--dry-run');
    expect(dry.code, dry.out + dry.err).toBe(0);
    expect(dry.out).toMatch(/^ {2}plan\.xlsx Tests: header row 2, 2 data rows$/m);
    expect(dry.out).toContain('  links: 2 to add (0 suspect), 0 already there, 0 to remove');
    expect(await storeSnapshot(deps)).toBe(before);
    const done = await dossier('import', 'xlsx', xlsx, '--map', map, '--sheet', 'Tests');
    expect(done.code, done.out + done.err).toBe(0);
    expect((await getRecord(deps, { productKey: 'RPM', record: 'TC-1' })).revision.fields).toEqual({
      level: 'system',
      automated: true,
      acceptanceCriteria: 'Alarm within 2 s',
      steps: [],
      externalId: 'VT-10',
    });
    expect((await getRecord(deps, { productKey: 'RPM', record: 'TC-2' })).revision.fields).toMatchObject({ level: 'integration', automated: false, acceptanceCriteria: 'All readings arrive' });
    expect((await listLinks(deps, { productKey: 'RPM', record: 'TC-1' })).map((l) => `${l.fromKey} ${l.type} ${l.toKey}`)).toEqual(['TC-1 verifies SRS-1', 'TC-1 verifies SYS-1']);
    const created = (await listAuditEvents(deps, { productKey: 'RPM' })).filter((e) => e.reason === 'imported from XLSX plan.xlsx (Tests)');
    expect(created.map((e) => `${e.action} ${e.actor}`)).toEqual(['RECORD_CREATED erin', 'RECORD_CREATED erin', 'LINK_CREATED erin', 'LINK_CREATED erin']);
  });

  it('refuses merged and formula cells in a workbook at their A1 place, and writes nothing', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['ID', 'Title', 'Priority']);
    ws.addRow(['R-1', 'Encrypt readings', 'must']);
    ws.addRow(['R-2', 'Spans two rows', 'should']);
    ws.addRow(['R-3', '', 'could']);
    ws.mergeCells('B3:B4');
    ws.getCell('C2').value = { formula: 'IF(A2="R-1","must","could")', result: 'must' };
    const xlsx = file('reqs.xlsx', new Uint8Array(await wb.xlsx.writeBuffer()));
    const map = file('map.yaml', 'id: ID\ntype: SRS\ntitle: Title\nfields:\n  priority: Priority\n');
    const before = await storeSnapshot(deps);
    const r = await dossier('import', 'xlsx', xlsx, '--map', map);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^ {2}reqs\.xlsx Sheet1!C2 \(Priority\): a formula \(=IF\(A2="R-1","must","could"\)\): the value saved with it may be stale/m);
    expect(r.out).toMatch(/^ {2}reqs\.xlsx Sheet1!B3 \(Title\): merged cells B3:B4: unmerge them and give each cell its own value$/m);
    expect(await storeSnapshot(deps)).toBe(before);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { describeFields } from '../core/catalog/field-input.js';
import { getRecordType } from '../core/catalog/catalog.js';
import { fieldValue, keysInSheet, planFromSheet, readColumnMap } from './column-map.js';
import { readCsvText } from './sheet-csv.js';
import type { SheetTable } from './sheet-table.js';

const MAP = `
id: Req ID
type: SRS
title: Title
body: Description
key: Dossier key
fields:
  priority: Priority
  riskControl: Risk control
links:
  derives_from: { column: Parent, separator: ";" }
`;

const map = (text = MAP): ReturnType<typeof readColumnMap> => readColumnMap(text, 'map.yaml', DEFAULT_CATALOG);

describe('reading a column map', () => {
  it('reads a map and normalizes a fixed type written in another case', () => {
    const m = map(MAP.replace('type: SRS', 'type: srs'));
    expect(m.type).toBe('SRS');
    expect(m.links).toEqual({ derives_from: { column: 'Parent', separator: ';' } });
  });

  it('refuses an unknown type, link type or field at its line and column, with a suggestion', () => {
    expect(() => map(MAP.replace('type: SRS', 'type: SRQ'))).toThrow(/^map\.yaml:3:7: type: unknown record type 'SRQ'; known types: UN, /);
    expect(() => map(MAP.replace('derives_from:', 'derive_from:'))).toThrow(/^map\.yaml:11:16: links\.derive_from: unknown link type 'derive_from' \(did you mean derives_from\?\)/);
    expect(() => map(MAP.replace('priority:', 'priorty:'))).toThrow(/^map\.yaml:8:12: fields\.priorty: SRS records have no field 'priorty' \(did you mean priority\?\)/);
    expect(() => map(MAP.replace('title: Title\n', ''))).toThrow(/^map\.yaml:\d+:\d+: title: /);
    expect(() => map(`${MAP}colour: red\n`)).toThrow(/^map\.yaml:\d+:\d+: .*colour/);
    expect(() => map(MAP.replace('type: SRS', 'type: { column: Kind }').replace('priority:', 'nonsense:'))).toThrow(/no record type has field 'nonsense'/);
  });
});

describe('coercing a cell to a field', () => {
  const tc = describeFields(getRecordType(DEFAULT_CATALOG, 'TC'));
  const f = (name: string): NonNullable<(typeof tc)[number]> => tc.find((x) => x.name === name)!;
  it('turns text into the declared type, leniently for choices and booleans', () => {
    expect(fieldValue(f('level'), 'System')).toEqual({ value: 'system' });
    expect(fieldValue(f('automated'), 'Yes')).toEqual({ value: true });
    expect(fieldValue(f('automated'), '0')).toEqual({ value: false });
    expect(fieldValue(f('steps'), '[{"action":"a","expected":"b"}]')).toEqual({ value: [{ action: 'a', expected: 'b' }] });
    expect(fieldValue(f('level'), 'sytem')).toEqual({ error: "level is one of unit, integration, system, not 'sytem' (did you mean system?)" });
    expect(fieldValue(f('automated'), 'maybe')).toEqual({ error: "automated is true or false (yes or no), not 'maybe'" });
    expect(fieldValue(f('steps'), 'press the button')).toMatchObject({ error: expect.stringMatching(/steps takes a list written as JSON/) as unknown });
  });
});

const CSV = [
  'Software requirements export,,,,,,',
  'Req ID,Title,Description,PRIORITY,Risk  control,Parent,Dossier key',
  'R-1,Alarm on high reading,"Raise an alarm when a reading is over the limit.\nWithin 2 s.",Must,yes,SYS-1,',
  ',,,,,,',
  'R-2,Store readings,Keep readings 30 days,should,no,R-1;SYS-1,SRS-4',
].join('\n');

describe('making a plan from a sheet', () => {
  it('finds the header row by name, maps each row and coerces values; rows naming a key update it', () => {
    const t = readCsvText(CSV, 'reqs.csv');
    const read = planFromSheet(t, map(), DEFAULT_CATALOG, (k) => (k === 'SRS-4' ? { type: 'SRS', body: 'old', fields: { rationale: 'kept', priority: 'could' } } : undefined));
    expect(read.problems).toEqual([]);
    expect(read.plan.records).toEqual([
      {
        ref: 'R-1',
        type: 'SRS',
        title: 'Alarm on high reading',
        body: 'Raise an alarm when a reading is over the limit.\nWithin 2 s.',
        fields: { priority: 'must', riskControl: true, externalId: 'R-1' },
        where: 'reqs.csv row 3',
      },
      {
        ref: 'R-2',
        key: 'SRS-4',
        type: 'SRS',
        title: 'Store readings',
        body: 'Keep readings 30 days',
        fields: { priority: 'should', riskControl: false, rationale: 'kept', externalId: 'R-2' },
        where: 'reqs.csv row 5',
      },
    ]);
    expect(read.plan.links).toEqual([
      { from: 'R-1', type: 'derives_from', to: 'SYS-1', where: 'reqs.csv row 3 column F (Parent)' },
      { from: 'R-2', type: 'derives_from', to: 'R-1', where: 'reqs.csv row 5 column F (Parent)' },
      { from: 'R-2', type: 'derives_from', to: 'SYS-1', where: 'reqs.csv row 5 column F (Parent)' },
    ]);
    expect(read.mapping[0]).toBe('reqs.csv: header row 2, 2 data rows');
    expect(read.mapping).toContain('Risk  control (column E) → field riskControl');
    expect(keysInSheet(t, map())).toEqual(['SRS-4']);
  });

  it('refuses a sheet without a mapped column, listing the headers it has', () => {
    const t = readCsvText('ID,Title,Parent\nR-1,x,\n', 'reqs.csv');
    expect(() => planFromSheet(t, map(), DEFAULT_CATALOG)).toThrow(
      "reqs.csv: no header row has the mapped columns 'Req ID' (id), 'Description' (body), 'Dossier key' (key), 'Priority' (fields.priority), 'Risk control' (fields.riskControl); the headers found in row 1: ID, Title, Parent",
    );
  });

  it('collects every problem with its cell and leaves bad rows, and links to them, out of the plan', () => {
    const m = map(`
id: ID
type: { column: Type }
title: Title
fields:
  level: Level
  priority: Priority
links:
  verifies: Verifies
`);
    const csv = [
      'ID,Type,Title,Level,Priority,Verifies',
      'R-1,SRS,Good requirement,,must,',
      'R-2,SRS,,,,',
      'T-1,Test case,Checks R-1 and R-2,system,,"R-1, R-2"',
      'T-2,TC,Wrong level,galaxy,,R-1',
      'T-3,Widget,Unknown type,,,',
      'R-1,SRS,Same ID again,,,',
      'T-4,TC,Priority on a test,unit,must,',
      'T-5,TC,No level,,,R-1',
      'R-3,SRS,Bad priority,,highest,',
    ].join('\n');
    const read = planFromSheet(readCsvText(csv, 'mixed.csv'), m, DEFAULT_CATALOG);
    expect(read.problems).toEqual([
      { where: 'mixed.csv row 3 column C (Title)', message: 'empty required cell: every row needs a title' },
      { where: 'mixed.csv row 5 column D (Level)', message: "level is one of unit, integration, system, not 'galaxy'" },
      { where: 'mixed.csv row 6 column B (Type)', message: expect.stringMatching(/^unknown record type 'Widget'; known types: UN, SYS, /) as unknown },
      { where: 'mixed.csv row 7 column A (ID)', message: 'duplicate ID R-1: row 2 has it too' },
      { where: 'mixed.csv row 8 column E (Priority)', message: "TC records have no field 'priority'; leave the cell empty on TC rows" },
      { where: 'mixed.csv row 9 column D (Level)', message: 'empty required cell: TC records need level' },
      { where: 'mixed.csv row 10 column E (Priority)', message: "priority is one of must, should, could, not 'highest'" },
    ]);
    // R-1 is given twice (which is meant cannot be told) and R-2 has no title: T-1 is kept, its links to them are not.
    expect(read.plan.records?.map((r) => r.ref)).toEqual(['T-1']);
    expect(read.plan.links).toEqual([]);
  });

  it('refuses merged, formula and error cells in mapped columns, at their A1 place', () => {
    const cell = (text: string, extra: object = {}): { text: string } => ({ text, ...extra });
    const t: SheetTable = {
      file: 'reqs.xlsx',
      sheet: 'Sheet1',
      rows: [
        [cell('ID'), cell('Title'), cell('Priority'), cell('Notes')],
        [cell('R-1'), cell('Merged', { merged: 'B2:B3' }), cell('must'), cell('=ignored', { formula: 'X1' })],
        [cell('R-2'), cell('', { merged: 'B2:B3' }), cell('must', { formula: 'C2' })],
        [cell('R-3'), cell('Fine'), cell('', { error: '#REF!' })],
      ],
    };
    const read = planFromSheet(t, map('id: ID\ntype: SRS\ntitle: Title\nfields: { priority: Priority }\n'), DEFAULT_CATALOG);
    expect(read.problems).toEqual([
      { where: 'reqs.xlsx Sheet1!B2 (Title)', message: 'merged cells B2:B3: unmerge them and give each cell its own value' },
      { where: 'reqs.xlsx Sheet1!C3 (Priority)', message: expect.stringMatching(/^a formula \(=C2\): the value saved with it may be stale/) as unknown },
      { where: 'reqs.xlsx Sheet1!C4 (Priority)', message: 'the cell shows an error (#REF!)' },
    ]);
    expect(read.plan.records).toEqual([]);
  });
});

describe('rows and headers', () => {
  it('skips rows whose mapped cells are blank, and compares headers without case or spaces', () => {
    const t = readCsvText('  id\tTITLE \tNotes\nR-1\tFirst\t\n\t\tjust a note\nR-2\tSecond\t\n', 'tab.csv', { delimiter: '\t' });
    const read = planFromSheet(t, map('id: I D\ntype: SRS\ntitle: title\ndelimiter: tab\n'), DEFAULT_CATALOG);
    expect(read.problems).toEqual([]);
    expect(read.plan.records?.map((r) => `${r.ref} ${r.title} ${r.where ?? ''}`)).toEqual(['R-1 First tab.csv row 2', 'R-2 Second tab.csv row 4']);
    expect(read.mapping[0]).toBe('tab.csv: header row 1, 2 data rows');
  });

  it('refuses a header row that has a mapped column twice', () => {
    const t = readCsvText('ID,Title,title\nR-1,a,b\n', 'twice.csv');
    expect(() => planFromSheet(t, map('id: ID\ntype: SRS\ntitle: Title\n'), DEFAULT_CATALOG)).toThrow(
      "twice.csv row 1: the header 'Title' is in columns B and C; rename one so the mapping can tell them apart",
    );
  });
});

describe('the README example map', () => {
  it('is a valid map', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Importing spreadsheets'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const m = map(yaml);
    expect([m.id, m.type, m.delimiter, Object.keys(m.links)]).toEqual(['Req ID', { column: 'Type' }, ';', ['derives_from', 'verifies']]);
  });
});

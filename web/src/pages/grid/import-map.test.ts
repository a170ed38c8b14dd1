import { describe, expect, it } from 'vitest';
import { checkColumnMap, columnLetter, exampleMap, sheetToPlan, type CatalogTypes } from './import-map';
import { parse } from 'yaml';

const CATALOG: CatalogTypes = {
  recordTypes: [
    {
      key: 'SRS',
      name: 'Software requirement',
      fields: [
        { name: 'priority', kind: 'choice', required: false, values: ['must', 'should', 'could'] },
        { name: 'riskControl', kind: 'boolean', required: false },
        { name: 'externalId', kind: 'text', required: false },
      ],
    },
  ],
  linkTypes: [{ key: 'derives_from' }],
};

describe('the column map', () => {
  it('reads the example map', () => {
    const r = checkColumnMap(parse(exampleMap('SRS', 'priority', 'derives_from')), CATALOG);
    expect(r).toEqual({ map: { id: 'ID', type: 'SRS', title: 'Title', body: 'Description', fields: { priority: { column: 'Priority' } }, links: { derives_from: { column: 'Traces to' } } } });
  });
  it('names every problem of a map by its key', () => {
    const r = checkColumnMap({ id: 'ID', type: 'NOPE', fields: { prio: 'P' }, links: { made_up: 'L' }, extra: 1 }, CATALOG);
    expect('errors' in r && r.errors).toEqual([
      'extra: not a key of a column map (id, type, title, body, key, fields, links)',
      'title: required (the column\'s header)',
      "type: unknown record type 'NOPE'; known types: SRS",
      'fields.prio: no record type has a field \'prio\'',
      'links.made_up: unknown link type; link types: derives_from',
    ]);
  });
  it('names columns as spreadsheets do', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

describe('sheetToPlan', () => {
  const map = { id: 'ID', type: 'SRS', title: 'Title', body: 'Description', fields: { priority: { column: 'Priority' }, riskControl: { column: 'Risk control' } }, links: { derives_from: { column: 'Traces to' } } };
  it('finds the header below a title line, makes records and links, and names bad cells by row and column', () => {
    const rows = [
      ['Requirements export'],
      ['id', 'Title', 'description', 'PRIORITY', 'Risk control', 'Traces to'],
      ['R1', 'Alarm', 'Sound it', 'must', 'yes', 'SYS-1, SYS-2'],
      ['', '', '', '', '', ''],
      ['R2', 'Log', '', 'urgent', '', ''],
      ['R3', 'Export', 'CSV', '', 'no', 'R1'],
    ];
    const { plan, problems, header } = sheetToPlan(rows, map, CATALOG, 'reqs.csv');
    expect(header).toBe(2);
    expect(problems).toEqual([{ where: 'reqs.csv row 5 column D (PRIORITY)', message: "priority is one of must, should, could, not 'urgent'" }]);
    expect(plan.records).toEqual([
      { ref: 'R1', type: 'SRS', title: 'Alarm', body: 'Sound it', fields: { priority: 'must', riskControl: true, externalId: 'R1' }, where: 'reqs.csv row 3' },
      { ref: 'R3', type: 'SRS', title: 'Export', body: 'CSV', fields: { riskControl: false, externalId: 'R3' }, where: 'reqs.csv row 6' },
    ]);
    expect(plan.links).toEqual([
      { from: 'R1', type: 'derives_from', to: 'SYS-1', where: 'reqs.csv row 3 column F (Traces to)' },
      { from: 'R1', type: 'derives_from', to: 'SYS-2', where: 'reqs.csv row 3 column F (Traces to)' },
      { from: 'R3', type: 'derives_from', to: 'R1', where: 'reqs.csv row 6 column F (Traces to)' },
    ]);
  });
  it('says which mapped columns no header row has', () => {
    const { problems } = sheetToPlan([['ID', 'Name']], map, CATALOG, 'x.csv');
    expect(problems[0]?.message).toBe("no header row has the mapped columns 'Title', 'Description', 'Priority', 'Risk control', 'Traces to'");
  });
  it('refuses a row without an ID and an ID given twice', () => {
    const rows = [['ID', 'Title', 'Description', 'Priority', 'Risk control', 'Traces to'], ['', 'x'], ['A', 'a'], ['A', 'b']];
    expect(sheetToPlan(rows, map, CATALOG, 'x.csv').problems.map((p) => p.message)).toEqual(['the row has no ID', 'the ID A is also in row 3']);
  });
  it('keeps the body of a record a row updates when the map has no body column', () => {
    const noBody = { id: 'ID', type: 'SRS', title: 'Title', key: 'Key', fields: {}, links: {} };
    const { plan } = sheetToPlan([['ID', 'Title', 'Key'], ['A', 'New title', 'srs-3'], ['B', 'Other', '']], noBody, CATALOG, 'x.csv', new Map([['SRS-3', 'kept body']]));
    expect(plan.records?.map((r) => [r.ref, r.key, r.body])).toEqual([
      ['A', 'SRS-3', 'kept body'],
      ['B', undefined, ''],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { cellValue, gridColumns, linkTargets, mainUpstreamLink, newRows, pasteBlock, planOf, problemsOf, rowsFromRecords, setCell, type FieldInfo } from './grid-model';

const FIELDS: FieldInfo[] = [
  { name: 'priority', kind: 'choice', required: false, values: ['must', 'should'] },
  { name: 'safetyRelated', kind: 'boolean', required: false },
  { name: 'tags', kind: 'list', required: false, itemKind: 'text' },
  { name: 'effort', kind: 'integer', required: false },
];
const COLS = gridColumns(FIELDS, 'derives_from');
const REC = { key: 'SRS-1', type: 'SRS', revision: 2, status: 'draft', title: 'Alarm', body: 'Sound it', fields: { priority: 'must', tags: ['a', 'b'] } };

describe('the grid model', () => {
  it('has key, title, body, each field and the links column', () => {
    expect(COLS.map((c) => c.id)).toEqual(['key', 'title', 'body', 'f:priority', 'f:safetyRelated', 'f:tags', 'f:effort', 'links']);
    expect(COLS[0]?.editable).toBe(false);
  });

  it('reads records of the type with their upstream links as cells', () => {
    const rows = rowsFromRecords([REC, { ...REC, key: 'SYS-1', type: 'SYS' }], [{ type: 'derives_from', from: 'SRS-1', to: 'SYS-2' }, { type: 'verifies', from: 'SRS-1', to: 'X-1' }], 'SRS', COLS, 'derives_from');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.cells).toMatchObject({ key: 'SRS-1', title: 'Alarm', 'f:priority': 'must', 'f:tags': 'a, b', links: 'SYS-2' });
  });

  it('converts cell text to field values, leaving what does not convert for the server to name', () => {
    expect(cellValue(' yes ', FIELDS[1]!)).toBe(true);
    expect(cellValue('maybe', FIELDS[1]!)).toBe('maybe');
    expect(cellValue('a; b,c', FIELDS[2]!)).toEqual(['a', 'b', 'c']);
    expect(cellValue('3', FIELDS[3]!)).toBe(3);
    expect(cellValue('three', FIELDS[3]!)).toBe('three');
    expect(cellValue('  ', FIELDS[0]!)).toBeUndefined();
    expect(linkTargets('sys-3, SYS-4;SYS-3')).toEqual(['SYS-3', 'SYS-4']);
  });

  it('pastes a block at a cell, skipping the read-only key column and adding rows below', () => {
    const rows = newRows(0, 1);
    const { rows: out, added, lastRow } = pasteBlock(rows, COLS, { row: 0, col: 0 }, [['X', 'T1', 'B1'], ['Y', 'T2'], ['Z', 'T3', 'B3', 'must']], 1);
    expect(added).toBe(2);
    expect(lastRow).toBe(2);
    expect(out.map((r) => r.cells['title'])).toEqual(['T1', 'T2', 'T3']);
    expect(out[0]?.cells['key']).toBeUndefined();
    expect(out[2]?.cells['f:priority']).toBe('must');
    expect(out.map((r) => r.id)).toEqual(['new-0', 'new-1', 'new-2']);
  });

  it('plans only the changed rows: existing ones with key and base revision, new ones, and their new links', () => {
    const existing = rowsFromRecords([REC], [{ type: 'derives_from', from: 'SRS-1', to: 'SYS-2' }], 'SRS', COLS, 'derives_from');
    const rows = [setCell(existing[0]!, 'links', 'SYS-2, SYS-3'), ...newRows(0, 2)];
    rows[2] = setCell(setCell(rows[2]!, 'title', ' New one '), 'f:safetyRelated', 'no');
    const { plan, refs } = planOf(rows, COLS, 'SRS', 'derives_from');
    expect(plan.records).toEqual([
      { ref: 'SRS-1', key: 'SRS-1', baseRevision: 2, type: 'SRS', title: 'Alarm', body: 'Sound it', fields: { priority: 'must', tags: ['a', 'b'] }, where: 'row 1' },
      { ref: 'new-1', type: 'SRS', title: 'New one', body: '', fields: { safetyRelated: false }, where: 'row 3' },
    ]);
    expect(plan.links).toEqual([{ from: 'SRS-1', type: 'derives_from', to: 'SYS-3', where: 'row 1 column links' }]);
    expect(refs.get('new-1')).toBe(2);
    expect(planOf(existing, COLS, 'SRS', 'derives_from').plan.records).toEqual([]);
  });

  it('puts problems on the row and the cell they name, and conflicts on their rows', () => {
    const { cells, stale } = problemsOf(
      {
        problems: [
          { where: 'row 3', message: 'SRS new-2: priority is one of must, should, not "urgent"' },
          { where: 'row 4 column links', message: 'links to SYS-99, which is neither in this import nor a record of RPM' },
          { where: 'row 5', message: 'something else' },
          { where: 'elsewhere', message: 'ignored' },
        ],
        conflicts: [{ ref: 'SRS-1', key: 'SRS-1', where: 'row 1', baseRevision: 1, latestRevision: 2, changedBy: 'quinn', changedAt: '2026-01-01T00:00:00Z' }],
      },
      COLS,
    );
    expect(cells).toEqual([
      { row: 2, column: 'f:priority', message: 'SRS new-2: priority is one of must, should, not "urgent"' },
      { row: 3, column: 'links', message: 'links to SYS-99, which is neither in this import nor a record of RPM' },
      { row: 4, message: 'something else' },
    ]);
    expect(stale.get(0)).toMatch(/quinn/);
  });

  it('picks the upstream link type whose far end is another type', () => {
    const lt = [
      { key: 'refines', from: ['SRS'], to: ['SRS'], upstream: 'to' as const },
      { key: 'derives_from', from: ['SRS'], to: ['SYS'], upstream: 'to' as const },
      { key: 'verifies', from: ['TC'], to: ['SRS'], upstream: 'to' as const },
    ];
    expect(mainUpstreamLink('SRS', lt)).toBe('derives_from');
    expect(mainUpstreamLink('TC', lt)).toBe('verifies');
    expect(mainUpstreamLink('UN', lt)).toBeUndefined();
  });
});

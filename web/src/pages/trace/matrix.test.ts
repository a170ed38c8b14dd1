import { describe, expect, it } from 'vitest';
import { csvCell, matrixCsv, pathText, percent, readMatrixParams, toCsv, visibleRows, writeMatrixParams, type MatrixRowData } from './matrix';

const row = (key: string, covered: boolean, title = `Title of ${key}`): MatrixRowData => ({
  key,
  title,
  status: 'approved',
  covered,
  targets: covered ? [{ key: 'VAL-1', title: 'Usability study', path: [{ key: 'VAL-1', linkType: 'validates' }] }] : [],
});

describe('trace matrix parameters', () => {
  it('reads rows, cols and the gap filter from the URL, upper-casing types and falling back on bad ones', () => {
    expect(readMatrixParams(new URLSearchParams('rows=srs&cols=TC&gaps=1'))).toEqual({ rows: 'SRS', cols: 'TC', gapsOnly: true });
    expect(readMatrixParams(new URLSearchParams(''))).toEqual({ rows: 'UN', cols: 'VAL', gapsOnly: false });
    expect(readMatrixParams(new URLSearchParams('rows=<x>&cols=&gaps=yes'))).toEqual({ rows: 'UN', cols: 'VAL', gapsOnly: false });
  });

  it('writes them back, keeping other parameters and dropping gaps when off', () => {
    expect(writeMatrixParams(new URLSearchParams('x=1&gaps=1'), { rows: 'SYS', cols: 'TC', gapsOnly: false }).toString()).toBe('x=1&rows=SYS&cols=TC');
    expect(writeMatrixParams(new URLSearchParams(''), { rows: 'UN', cols: 'VAL', gapsOnly: true }).toString()).toBe('rows=UN&cols=VAL&gaps=1');
  });
});

describe('trace matrix rows', () => {
  it('keeps only the gaps when asked, and the same array otherwise', () => {
    const rows = [row('UN-1', true), row('UN-2', false), row('UN-3', false)];
    expect(visibleRows(rows, true).map((r) => r.key)).toEqual(['UN-2', 'UN-3']);
    expect(visibleRows(rows, false)).toBe(rows);
  });

  it('keeps every gap of 100,000 rows', () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ covered: i % 7 !== 0 }));
    expect(visibleRows(rows, true)).toHaveLength(Math.ceil(100_000 / 7));
  });

  it('writes a chain as text', () => {
    expect(pathText('UN-1', [{ key: 'SYS-2', linkType: 'derives_from' }, { key: 'TC-4', linkType: 'verifies' }])).toBe('UN-1 → SYS-2 (derives_from) → TC-4 (verifies)');
  });

  it('shows coverage as a percentage', () => {
    expect(percent(0.875)).toBe('87.5 %');
    expect(percent(1)).toBe('100 %');
    expect(percent(0)).toBe('0 %');
  });
});

describe('trace matrix CSV', () => {
  it('neutralises cells a spreadsheet would read as formulas, like the server export', () => {
    for (const v of ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(v)).toBe(`'${v}`);
    expect(csvCell('-')).toBe('-');
    expect(csvCell('Pump A')).toBe('Pump A');
  });

  it('quotes separators, quotes and line breaks (RFC 4180)', () => {
    expect(toCsv([['a,b', 'say "hi"', 'two\nlines', 'plain']])).toBe('"a,b","say ""hi""","two\nlines",plain\r\n');
    expect(toCsv([['=1+1,2']])).toBe(`"'=1+1,2"\r\n`);
  });

  it('has a header, one line per row shown, GAP for an uncovered row, targets and paths', () => {
    const csv = matrixCsv('UN', 'VAL', [row('UN-1', true), row('UN-2', false, '=cmd|" /C calc"!A0')]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('UN,Title,Status,Coverage,VAL records,Trace paths');
    expect(lines[1]).toBe('UN-1,Title of UN-1,approved,covered,VAL-1,UN-1 → VAL-1 (validates)');
    expect(lines[2]).toBe(`UN-2,"'=cmd|"" /C calc""!A0",approved,GAP,,`);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });
});

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { expectAppError } from '../test-support/assertions.js';
import { readXlsx } from './sheet-xlsx.js';

async function workbook(fill: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  fill(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('reading XLSX', () => {
  it('reads every kind of value as text, keeping formulas and merges for the mapping to refuse', async () => {
    const bytes = await workbook((wb) => {
      wb.addWorksheet('Notes').addRow(['not this one']);
      const ws = wb.addWorksheet('Reqs');
      ws.addRow(['ID', 'Title', 'Count', 'Due', 'Risk control', 'Notes']);
      ws.addRow(['R1', { richText: [{ text: 'Alarm ' }, { text: 'high', font: { bold: true } }] }, 3, new Date(Date.UTC(2026, 5, 30)), true, { text: 'spec', hyperlink: 'https://example.org' }]);
      ws.getCell('C3').value = { formula: 'C2*2', result: 6 };
      ws.getCell('A3').value = 'R2';
      ws.mergeCells('B4:C4');
      ws.getCell('B4').value = 'spans two';
      ws.getCell('D3').value = { error: '#N/A' };
    });
    const t = await readXlsx(bytes, 'reqs.xlsx', { sheet: 'Reqs' });
    expect(t.sheet).toBe('Reqs');
    expect(t.rows[0]?.map((c) => c?.text)).toEqual(['ID', 'Title', 'Count', 'Due', 'Risk control', 'Notes']);
    expect(t.rows[1]?.map((c) => c?.text)).toEqual(['R1', 'Alarm high', '3', '2026-06-30', 'true', 'spec']);
    expect(t.rows[2]?.[2]).toEqual({ text: '6', formula: 'C2*2' });
    expect(t.rows[2]?.[3]).toMatchObject({ error: '#N/A' });
    expect(t.rows[3]?.[1]).toEqual({ text: 'spans two', merged: 'B4:C4' });
    expect(t.rows[3]?.[2]).toEqual({ text: '', merged: 'B4:C4' });
  });

  it('reads the first worksheet by default', async () => {
    const bytes = await workbook((wb) => {
      wb.addWorksheet('First').addRow(['a']);
      wb.addWorksheet('Second').addRow(['b']);
    });
    const t = await readXlsx(bytes, 'w.xlsx');
    expect([t.sheet, t.rows[0]?.[0]?.text]).toEqual(['First', 'a']);
  });

  it('refuses an unknown worksheet, listing those there are, and a file that is not a workbook', async () => {
    const bytes = await workbook((wb) => {
      wb.addWorksheet('Reqs');
      wb.addWorksheet('Tests');
    });
    await expectAppError(readXlsx(bytes, 'w.xlsx', { sheet: 'Risks' }), 'INVALID_INPUT', /^w\.xlsx: no worksheet named 'Risks'; its worksheets: 'Reqs', 'Tests'$/);
    await expectAppError(readXlsx(new TextEncoder().encode('ID,Title\n'), 'w.xlsx'), 'INVALID_INPUT', /^w\.xlsx: not a readable XLSX workbook/);
  });
});

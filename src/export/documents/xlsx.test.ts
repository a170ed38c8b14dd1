import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../core/documents/model.js';
import { aDocument, syntheticTechnicalFile } from '../../test-support/document-fixtures.js';
import { renderXlsx } from './xlsx.js';

async function read(bytes: Uint8Array | undefined): Promise<ExcelJS.Workbook> {
  expect(bytes).toBeDefined();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes ?? new Uint8Array()) as unknown as ExcelJS.Buffer);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (ws === undefined) throw new Error(`no sheet ${name}`);
  return ws;
}

describe('renderXlsx', () => {
  it('writes an About sheet, then one sheet per named table with a bold frozen header, a filter and widths', async () => {
    const doc = aDocument();
    const wb = await read(await renderXlsx(doc));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Trace matrix']);
    expect(wb.creator).toBe('Dossier');
    expect(wb.created.toISOString()).toBe(doc.generatedAt);
    expect(wb.modified.toISOString()).toBe(doc.generatedAt);

    const about = sheet(wb, 'About');
    const facts = new Map<string, string>();
    about.eachRow((row) => facts.set(row.getCell(1).text, row.getCell(2).text));
    expect(facts.get('Product')).toBe('VitalLink Remote Patient Monitoring (RPM)');
    expect(facts.get('Baseline')).toBe('1.2.0 (release)');
    expect(facts.get('Baseline hash')).toBe('a'.repeat(64));
    expect(facts.get('Generated at')).toBe(doc.generatedAt);
    expect(facts.get('Content SHA-256')).toBe(doc.contentHash);

    const ws = sheet(wb, 'Trace matrix');
    expect(ws.getRow(1).values).toEqual([undefined, 'Requirement', 'Title', 'Verified by', 'Tone: Verified by']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:D3');
    expect(ws.getColumn(2).width).toBeGreaterThan(2.5 * (ws.getColumn(1).width ?? 0));
    expect(ws.getColumn(4).hidden).toBe(true);
    expect(ws.getCell('A2').value).toBe('SRS-1');
    expect(ws.getCell('B2').value).toBe('Encrypt vital-sign data in transit');
    expect(ws.getCell('C2').value).toBe('TC-1');
    expect(ws.getCell('C3').value).toBe('not verified');
    expect(ws.getCell('D3').value).toBe('gap');
    expect(ws.getCell('C3').fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEBE9' } });
    expect(ws.getCell('C2').fill).toMatchObject({ fgColor: { argb: 'FFDAFBE1' } });
  });

  it('colours the tones with conditional formats that read the hidden tone column', async () => {
    const bytes = await renderXlsx(aDocument());
    const zip = await JSZip.loadAsync(bytes ?? new Uint8Array());
    const xml = (await zip.file('xl/worksheets/sheet2.xml')?.async('string')) ?? '';
    expect(xml).toContain('<conditionalFormatting sqref="C2:C3">');
    expect(xml).toMatch(/<cfRule type="expression" dxfId="\d+" priority="\d+"><formula>\$D2=&quot;gap&quot;<\/formula><\/cfRule>/);
    expect(xml).toMatch(/<formula>\$D2=&quot;ok&quot;<\/formula>/);
    expect(xml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    const styles = (await zip.file('xl/styles.xml')?.async('string')) ?? '';
    expect(styles).toMatch(/<dxfs count="2">/);
    const wb = await read(bytes);
    const cf = (sheet(wb, 'Trace matrix') as unknown as { conditionalFormattings: { ref: string; rules: { type: string; formulae: string[] }[] }[] }).conditionalFormattings;
    expect(cf).toHaveLength(1);
    expect(cf[0]?.ref).toBe('C2:C3');
    expect(cf[0]?.rules.map((r) => [r.type, r.formulae[0]])).toEqual([
      ['expression', '$D2="gap"'],
      ['expression', '$D2="ok"'],
    ]);
  });

  it('returns undefined without a sheet table', async () => {
    const doc = aDocument();
    const blocks = doc.blocks.map((b): Block => (b.kind === 'table' ? { kind: 'table', columns: b.columns, rows: b.rows } : b));
    expect(await renderXlsx(aDocument({ blocks }))).toBeUndefined();
  });

  it('names sheets the way Excel requires, keeps hostile text as text, and links outside addresses', async () => {
    const table = (sheetName: string, text: string): Block => ({
      kind: 'table',
      sheet: sheetName,
      columns: [{ title: 'A' }, { title: 'Link' }],
      rows: [
        [
          { inlines: [{ kind: 'text', text }], tone: 'warning' },
          { inlines: [{ kind: 'link', text: 'guide', target: { url: 'https://example.com/g' } }] },
        ],
      ],
    });
    const long = 'A very long sheet name that Excel would refuse';
    const doc = aDocument({
      blocks: [table('Risks: [all]/*?', '=HYPERLINK("http://evil")'), table(long, 'bell\u0007'), table(long, '<script>x</script>'), table('about', 'x'), table('History', 'y')],
    });
    const wb = await read(await renderXlsx(doc));
    const names = wb.worksheets.map((w) => w.name);
    expect(names[0]).toBe('About');
    expect(names[1]).toBe('Risks- -all----');
    expect(names[2]).toBe(long.slice(0, 31));
    expect(names[3]).toBe(`${long.slice(0, 27)} (2)`);
    expect(names.slice(4)).toEqual(['about (2)', 'History (2)']);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31);
    const risks = sheet(wb, 'Risks- -all----');
    expect(risks.getCell('A2').value).toBe('=HYPERLINK("http://evil")');
    expect(risks.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(risks.getCell('B2').value).toEqual({ text: 'guide', hyperlink: 'https://example.com/g' });
    expect(sheet(wb, long.slice(0, 31)).getCell('A2').value).toBe('bell\\x07');
    expect(sheet(wb, `${long.slice(0, 27)} (2)`).getCell('A2').value).toBe('<script>x</script>');
  });

  it('writes the synthetic trace matrix: one row per requirement, gaps and links as keys', async () => {
    const matrix = syntheticTechnicalFile(4).documents.find((d) => d.id === 'trace-matrix');
    const wb = await read(await renderXlsx(matrix ?? aDocument()));
    const ws = sheet(wb, 'Requirement to test');
    expect(ws.rowCount).toBe(21);
    expect(ws.autoFilter).toBe('A1:D21');
    const gaps: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1 && row.getCell(3).value === 'not verified') gaps.push(row.getCell(1).text);
    });
    expect(gaps.length).toBeGreaterThan(0);
    for (const key of gaps) expect(ws.getCell(`D${Number(key.slice(4)) + 1}`).value).toBe('gap');
    expect(ws.getCell('C2').text).toMatch(/^TC-\d+(, TC-\d+)*$/);
  });
});

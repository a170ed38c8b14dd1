import ExcelJS from 'exceljs';
import { inlineText } from '../../core/documents/markdown.js';
import type { Block, Cell, CellTone, GeneratedDocument, Inline } from '../../core/documents/model.js';
import { xmlText } from '../xml-text.js';

type SheetTable = Extract<Block, { kind: 'table' }> & { readonly sheet: string };

/** Fill and font of each tone: the cells' own format, and the conditional format that keeps it after a sort. */
const TONE_STYLE: Readonly<Record<CellTone, { readonly fill?: string; readonly font: string; readonly bold?: boolean }>> = {
  ok: { fill: 'FFDAFBE1', font: 'FF116329' },
  gap: { fill: 'FFFFEBE9', font: 'FF82071E', bold: true },
  warning: { fill: 'FFFFF8C5', font: 'FF7D4E00' },
  muted: { font: 'FF6E7781' },
};
const TONES: readonly CellTone[] = ['gap', 'warning', 'ok', 'muted'];
/** Excel's limit on a cell's text. */
const MAX_CELL = 32_767;
/** The width, in characters, the relative widths of a table's columns share. */
const TABLE_WIDTH = 120;

/**
 * A document's sheet tables (the blocks of kind `table` that have a `sheet` name) as one XLSX workbook: an "About"
 * sheet first (product, document, baseline, generation time, content hash), then one sheet per table with its
 * header row bold and frozen, a filter over the table, column widths from the model's relative widths, and each
 * cell's tone as a fill plus a conditional format. The tones are kept in hidden columns at the right (inside the
 * filter range, so they move with their rows when sorted) and the conditional formats read them. Record links are
 * written as their keys; an outside address alone in a cell becomes a hyperlink. Workbook properties come from the
 * document only (created = modified = its `generatedAt`, creator "Dossier").
 *
 * @param doc - the generated document
 * @returns the workbook's bytes, or undefined when the document has no sheet table
 */
export async function renderXlsx(doc: GeneratedDocument): Promise<Uint8Array | undefined> {
  const tables = doc.blocks.filter((b): b is SheetTable => b.kind === 'table' && b.sheet !== undefined && b.sheet.trim() !== '');
  if (tables.length === 0) return undefined;

  const wb = new ExcelJS.Workbook();
  const at = new Date(doc.generatedAt);
  const when = Number.isNaN(at.getTime()) ? new Date(0) : at;
  wb.creator = 'Dossier';
  wb.lastModifiedBy = 'Dossier';
  wb.created = when;
  wb.modified = when;
  wb.title = text(doc.title);
  wb.subject = text(`${doc.product.name} ${doc.baseline.label}`);

  const names = new Set<string>(['about', 'history']); // "History" is reserved by Excel
  aboutSheet(wb, doc);
  for (const t of tables) tableSheet(wb, t, sheetName(t.sheet, names));

  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}

function aboutSheet(wb: ExcelJS.Workbook, doc: GeneratedDocument): void {
  const ws = wb.addWorksheet('About');
  ws.columns = [{ width: 22 }, { width: 90 }];
  const rows: [string, string][] = [
    ['Document', doc.title],
    ['Document ID', doc.id],
    ['Answers', doc.clauses.join('; ')],
    ['Product', `${doc.product.name} (${doc.product.key})`],
    ['Safety class', doc.product.safetyClass],
    ['Baseline', `${doc.baseline.label} (${doc.baseline.kind === 'release' ? 'release' : 'current state'})`],
    ['Baseline hash', doc.baseline.hash],
    ['Generated at', doc.generatedAt],
    ['Content SHA-256', doc.contentHash],
    ['Gaps', doc.gaps.length === 0 ? 'none' : doc.gaps.join('\n')],
  ];
  for (const [label, value] of rows) {
    const row = ws.addRow([label, text(value)]);
    row.getCell(1).font = { bold: true };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
}

function tableSheet(wb: ExcelJS.Workbook, t: SheetTable, name: string): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  const n = t.columns.length;
  // One hidden tone column per visible column that has a tone anywhere.
  const toned: number[] = [];
  for (let c = 0; c < n; c++) if (t.rows.some((r) => r[c]?.tone !== undefined)) toned.push(c);
  const width = n + toned.length;

  const rel = t.columns.map((c) => (c.width !== undefined && Number.isFinite(c.width) && c.width > 0 ? c.width : 1));
  const sum = rel.reduce((a, w) => a + w, 0);
  ws.columns = [
    ...rel.map((w) => ({ width: Math.min(100, Math.max(8, Math.round((w / sum) * Math.max(TABLE_WIDTH, n * 12)))) })),
    ...toned.map(() => ({ width: 10, hidden: true })),
  ];

  const header = ws.addRow([...t.columns.map((c) => text(c.title)), ...toned.map((c) => text(`Tone: ${t.columns[c]?.title ?? ''}`))]);
  header.font = { bold: true };
  header.alignment = { vertical: 'top', wrapText: true };

  const styles = new Map<CellTone, { fill?: ExcelJS.Fill; font: Partial<ExcelJS.Font> }>();
  for (const tone of TONES) {
    const s = TONE_STYLE[tone];
    styles.set(tone, {
      ...(s.fill === undefined ? {} : { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: s.fill } } }),
      font: { color: { argb: s.font }, ...(s.bold === true ? { bold: true } : {}) },
    });
  }

  for (const cells of t.rows) {
    const values: ExcelJS.CellValue[] = [];
    for (let c = 0; c < n; c++) values.push(cellValue(cells[c]));
    for (const c of toned) values.push(cells[c]?.tone ?? '');
    const row = ws.addRow(values);
    for (let c = 0; c < n; c++) {
      const tone = cells[c]?.tone;
      if (tone === undefined) continue;
      const s = styles.get(tone);
      const cell = row.getCell(c + 1);
      if (s?.fill !== undefined) cell.fill = s.fill;
      if (s !== undefined) cell.font = s.font;
    }
  }

  const last = t.rows.length + 1;
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: last, column: width } };
  if (t.rows.length === 0) return;
  toned.forEach((c, k) => {
    const toneCol = columnLetter(n + k + 1);
    const col = columnLetter(c + 1);
    const present = TONES.filter((tone) => t.rows.some((r) => r[c]?.tone === tone));
    ws.addConditionalFormatting({
      ref: `${col}2:${col}${last}`,
      rules: present.map((tone, i) => {
        const s = TONE_STYLE[tone];
        return {
          type: 'expression' as const,
          priority: k * TONES.length + i + 1,
          formulae: [`$${toneCol}2="${tone}"`],
          style: {
            ...(s.fill === undefined ? {} : { fill: { type: 'pattern' as const, pattern: 'solid' as const, bgColor: { argb: s.fill } } }),
            font: { color: { argb: s.font }, ...(s.bold === true ? { bold: true } : {}) },
          },
        };
      }),
    });
  });
}

/** A cell's value: its plain text, or a hyperlink when it is one outside address alone. */
function cellValue(cell: Cell | undefined): ExcelJS.CellValue {
  if (cell === undefined) return '';
  const runs: readonly Inline[] = cell.inlines;
  const only = runs.length === 1 ? runs[0] : undefined;
  if (only !== undefined && only.kind === 'link' && 'url' in only.target && /^(?:https?:\/\/|mailto:)[^\s<>"']+$/i.test(only.target.url.trim())) {
    return { text: text(only.text), hyperlink: only.target.url.trim() };
  }
  return text(inlineText(runs));
}

/** Text fit for a cell: characters XML forbids made visible, cut at Excel's limit. */
function text(s: string): string {
  const clean = xmlText(s);
  return clean.length <= MAX_CELL ? clean : `${clean.slice(0, MAX_CELL - 1)}…`;
}

/**
 * A sheet name Excel accepts: no `[]:*?/\`, no leading or trailing apostrophe, at most 31 characters, unique
 * without regard to case.
 */
function sheetName(wanted: string, taken: Set<string>): string {
  const base =
    xmlText(wanted)
      .replace(/[[\]:*?/\\]/g, '-')
      .replace(/^'+|'+$/g, '')
      .trim()
      .slice(0, 31) || 'Table';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    name = `${base.slice(0, 31 - suffix.length)}${suffix}`;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** 1 → A, 27 → AA. */
function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

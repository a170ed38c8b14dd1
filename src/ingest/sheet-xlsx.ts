import ExcelJS from 'exceljs';
import { invalidInput } from '../core/errors.js';
import type { SheetCell, SheetTable } from './sheet-table.js';

/** Reading options. */
export interface XlsxOptions {
  /** The worksheet to read; the first one when absent. */
  readonly sheet?: string;
}

/** A date as the day it names (`2026-06-30`), or the whole instant when it has a time of day. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** A value (or a formula's saved result) as text. */
function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return dateText(v);
  if (typeof v === 'object') {
    const o = v as { richText?: { text?: unknown }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(o.richText)) return o.richText.map((r) => (typeof r.text === 'string' ? r.text : '')).join('');
    if ('result' in o) return valueText(o.result);
    if (typeof o.text === 'string') return o.text;
    if (o.text !== undefined) return valueText(o.text);
    if (typeof o.error === 'string') return o.error;
  }
  return '';
}

function cellOf(cell: ExcelJS.Cell, merges: ReadonlyMap<string, string>): SheetCell | undefined {
  const merged = merges.get(cell.address) ?? (cell.isMerged ? merges.get(cell.master.address) : undefined);
  const v: unknown = cell.value;
  const formula = cell.type === ExcelJS.ValueType.Formula ? (cell.formula as string | undefined) ?? '' : undefined;
  const error = cell.type === ExcelJS.ValueType.Error ? valueText(v) : undefined;
  // A merged cell other than the range's first repeats the first's value in exceljs: it holds nothing of its own.
  const text = cell.isMerged && cell.master.address !== cell.address ? '' : valueText(v);
  if (text === '' && merged === undefined && formula === undefined && error === undefined) return undefined;
  return {
    text,
    ...(formula === undefined ? {} : { formula }),
    ...(merged === undefined ? {} : { merged }),
    ...(error === undefined ? {} : { error }),
  };
}

/** Every cell address of a merge range `A4:B5`, mapped to the range. */
function mergeMap(ws: ExcelJS.Worksheet): Map<string, string> {
  const out = new Map<string, string>();
  const ranges = (ws.model as { merges?: unknown }).merges;
  for (const range of Array.isArray(ranges) ? ranges : []) {
    if (typeof range !== 'string') continue;
    const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/.exec(range);
    if (m === null) continue;
    const col = (s: string): number => [...s].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
    const [c1, r1, c2, r2] = [col(m[1] ?? 'A'), Number(m[2]), col(m[3] ?? 'A'), Number(m[4])];
    for (let r = r1; r <= r2 && r - r1 < 10_000; r++) {
      for (let c = c1; c <= c2 && c - c1 < 1_000; c++) out.set(`${ws.getColumn(c).letter}${r}`, range);
    }
  }
  return out;
}

/**
 * Reads one worksheet of an XLSX workbook into a sheet of text cells: numbers as written by JavaScript, dates as
 * `YYYY-MM-DD` (or the whole instant when they have a time), booleans as `true`/`false`, rich text as its plain
 * text. Formula cells keep their formula and merged cells their range, so the mapping can refuse them with their
 * place.
 * @param file - the file's name, for messages
 * @throws AppError INVALID_INPUT naming the file: not an XLSX workbook, no such worksheet (listing those there are)
 */
export async function readXlsx(bytes: Uint8Array, file: string, options: XlsxOptions = {}): Promise<SheetTable> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch (e) {
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    // An .xlsx file is a ZIP archive; the reader's own words about ZIP internals do not help anyone.
    const why = /zip|central directory/i.test(message) ? 'it is not a ZIP archive, as an .xlsx file is' : message.slice(0, 200);
    throw invalidInput(`${file}: not a readable XLSX workbook (${why}); save it from the spreadsheet program as .xlsx`, { file });
  }
  const names = wb.worksheets.map((w) => w.name);
  const ws = options.sheet === undefined ? wb.worksheets[0] : wb.worksheets.find((w) => w.name === options.sheet);
  if (ws === undefined) {
    throw invalidInput(
      options.sheet === undefined
        ? `${file}: the workbook has no worksheet`
        : `${file}: no worksheet named '${options.sheet}'; its worksheets: ${names.map((n) => `'${n}'`).join(', ')}`,
      { file, field: 'sheet' },
    );
  }
  const merges = mergeMap(ws);
  const rows: (SheetCell | undefined)[][] = [];
  const columns = ws.columnCount;
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: (SheetCell | undefined)[] = [];
    for (let c = 1; c <= columns; c++) cells.push(cellOf(row.getCell(c), merges));
    while (cells.length > 0 && cells[cells.length - 1] === undefined) cells.pop();
    rows.push(cells);
  }
  return { file, sheet: ws.name, rows };
}

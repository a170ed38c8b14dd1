import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { invalidInput } from '../../core/errors.js';
import type { ColumnMap, ExistingContent } from '../../ingest/column-map.js';
import type { SheetTable } from '../../ingest/sheet-table.js';
import type { CliContext } from '../context.js';
import { runImport } from '../import-report.js';
import type { InterchangeOptions } from './interchange-formats.js';

/** `--sheet NAME` (xlsx). */
type SheetOptions = InterchangeOptions & { readonly sheet?: string };

/** Spreadsheets bigger than this are refused before reading (a workbook unzips to several times its size). */
const MAX_BYTES = 64 * 1024 * 1024;

function oneInput(inputs: readonly string[], format: string): string {
  const [file, ...more] = inputs;
  if (file === undefined || more.length > 0) {
    throw invalidInput(`import ${format} takes one file (got ${inputs.length}); import several files one after the other`, { field: 'inputs' });
  }
  return file;
}

function readBytes(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw invalidInput(`cannot read ${file}: ${(e as Error).message}`, { file });
  }
  if (bytes.length > MAX_BYTES) throw invalidInput(`${file} is ${bytes.length} bytes; at most ${MAX_BYTES} are imported at once: split it`, { file });
  return bytes;
}

async function readMap(ctx: CliContext, o: InterchangeOptions, format: string): Promise<ColumnMap> {
  if (o.map === undefined) {
    throw invalidInput(`import ${format} needs --map MAP.yaml: which columns give the ID, type, title, fields and links (see README, "Importing spreadsheets")`, { field: 'map' });
  }
  const [{ readColumnMap }, { readTextFile }] = await Promise.all([import('../../ingest/column-map.js'), import('../../ingest/yaml-file.js')]);
  return readColumnMap(readTextFile(o.map, 'column map'), basename(o.map), ctx.catalog);
}

/** Maps the sheet and runs the import; rows naming existing records keep what the sheet does not map. */
async function importSheet(ctx: CliContext, table: SheetTable, map: ColumnMap, source: string, o: InterchangeOptions): Promise<number> {
  const { keysInSheet, planFromSheet } = await import('../../ingest/column-map.js');
  const keys = keysInSheet(table, map);
  const existing = new Map<string, ExistingContent>();
  if (keys.length > 0) {
    const { exportRecordsUseCase } = await import('../../app/use-cases/export-records.js');
    const wantedKeys = new Set(keys.map((k) => k.slice(k.indexOf('/') + 1)));
    const all = await ctx.run(exportRecordsUseCase, { productKey: await ctx.productKey(o.product) });
    for (const r of all.records) if (wantedKeys.has(r.key)) existing.set(r.key, { type: r.type, body: r.body, fields: r.fields });
  }
  const read = planFromSheet(table, map, ctx.catalog, (key) => existing.get(key.slice(key.indexOf('/') + 1)));
  return runImport(ctx, read, source, o);
}

/**
 * `dossier import csv FILE --map MAP.yaml`: one record per row, mapped by the column map; see `planFromSheet`.
 * @throws AppError INVALID_INPUT for an unreadable file or map, or a header row without the mapped columns
 */
export async function importCsv(ctx: CliContext, inputs: string[], o: SheetOptions): Promise<number> {
  const file = oneInput(inputs, 'csv');
  if (o.sheet !== undefined) throw invalidInput('--sheet picks a worksheet of an XLSX workbook; a CSV file has one sheet', { field: 'sheet' });
  const map = await readMap(ctx, o, 'csv');
  const { readCsv } = await import('../../ingest/sheet-csv.js');
  const delimiter = map.delimiter === 'tab' ? '\t' : map.delimiter;
  const table = readCsv(readBytes(file), basename(file), delimiter === undefined ? {} : { delimiter });
  return importSheet(ctx, table, map, `CSV ${basename(file)}`, o);
}

/**
 * `dossier import xlsx FILE --map MAP.yaml [--sheet NAME]`: one worksheet (the option's, the map's `sheet`, or the
 * first), one record per row; see `planFromSheet`.
 * @throws AppError INVALID_INPUT for an unreadable workbook or map, an unknown worksheet, or a header row without
 *   the mapped columns
 */
export async function importXlsx(ctx: CliContext, inputs: string[], o: SheetOptions): Promise<number> {
  const file = oneInput(inputs, 'xlsx');
  const map = await readMap(ctx, o, 'xlsx');
  const { readXlsx } = await import('../../ingest/sheet-xlsx.js');
  const sheet = o.sheet ?? map.sheet;
  const table = await readXlsx(readBytes(file), basename(file), sheet === undefined ? {} : { sheet });
  return importSheet(ctx, table, map, `XLSX ${basename(file)}${table.sheet === undefined ? '' : ` (${table.sheet})`}`, o);
}

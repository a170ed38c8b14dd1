import { invalidInput } from '../../core/errors.js';
import type { CliContext } from '../context.js';

/** The options `export`, `import` and `sync` take; each format reads the ones it needs. */
export interface InterchangeOptions {
  readonly product?: string;
  readonly map?: string;
  readonly dryRun?: boolean;
  readonly reason?: string;
  readonly out?: string;
}

export type ImportHandler = (ctx: CliContext, inputs: string[], o: InterchangeOptions) => Promise<number | void>;
export type ExportHandler = (ctx: CliContext, target: string | undefined, o: InterchangeOptions) => Promise<number | void>;

/** Import formats, with one line each for `--help`. */
export const IMPORT_FORMATS: Readonly<Record<string, string>> = {
  json: 'a whole-store export, into an empty store',
  md: 'a Markdown folder written by `export md` (same as `sync`)',
  doorstop: 'a doorstop tree (the folder holding the documents)',
  sdoc: 'strictdoc .sdoc files',
  csv: 'a CSV file with a column mapping (--map)',
  xlsx: 'an XLSX workbook with a column mapping (--map)',
  reqif: 'a ReqIF 1.2 file (.reqif) with a type mapping (--map)',
};

export const EXPORT_FORMATS: Readonly<Record<string, string>> = {
  json: 'the whole store, exactly (for backup and moving stores)',
  md: "a product's records as a Markdown folder, one file per record (edit, review in git, `sync` back)",
  reqif: "a product's records and links as ReqIF 1.2",
};

/** Each format's handler, loaded when it runs. */
const IMPORTERS: Readonly<Record<string, () => Promise<ImportHandler>>> = {
  json: async () => (await import('./io-json.js')).importJson,
  md: async () => (await import('./io-markdown.js')).importMarkdown,
  doorstop: async () => (await import('./io-doorstop.js')).importDoorstop,
  sdoc: async () => (await import('./io-sdoc.js')).importSdoc,
  csv: async () => (await import('./io-sheets.js')).importCsv,
  xlsx: async () => (await import('./io-sheets.js')).importXlsx,
  reqif: async () => (await import('./io-reqif.js')).importReqif,
};

const EXPORTERS: Readonly<Record<string, () => Promise<ExportHandler>>> = {
  json: async () => (await import('./io-json.js')).exportJson,
  md: async () => (await import('./io-markdown.js')).exportMarkdown,
  reqif: async () => (await import('./io-reqif.js')).exportReqif,
};

/** @throws AppError INVALID_INPUT naming the formats there are */
export async function importerOf(format: string): Promise<ImportHandler> {
  const load = IMPORTERS[format];
  if (load === undefined) throw invalidInput(`unknown import format '${format}'; available: ${Object.keys(IMPORTERS).join(', ')}`, { field: 'format' });
  return load();
}

/** @throws AppError INVALID_INPUT naming the formats there are */
export async function exporterOf(format: string): Promise<ExportHandler> {
  const load = EXPORTERS[format];
  if (load === undefined) throw invalidInput(`unknown export format '${format}'; available: ${Object.keys(EXPORTERS).join(', ')}`, { field: 'format' });
  return load();
}

import { parse } from 'csv-parse/sync';
import { invalidInput } from '../core/errors.js';
import type { SheetTable } from './sheet-table.js';

/** The delimiters a CSV file may use; `;` is what spreadsheet programs write where `,` is the decimal mark. */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** Reading options. */
export interface CsvOptions {
  /** The delimiter; found from the first row when absent (the one of `,` `;` tab it holds most of). */
  readonly delimiter?: CsvDelimiter;
}

/** Where the first byte that is not valid UTF-8 is, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Decodes a CSV file's bytes: UTF-8 (a byte order mark is dropped), or UTF-16 when a byte order mark says so (what
 * spreadsheet programs write as "Unicode text").
 * @throws AppError INVALID_INPUT naming the file, line and byte that is not valid UTF-8
 */
export function decodeCsvBytes(bytes: Uint8Array, file: string): string {
  const [b0, b1, b2] = [bytes[0], bytes[1], bytes[2]];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    try {
      return new TextDecoder(b0 === 0xff ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2));
    } catch {
      throw invalidInput(`${file}: not valid UTF-16 text although it starts like it: save the file as CSV UTF-8`, { file });
    }
  }
  const skip = b0 === 0xef && b1 === 0xbb && b2 === 0xbf ? 3 : 0;
  const body = bytes.subarray(skip);
  const bad = firstInvalidUtf8(body);
  if (bad < 0) return new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bad; i++) {
    if (body[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const hex = (body[bad] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  throw invalidInput(
    `${file} line ${line}: not valid UTF-8 text (byte 0x${hex}, ${bad - lineStart + 1} bytes into the line): save the file as CSV UTF-8`,
    { file, line },
  );
}

/** The delimiter the first row uses most, counting outside quotes; `,` when it has none. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (let i = 0; i < text.length && i < 65_536; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch !== undefined && (CSV_DELIMITERS as readonly string[]).includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: CsvDelimiter = ',';
  for (const d of CSV_DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/** What csv-parse says, without its long option dumps. */
function csvMessage(e: Error): string {
  return e.message.split('\n')[0]?.replace(/\s+/g, ' ').trim() ?? 'malformed CSV';
}

/**
 * Reads CSV text into a sheet: quoted cells may hold delimiters, quotes (`""`) and line breaks; rows may have
 * different numbers of cells. Row numbers count records as a spreadsheet program shows them (a quoted line break
 * does not start a new row); an empty line is an empty row.
 * @param file - the file's name, for messages
 * @throws AppError INVALID_INPUT naming the file and line of malformed CSV (an unclosed quote, text after a
 *   closing quote)
 */
export function readCsvText(text: string, file: string, options: CsvOptions = {}): SheetTable {
  const delimiter = options.delimiter ?? detectDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      // Files edited in several programs mix line endings; each is a row end.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      skip_empty_lines: false,
      skip_records_with_empty_values: false,
    });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const lines = (err as { lines?: unknown }).lines;
    const line = typeof lines === 'number' ? lines : undefined;
    throw invalidInput(`${file}${line === undefined ? '' : ` line ${line}`}: malformed CSV: ${csvMessage(err)}`, {
      file,
      ...(line === undefined ? {} : { line }),
    });
  }
  return { file, rows: records.map((r) => r.map((cell) => ({ text: cell }))) };
}

/**
 * Reads a CSV file's bytes into a sheet (see `readCsvText`), decoding them first.
 * @throws AppError INVALID_INPUT naming the file and line: not UTF-8, malformed CSV
 */
export function readCsv(bytes: Uint8Array, file: string, options: CsvOptions = {}): SheetTable {
  return readCsvText(decodeCsvBytes(bytes, file), file, options);
}

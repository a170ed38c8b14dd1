/**
 * CSV built in the browser (a matrix, the FMEA table, as shown): the server's rule for every CSV it writes
 * (`src/export/csv.ts`): a cell that starts like a formula gets a leading `'` (a lone `-` stays), fields are quoted
 * where RFC 4180 asks, lines end with CRLF.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell made inert for spreadsheets (see `FORMULA_START`). */
export function csvCell(value: string): string {
  return value !== '-' && FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV field: neutralised, then quoted where RFC 4180 asks (separator, quote, line break), quotes doubled. */
export function csvField(value: string): string {
  const safe = csvCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows of cells as CSV text, one line per row, CRLF line ends. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

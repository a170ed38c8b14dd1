import { describe, expect, it } from 'vitest';
import { csvCell as serverCsvCell, toCsv as serverToCsv } from '../../../src/export/csv.js';
import { csvCell, toCsv } from './csv';

/** The browser's CSV follows the server's rule (src/export/csv.ts), so an export reads the same from either. */
describe('CSV built in the browser', () => {
  const cells = ['plain', '=HYPERLINK("http://x")', '+1', '-2', '-', '@SUM(A1)', '\tx', '\rx', 'a, "b"', 'two\nlines', ''];

  it("neutralises formula-like cells exactly as the server's export does", () => {
    for (const c of cells) expect(csvCell(c), JSON.stringify(c)).toBe(serverCsvCell(c));
  });

  it('writes the same CSV as the server for the same rows', () => {
    const rows = [cells.slice(0, 5), cells.slice(5)];
    expect(toCsv(rows).replaceAll('\r\n', '\n')).toBe(serverToCsv(rows).replaceAll('\r\n', '\n'));
  });
});

/**
 * Parses delimited text as Excel, LibreOffice and Google Sheets put it on the clipboard (tab-separated) or write it
 * to a CSV file: rows end at a line break (`\n` or `\r\n`), a cell in double quotes may hold the delimiter, line
 * breaks and doubled quotes (`""` for one `"`). A quote inside an unquoted cell is kept as it is. One trailing line
 * break does not make an empty row.
 */
export function parseDelimited(text: string, delimiter = '\t'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  const n = text.length;
  let atCellStart = true;
  while (i < n) {
    const ch = text[i];
    if (atCellStart && ch === '"') {
      // A quoted cell: up to the closing quote that is not doubled.
      i++;
      for (;;) {
        if (i >= n) break;
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += c;
        i++;
      }
      atCellStart = false;
      continue;
    }
    if (ch === delimiter) {
      row.push(cell);
      cell = '';
      atCellStart = true;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atCellStart = true;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    cell += ch;
    atCellStart = false;
    i++;
  }
  if (!atCellStart || cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The delimiter of a CSV file, guessed from its first line: the most frequent of tab, `;` and `,` (default `,`). */
export function guessDelimiter(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  let best = ',';
  let most = 0;
  for (const d of [',', ';', '\t']) {
    const count = first.split(d).length - 1;
    if (count > most) {
      most = count;
      best = d;
    }
  }
  return best;
}

/** A row of cells as tab-separated text for the clipboard (quoted where a cell holds a tab, a quote or a line break). */
export function toTsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map((c) => (/[\t"\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join('\t')).join('\n');
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { decodeCsvBytes, detectDelimiter, readCsv, readCsvText } from './sheet-csv.js';
import { cellWhere, columnLetter } from './sheet-table.js';

const texts = (t: ReturnType<typeof readCsvText>): string[][] => t.rows.map((r) => r.map((c) => c?.text ?? ''));
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('reading CSV', () => {
  it('reads quoted delimiters, doubled quotes and line breaks inside a cell as one row', () => {
    const t = readCsvText('ID,Title,Body\nR1,"Alarm, high","Line one\nline ""two"""\r\nR2,Plain,\n', 'needs.csv');
    expect(texts(t)).toEqual([
      ['ID', 'Title', 'Body'],
      ['R1', 'Alarm, high', 'Line one\nline "two"'],
      ['R2', 'Plain', ''],
    ]);
    expect(t.file).toBe('needs.csv');
  });

  it('drops a byte order mark and finds a semicolon delimiter from the header row', () => {
    const t = readCsv(bytes('\uFEFFID;Title;Verifies\nT1;"Check; alarm";R1,R2\n'), 'tests.csv');
    expect(texts(t)).toEqual([
      ['ID', 'Title', 'Verifies'],
      ['T1', 'Check; alarm', 'R1,R2'],
    ]);
    expect(detectDelimiter('a\tb\tc\n')).toBe('\t');
    expect(detectDelimiter('"a;b",c\n')).toBe(',');
    expect(detectDelimiter('single\n')).toBe(',');
  });

  it('uses the delimiter it is given, keeps rows of uneven length and counts an empty line as a row', () => {
    const t = readCsvText('a,b;c\n\nd;e;f;g', 'x.csv', { delimiter: ';' });
    expect(texts(t)).toEqual([['a,b', 'c'], [''], ['d', 'e', 'f', 'g']]);
  });

  it('reads UTF-16 with a byte order mark', () => {
    const le = new Uint8Array([0xff, 0xfe, ...[...'ID\tT\n'].flatMap((ch) => [ch.charCodeAt(0), 0])]);
    expect(decodeCsvBytes(le, 'u.csv')).toBe('ID\tT\n');
  });

  it('refuses bytes that are not UTF-8, naming the line', () => {
    const b = new Uint8Array([...bytes('ID,Title\nR1,Caf'), 0xe9, ...bytes('\n')]);
    expect(() => readCsv(b, 'needs.csv')).toThrow(/^needs\.csv line 2: not valid UTF-8 text \(byte 0xE9, 7 bytes into the line\): save the file as CSV UTF-8$/);
  });

  it('refuses an unclosed quote, naming the file and line', () => {
    let err: unknown;
    try {
      readCsvText('ID,Title\nR1,"never closed\n', 'needs.csv');
    } catch (e) {
      err = e;
    }
    expect(isAppError(err, 'INVALID_INPUT')).toBe(true);
    expect((err as Error).message).toMatch(/^needs\.csv line \d+: malformed CSV: /);
  });

  it('names cells in messages by row and column letter, or A1 notation in a workbook', () => {
    expect([columnLetter(0), columnLetter(25), columnLetter(26), columnLetter(701), columnLetter(702)]).toEqual(['A', 'Z', 'AA', 'ZZ', 'AAA']);
    expect(cellWhere({ file: 'needs.csv' }, 12, 2, 'Verifies')).toBe('needs.csv row 12 column C (Verifies)');
    expect(cellWhere({ file: 'reqs.xlsx', sheet: 'Sheet1' }, 12, 2)).toBe('reqs.xlsx Sheet1!C12');
    expect(cellWhere({ file: 'reqs.xlsx', sheet: 'My reqs' }, 3, 0)).toBe("reqs.xlsx 'My reqs'!A3");
  });

  it('turns any bytes into rows or a clear refusal, never another exception', () => {
    const anyText = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', ',', ';', '\t', '"', '\n', '\r', ' ', 'é', '\uFEFF'), maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
    );
    fc.assert(
      fc.property(anyText, fc.uint8Array({ maxLength: 40 }), fc.boolean(), (text, raw, useRaw) => {
        try {
          const t = useRaw ? readCsv(raw, 'f.csv') : readCsv(bytes(text), 'f.csv');
          for (const row of t.rows) for (const c of row) expect(typeof c?.text).toBe('string');
        } catch (e) {
          if (!isAppError(e, 'INVALID_INPUT')) throw e;
          expect((e as Error).message).toMatch(/^f\.csv/);
        }
      }),
      { numRuns: 500 },
    );
  });
});

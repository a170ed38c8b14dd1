import { describe, expect, it } from 'vitest';
import { guessDelimiter, parseDelimited, toTsv } from './delimited';

describe('parseDelimited', () => {
  it('splits rows and tab-separated cells, without an empty row for the trailing line break', () => {
    expect(parseDelimited('a\tb\tc\r\nd\te\tf\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
    ]);
  });
  it('keeps empty cells, at the ends too', () => {
    expect(parseDelimited('\ta\t\n\t\t')).toEqual([
      ['', 'a', ''],
      ['', '', ''],
    ]);
  });
  it('reads quoted cells with line breaks, tabs and doubled quotes', () => {
    expect(parseDelimited('"line 1\nline 2"\t"say ""hi"""\t"a\tb"\nx\ty\tz')).toEqual([
      ['line 1\nline 2', 'say "hi"', 'a\tb'],
      ['x', 'y', 'z'],
    ]);
  });
  it('keeps a quote inside an unquoted cell as it is', () => {
    expect(parseDelimited('5" screen\tok')).toEqual([['5" screen', 'ok']]);
  });
  it('reads CSV with another delimiter', () => {
    expect(parseDelimited('id,title\nR1,"Hello, world"\n', ',')).toEqual([
      ['id', 'title'],
      ['R1', 'Hello, world'],
    ]);
  });
  it('gives nothing for empty text, and one empty cell for a lone line break', () => {
    expect(parseDelimited('')).toEqual([]);
    expect(parseDelimited('\n')).toEqual([['']]);
  });
  it('round-trips through toTsv', () => {
    const rows = [
      ['a', 'b\nc', 'd"e'],
      ['', 'f\tg', 'h'],
    ];
    expect(parseDelimited(toTsv(rows))).toEqual(rows);
  });
});

describe('guessDelimiter', () => {
  it('takes the most frequent separator of the header line', () => {
    expect(guessDelimiter('a;b;c\n1,2;3')).toBe(';');
    expect(guessDelimiter('a\tb\n')).toBe('\t');
    expect(guessDelimiter('a,b')).toBe(',');
    expect(guessDelimiter('single')).toBe(',');
  });
});

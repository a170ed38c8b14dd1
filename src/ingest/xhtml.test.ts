import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownToXhtml } from '../export/reqif-xhtml.js';
import { parseXmlTree } from './reqif-xml.js';
import { VERBATIM_CLASS, xhtmlToMarkdown } from './xhtml.js';

/** Text XML can carry (no C0 controls but tab, LF, CR; no U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex -- removing what XML cannot carry is the point
const xmlSafe = (s: string): string => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

const read = (xhtml: string): ReturnType<typeof xhtmlToMarkdown> =>
  xhtmlToMarkdown(parseXmlTree(`<THE-VALUE xmlns:xhtml="http://www.w3.org/1999/xhtml">${xhtml}</THE-VALUE>`, 'x.reqif').children);

describe('XHTML to Markdown', () => {
  it('keeps the allowed formatting and collapses layout whitespace', () => {
    const r = read(`
      <xhtml:div>
        <xhtml:h2>Alarm <xhtml:span>limits</xhtml:span></xhtml:h2>
        <xhtml:p>The pump <xhtml:b>shall</xhtml:b> stop within
           <xhtml:i>2 s</xhtml:i>.<xhtml:br/>See <xhtml:a href="https://example.org/spec">the spec</xhtml:a> and <xhtml:code>stop()</xhtml:code>.</xhtml:p>
        <xhtml:ul><xhtml:li>first</xhtml:li><xhtml:li>second<xhtml:ol><xhtml:li>inner</xhtml:li></xhtml:ol></xhtml:li></xhtml:ul>
        <xhtml:pre>line 1
  line 2</xhtml:pre>
        <xhtml:table><xhtml:tr><xhtml:th>Limit</xhtml:th><xhtml:th>Value</xhtml:th></xhtml:tr><xhtml:tr><xhtml:td>high</xhtml:td><xhtml:td>a|b</xhtml:td></xhtml:tr></xhtml:table>
      </xhtml:div>`);
    expect(r.issues).toEqual([]);
    expect(r.markdown).toBe(
      [
        '## Alarm limits',
        'The pump **shall** stop within *2 s*.\nSee [the spec](https://example.org/spec) and `stop()`.',
        '- first\n- second\n\n  1. inner',
        '```\nline 1\n  line 2\n```',
        '| Limit | Value |\n| --- | --- |\n| high | a\\|b |',
      ].join('\n\n'),
    );
  });

  it('refuses active content at its line and drops inert content with a warning', () => {
    const r = read(`<xhtml:div>
<xhtml:p onclick="x()">a</xhtml:p>
<xhtml:script>alert(1)</xhtml:script>
<xhtml:a href=" JavaScript:alert(1)">b</xhtml:a>
<xhtml:iframe src="https://evil.example"/>
<xhtml:object data="pic.png" type="image/png">OLE</xhtml:object>
<xhtml:a href="ftp://host/file">c</xhtml:a>
</xhtml:div>`);
    expect(r.issues.filter((i) => i.severity === 'problem').map((i) => i.line)).toEqual([2, 3, 4, 5]);
    expect(r.issues.filter((i) => i.severity === 'warning').map((i) => i.line)).toEqual([6, 7]);
    expect(r.markdown).not.toMatch(/alert|OLE/);
    expect(r.markdown).toContain('b');
  });
});

describe('Markdown to XHTML and back', () => {
  it('writes common Markdown as formatted XHTML, not verbatim', () => {
    const md = 'Intro with **bold**, *em*, `code` and [a link](https://example.org/x)\nsecond line\n\n# Heading\n\n- a\n- b\n\n1. one\n2. two\n\n```\nx  = 1\n```';
    const x = markdownToXhtml(md);
    expect(x).not.toContain(VERBATIM_CLASS);
    expect(x).toContain('<xhtml:strong>bold</xhtml:strong>');
    expect(read(x).markdown).toBe(md);
  });

  it('falls back to verbatim Markdown for shapes it does not format, and still reads back exactly', () => {
    for (const md of ['a  b', ' lead', 'a\r\nb', 'x\n\n\ny', 'tail\n', '```js\nx\n```']) {
      const x = markdownToXhtml(md);
      expect(x).toContain(VERBATIM_CLASS);
      const r = read(x);
      expect(r.markdown).toBe(md);
      expect(r.issues).toEqual([]);
    }
  });

  it('writes markup in the Markdown as escaped text, which reads back as text', () => {
    const md = 'Type <script>alert(1)</script> & see';
    const x = markdownToXhtml(md);
    expect(x).toContain('&lt;script&gt;');
    expect(read(x)).toEqual({ markdown: md, issues: [] });
  });

  it('reads back any record body exactly (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9 .,;:!?()'"&<>|_*`#[\]/-]{0,12}$/);
    const unicode = fc.string({ unit: 'grapheme', maxLength: 8 }).map(xmlSafe);
    const inlinePiece = fc.oneof(
      word,
      unicode,
      word.map((w) => `**${w}**`),
      word.map((w) => `*${w}*`),
      word.map((w) => `\`${w}\``),
      word.map((w) => `[${w}](https://example.org/${encodeURIComponent(w)})`),
    );
    const lineOf = fc.array(inlinePiece, { maxLength: 5 }).map((p) => p.join(''));
    const block = fc.oneof(
      lineOf,
      fc.tuple(fc.integer({ min: 1, max: 6 }), lineOf).map(([n, l]) => `${'#'.repeat(n)} ${l}`),
      fc.array(lineOf, { minLength: 1, maxLength: 3 }).map((ls) => ls.map((l) => `- ${l}`).join('\n')),
      fc.array(lineOf, { minLength: 1, maxLength: 3 }).map((ls) => ls.map((l, i) => `${i + 1}. ${l}`).join('\n')),
      fc.array(lineOf, { maxLength: 3 }).map((ls) => ['```', ...ls, '```'].join('\n')),
      fc.array(lineOf, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n')),
    );
    const body = fc.oneof(
      fc.array(block, { maxLength: 6 }).chain((bs) => fc.constantFrom('\n\n', '\n', '\n\n\n').map((sep) => bs.join(sep))),
      unicode,
      fc.string({ maxLength: 40 }).map(xmlSafe),
    );
    fc.assert(
      fc.property(body, (md) => {
        expect(read(markdownToXhtml(md)).markdown).toBe(md);
      }),
      { numRuns: 400 },
    );
  });
});

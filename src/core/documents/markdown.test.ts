import { describe, expect, it } from 'vitest';
import { markdownBlocks } from './markdown.js';

describe('Markdown to document blocks', () => {
  it('keeps headings, emphasis, lists, tables and code', () => {
    const blocks = markdownBlocks('# Purpose\n\nThe app **shall** encrypt *all* data with `TLS 1.3`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nx = 1\n```\n');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Purpose', anchor: 'md-1' },
      {
        kind: 'paragraph',
        inlines: [
          { kind: 'text', text: 'The app ' },
          { kind: 'text', text: 'shall', bold: true },
          { kind: 'text', text: ' encrypt ' },
          { kind: 'text', text: 'all', italic: true },
          { kind: 'text', text: ' data with ' },
          { kind: 'text', text: 'TLS 1.3', code: true },
          { kind: 'text', text: '.' },
        ],
      },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'one' }], [{ kind: 'text', text: 'two' }]] },
      { kind: 'table', columns: [{ title: 'a' }, { title: 'b' }], rows: [[{ inlines: [{ kind: 'text', text: '1' }] }, { inlines: [{ kind: 'text', text: '2' }] }]] },
      { kind: 'code', text: 'x = 1' },
    ]);
  });

  it('keeps raw HTML and unsafe links as text only, and links record IDs [DOSSIER-SRS-50]', () => {
    const blocks = markdownBlocks('<script>alert(1)</script>\n\nSee [the spec](javascript:alert(1)), [SRS-12](SRS-12) and [site](https://example.com) & <b>x</b>.');
    expect(blocks[0]).toEqual({ kind: 'paragraph', inlines: [{ kind: 'text', text: '<script>alert(1)</script>' }] });
    const p = blocks[1];
    expect(p?.kind === 'paragraph' && p.inlines).toEqual([
      { kind: 'text', text: 'See the spec, ' },
      { kind: 'link', text: 'SRS-12', target: { record: 'SRS-12' } },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'site', target: { url: 'https://example.com' } },
      { kind: 'text', text: ' & <b>x</b>.' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { GeneratedDocument } from '../../../../src/core/documents/model.js';
import { documentHtml, escapeHtml, standaloneHtml } from './doc-html';

const DOC: GeneratedDocument = {
  id: 'srs',
  title: 'Software <requirements>',
  clauses: ['IEC 62304 5.2'],
  product: { key: 'RPM', name: 'VitalLink & Co', safetyClass: 'B', intendedUse: 'x' },
  baseline: { kind: 'release', label: '1.0.0', hash: 'abc' },
  generatedAt: '2026-12-01T00:00:00Z',
  history: [{ revision: '1', date: '2026-11-01', author: 'dana', description: 'first' }],
  signatures: [{ printedName: 'Avery A', username: 'avery', at: '2026-11-02T00:00:00Z', meaning: 'approval', signed: 'release 1.0.0' }],
  blocks: [
    { kind: 'heading', level: 1, text: 'Scope', anchor: 'scope' },
    {
      kind: 'paragraph',
      inlines: [
        { kind: 'text', text: '<script>alert(1)</script>', bold: true },
        { kind: 'link', text: 'SRS-1', target: { record: 'SRS-1' } },
        { kind: 'link', text: 'evil', target: { url: 'javascript:alert(1)' } },
        { kind: 'link', text: 'site', target: { url: 'https://example.org/"x' } },
        { kind: 'link', text: 'risk', target: { document: 'risk', anchor: 'a' } },
      ],
    },
    { kind: 'table', columns: [{ title: 'Key' }], rows: [[{ inlines: [{ kind: 'text', text: 'none' }], tone: 'gap' }]], caption: 'Trace' },
    { kind: 'record', key: 'SRS-1', type: 'SRS', title: 'Alarm', revision: 2, status: 'in_review', fields: [{ label: 'Priority', value: 'must' }], body: [{ kind: 'code', text: 'a < b' }] },
    { kind: 'gap', text: 'no tests' },
  ],
  gaps: ['no tests'],
  records: ['SRS-1'],
  contentHash: 'f00',
};
const LINKS = { record: (k: string) => `/p/RPM/records/${k}`, document: (id: string, a?: string) => `#${id}${a === undefined ? '' : `-${a}`}` };

describe('documentHtml', () => {
  it('escapes every text and drops links that are not records, documents or http(s)', () => {
    const html = documentHtml(DOC, LINKS);
    expect(html).not.toContain('<script>');
    expect(html).toContain('<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong>');
    expect(html).toContain('<h1>Software &lt;requirements&gt;</h1>');
    expect(html).toContain('<a href="/p/RPM/records/SRS-1">SRS-1</a>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('evil');
    expect(html).toContain('href="https://example.org/&quot;x"');
    expect(html).toContain('<a href="#risk-a">risk</a>');
    expect(html).toContain('<td class="tone-gap">none</td>');
    expect(html).toContain('<pre><code>a &lt; b</code></pre>');
    expect(html).toContain('(SRS, revision 2, in review)');
    expect(html).toContain('<strong>1 gap</strong>');
    expect(html).toContain('Avery A (avery), approval');
    expect(html).toContain('release 1.0.0');
  });
  it('makes a whole page for download, with record links to the server', () => {
    const page = standaloneHtml(DOC, 'https://dossier.example');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<title>Software &lt;requirements&gt; · VitalLink &amp; Co</title>');
    expect(page).toContain('href="https://dossier.example/p/RPM/records/SRS-1"');
    expect(page).toContain('href="risk.html#a"');
  });
  it('escapes quotes too', () => {
    expect(escapeHtml(`"'&`)).toBe('&quot;&#39;&amp;');
  });
});

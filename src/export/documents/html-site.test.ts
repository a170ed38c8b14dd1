import { posix } from 'node:path';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markdownBlocks } from '../../core/documents/markdown.js';
import type { GeneratedDocument, RecordPage, TechnicalFile } from '../../core/documents/model.js';
import { aDocument, syntheticTechnicalFile } from '../../test-support/document-fixtures.js';
import { renderHtmlSite } from './html-site.js';
import { html, naturalCompare, segment } from './html-text.js';

const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';

/** A small synthetic file plus the fixture SRS (renamed) and a record whose every text is hostile. */
function smallFile(): TechnicalFile {
  const base = syntheticTechnicalFile(2);
  const bad: RecordPage = {
    key: 'BAD-1',
    type: 'BAD',
    typeName: `Bad ${HOSTILE}`,
    title: HOSTILE,
    status: `"><script>alert(2)</script>`,
    revision: 1,
    hash: 'b'.repeat(64),
    fields: [{ label: HOSTILE, value: `' onmouseover='alert(3)` }],
    body: markdownBlocks(`# Heading ${HOSTILE}\n\n${HOSTILE}\n\n[click](javascript:alert(1)) and [ok](https://example.com/a?b=1&c=2) and [SRS-1](SRS-1)`),
    upstream: [
      { linkType: 'derives_from', key: 'SRS-1', title: HOSTILE, suspect: true },
      { linkType: 'derives_from', key: 'GONE-7', title: 'not in this file', suspect: false },
    ],
    downstream: [],
    signatures: [{ printedName: HOSTILE, username: 'u', at: '2026-11-20T09:30:00Z', meaning: 'approved', signed: 'RPM/BAD-1@1' }],
  };
  const small = aDocument({ id: 'srs-small', title: `SRS ${HOSTILE}`, records: ['SRS-1', 'SRS-2', 'TC-1', 'BAD-1', 'RPM/SRS-4'] });
  const withBad: GeneratedDocument = {
    ...small,
    blocks: [
      ...small.blocks,
      { kind: 'paragraph', inlines: [{ kind: 'link', text: 'the matrix', target: { document: 'trace-matrix', anchor: 'req-ver' } }] },
      { kind: 'paragraph', inlines: [{ kind: 'link', text: 'nowhere', target: { document: 'no-such-doc' } }] },
      { kind: 'paragraph', inlines: [{ kind: 'link', text: 'with prefix', target: { record: 'RPM/SRS-3' } }] },
      { kind: 'paragraph', inlines: [{ kind: 'link', text: 'bad url', target: { url: 'javascript:alert(1)' } }] },
      { kind: 'record', key: 'BAD-1', type: 'BAD', title: HOSTILE, revision: 1, status: 'draft', fields: [], body: bad.body },
    ],
  };
  return { ...base, documents: [...base.documents, withBad], records: [...base.records, bad] };
}

function render(file: TechnicalFile): Map<string, string> {
  const out = new Map<string, string>();
  renderHtmlSite(file, (path, content) => {
    expect(out.has(path), `${path} emitted twice`).toBe(false);
    out.set(path, content);
  });
  return out;
}

const ATTR_URL = /\s(?:href|src)="([^"]*)"/g;
const EXTERNAL = /^(?:https?:|mailto:)/;

/** Our own tags; anything else in a page came from the model's text. */
const OUR_TAGS = new Set(
  'html head meta title link script body a header nav main h1 h2 h3 h4 h5 h6 section dl dt dd p span time table caption colgroup col thead tbody tfoot tr th td ul ol li strong em code pre br hr'.split(' '),
);
const OUR_SCRIPT = /^<script src="(?:\.\.\/)*assets\/search\.js" defer><\/script>$/;

function checkMarkup(path: string, page: string): void {
  for (const m of page.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)) expect(OUR_TAGS.has((m[1] ?? '').toLowerCase()), `<${m[1]}> in ${path}`).toBe(true);
  const scripts = [...page.matchAll(/<script[^>]*>[^<]*<\/script>/gi)].map((m) => m[0]);
  expect(scripts, path).toHaveLength(1);
  expect(scripts[0], path).toMatch(OUR_SCRIPT);
  expect(page.toLowerCase().split('<script').length, path).toBe(2);
  // No event handler or inline style attribute inside any tag.
  for (const tag of page.matchAll(/<[A-Za-z][^>]*>/g)) expect(tag[0], path).not.toMatch(/\s(?:on[a-z]+|style)\s*=/i);
}

/** Checks every internal href/src of every page resolves to an emitted file (and its fragment to an ID there). */
function checkLinks(site: Map<string, string>): number {
  let internal = 0;
  for (const [path, page] of site) {
    if (!path.endsWith('.html')) continue;
    for (const m of page.matchAll(ATTR_URL)) {
      const url = (m[1] ?? '').replaceAll('&amp;', '&');
      if (EXTERNAL.test(url)) continue;
      expect(url, `${path}: ${url}`).not.toMatch(/^\/|^[a-z]+:/i);
      const [target = '', fragment] = url.split('#');
      const resolved = target === '' ? path : posix.normalize(posix.join(posix.dirname(path), target));
      expect(site.has(resolved), `${path} → ${url}`).toBe(true);
      if (fragment !== undefined && resolved.endsWith('.html')) expect(site.get(resolved), `${path} → ${url}`).toContain(`id="${fragment}"`);
      internal++;
    }
  }
  return internal;
}

describe('renderHtmlSite', () => {
  const file = smallFile();
  const site = render(file);
  const pages = [...site].filter(([p]) => p.endsWith('.html'));

  it('writes the index, one page per document and per record, the type lists and the shared assets', () => {
    expect(site.has('index.html')).toBe(true);
    for (const d of file.documents) expect(site.has(`documents/${d.id}.html`), d.id).toBe(true);
    for (const r of file.records) expect(site.has(`records/${r.type}/${r.key}.html`), r.key).toBe(true);
    for (const t of ['SYS', 'SRS', 'TC', 'BAD']) expect(site.has(`records/${t}.html`)).toBe(true);
    for (const a of ['assets/site.css', 'assets/search.js', 'assets/search-index.js']) expect(site.has(a)).toBe(true);
    expect(site.size).toBe(3 + 1 + file.documents.length + 4 + file.records.length);
  });

  it('only uses relative links, and every internal link (and its fragment) resolves to an emitted file', () => {
    expect(checkLinks(site)).toBeGreaterThan(500);
  });

  it('splits a long type list into pages, and a record page points at the list page that holds it', () => {
    const big = render(syntheticTechnicalFile(60)); // 1,200 TC records
    expect(big.has('records/TC.html')).toBe(true);
    expect(big.has('records/TC__p2.html')).toBe(true);
    expect(big.has('records/TC__p3.html')).toBe(false);
    expect(big.get('records/TC.html')).toContain('<a href="TC__p2.html">2</a>');
    expect(big.get('records/TC__p2.html')).toContain('<a href="TC__p2.html" aria-current="page">2</a>');
    expect(big.get('records/TC__p2.html')).toContain('<h1>TC (TC): 1200 records, 1001–1200</h1>');
    expect(big.get('records/TC/TC-1001.html')).toContain('› <a href="../TC__p2.html">TC</a>');
    expect(big.get('records/TC/TC-1000.html')).toContain('› <a href="../TC.html">TC</a>');
    checkLinks(big);
  });

  it('links documents to records and records back to the documents that name them', () => {
    const doc = site.get('documents/srs-small.html') ?? '';
    expect(doc).toContain('href="../records/SRS/SRS-1.html"');
    expect(doc).toContain('href="../records/TC/TC-1.html"');
    expect(doc).toContain('href="trace-matrix.html#h-req-ver"');
    expect(doc).toContain('<span class="missing" title="Not in this technical file">nowhere</span>');
    const rec = site.get('records/SRS/SRS-1.html') ?? '';
    expect(rec).toContain('href="../../documents/srs-small.html#r-SRS-1"');
    expect(rec).toContain('href="../../documents/srs.html#r-SRS-1"');
    expect(rec).toContain('href="../../documents/trace-matrix.html"');
    expect(rec).toContain('href="../SYS/SYS-1.html"');
    expect(rec).toContain('href="../TC/TC-1.html"');
    expect(site.get('records/TC/TC-1.html')).toContain('href="../SRS/SRS-1.html"');
    expect(doc).toContain('<a href="../records/SRS/SRS-3.html">with prefix</a>');
    expect(site.get('records/SRS/SRS-4.html')).toContain('href="../../documents/srs-small.html"');
    const tc = site.get('records/TC/TC-1.html') ?? '';
    expect(tc).toContain('href="../../documents/srs-small.html"');
    const bad = site.get('records/BAD/BAD-1.html') ?? '';
    expect(bad).toContain('<span class="suspect">suspect</span>');
    expect(bad).toContain('<span class="missing" title="Not in this technical file">GONE-7</span>');
    expect(bad).toContain('<a class="ext" href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">ok</a>');
    const index = site.get('index.html') ?? '';
    for (const d of file.documents) expect(index).toContain(`href="documents/${d.id}.html"`);
    expect(index).toContain('href="records/TC.html"');
  });

  it('escapes every text of the model: no tag, attribute or script but our own [DOSSIER-SRS-50]', () => {
    for (const [path, page] of pages) checkMarkup(path, page);
    const bad = site.get('records/BAD/BAD-1.html') ?? '';
    expect(bad).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(bad).toContain('&#39; onmouseover=&#39;alert(3)');
    expect(bad).not.toContain('javascript:');
    expect(site.get('documents/srs-small.html')).not.toContain('href="javascript');
    expect(site.get('documents/srs-small.html')).toContain('<title>SRS &lt;script&gt;');
  });

  it('writes a search index with every record and document, loadable as a script', () => {
    const sandbox: { window: { DOSSIER_SEARCH?: { types: string[][]; documents: string[][]; records: (string | number)[][] } } } = { window: {} };
    runInNewContext(site.get('assets/search-index.js') ?? '', sandbox);
    const index = sandbox.window.DOSSIER_SEARCH;
    expect(index).toBeDefined();
    const keys = new Set(index?.records.map((r) => r[0]));
    expect(keys.size).toBe(file.records.length);
    for (const r of file.records) expect(keys.has(r.key), r.key).toBe(true);
    expect(index?.documents.map((d) => d[0]).sort()).toEqual(file.documents.map((d) => d.id).sort());
    const bad = index?.records.find((r) => r[0] === 'BAD-1');
    expect(bad?.[1]).toBe(HOSTILE);
    // Each entry leads to an emitted page (the path the search script builds).
    for (const r of index?.records ?? []) {
      const t = index?.types[r[2] as number] ?? [];
      expect(site.has(`records/${t[2]}/${String(r[3] ?? r[0])}.html`)).toBe(true);
    }
    const js = site.get('assets/search.js') ?? '';
    expect(js).not.toMatch(/innerHTML|fetch\(|https?:\/\//);
    expect(js).toContain("'assets/search-index.js'");
  });

  it('finds records with the search script, from the page it runs on (a minimal DOM stands in for the browser)', () => {
    class El {
      readonly children: El[] = [];
      readonly attrs = new Map<string, string>();
      readonly listeners = new Map<string, (ev: { key?: string; preventDefault: () => void }) => void>();
      textContent = '';
      className = '';
      value = '';
      href = '';
      src = '';
      onload: (() => void) | undefined;
      constructor(readonly tag: string) {}
      appendChild(c: El): El {
        this.children.push(c);
        if (c.tag === 'script') {
          runInNewContext(site.get(c.src.replace('file:///site/', '')) ?? '', sandbox);
          c.onload?.();
        }
        return c;
      }
      removeChild(c: El): void {
        this.children.splice(this.children.indexOf(c), 1);
      }
      get firstChild(): El | null {
        return this.children[0] ?? null;
      }
      setAttribute(k: string, v: string): void {
        this.attrs.set(k, v);
      }
      addEventListener(type: string, f: (ev: { key?: string; preventDefault: () => void }) => void): void {
        this.listeners.set(type, f);
      }
      querySelector(tag: string): El | null {
        for (const c of this.children) {
          if (c.tag === tag) return c;
          const d = c.querySelector(tag);
          if (d !== null) return d;
        }
        return null;
      }
      focus(): void {}
    }
    const header = new El('header');
    const head = new El('head');
    const document = {
      head,
      currentScript: { src: 'file:///site/assets/search.js' },
      querySelector: (sel: string) => (sel === 'body > header' ? header : null),
      createElement: (tag: string) => new El(tag),
      createTextNode: (text: string) => Object.assign(new El('#text'), { textContent: text }),
    };
    const sandbox: Record<string, unknown> = { document };
    sandbox.window = sandbox;
    runInNewContext(site.get('assets/search.js') ?? '', sandbox);
    const form = header.querySelector('form');
    const input = form?.querySelector('input');
    const list = form?.querySelector('ol');
    expect(form?.attrs.get('role')).toBe('search');
    expect(input?.attrs.get('aria-label')).toBe('Search records and documents');
    const search = (q: string): string[] => {
      if (input !== null && input !== undefined) input.value = q;
      input?.listeners.get('input')?.({ preventDefault: () => undefined });
      return (list?.children ?? []).map((li) => li.children[0]?.href ?? '');
    };
    expect(search('srs-1 dose')).toEqual(['file:///site/records/SRS/SRS-1.html']);
    expect(search('trace')).toContain('file:///site/documents/trace-matrix.html');
    expect(search('BAD-1')).toEqual(['file:///site/records/BAD/BAD-1.html']);
    expect(list?.children[0]?.children[0]?.children.map((c) => c.textContent)).toEqual(['BAD-1', HOSTILE, `Bad ${HOSTILE}`]);
    expect(search('tc')).toHaveLength(40);
    expect(search('e')).toHaveLength(50);
    expect(form?.querySelector('p')?.textContent).toMatch(/^50 of \d+ matches shown\.$/);
    expect(search('no such thing')).toEqual([]);
    expect(form?.querySelector('p')?.textContent).toBe('No match.');
  });

  it('is byte-identical for the same technical file', () => {
    const again = render(smallFile());
    expect([...again.keys()]).toEqual([...site.keys()]);
    for (const [path, content] of site) expect(again.get(path) === content, path).toBe(true);
    // The input's record order does not change the pages either.
    const shuffled = render({ ...file, records: [...file.records].reverse() });
    for (const [path, content] of site) expect(shuffled.get(path) === content, path).toBe(true);
  });

  it('styles every page with the one shared sheet, which has print rules', () => {
    const css = site.get('assets/site.css') ?? '';
    expect(css).toContain('@media print');
    expect(css).toMatch(/h1\{break-before:page\}/);
    expect(css).toMatch(/@media print\{[^]*body>header[^}]*display:none/);
    expect(css).toMatch(/a\.ext::after\{content:" \(" attr\(href\) "\)"/);
    for (const [path, page] of pages) {
      const depth = path.split('/').length - 1;
      expect(page, path).toContain(`<link rel="stylesheet" href="${'../'.repeat(depth)}assets/site.css">`);
      expect(page, path).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'">`);
    }
  });

  it('marks pages up accessibly: language, skip link, landmarks, one h1, headings in order, header cells with scope', () => {
    for (const [path, page] of pages) {
      expect(page, path).toContain('<html lang="en">');
      expect(page, path).toContain('<a class="skip" href="#main">');
      expect(page, path).toContain('<main id="main">');
      expect(page, path).toContain('<nav aria-label="Site">');
      const levels = [...page.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
      expect(levels[0], path).toBe(1);
      expect(levels.filter((l) => l === 1), path).toHaveLength(1);
      for (let i = 1; i < levels.length; i++) expect((levels[i] ?? 0) - (levels[i - 1] ?? 0), `${path} h${levels[i - 1]}→h${levels[i]}`).toBeLessThanOrEqual(1);
      for (const th of page.matchAll(/<th[ >][^>]*/g)) expect(th[0], path).toMatch(/scope="(?:col|row)"/);
    }
  });

  it('shows a document with its cover, history, signatures, contents, tones and gaps [DOSSIER-SRS-46]', () => {
    const doc = site.get('documents/srs-small.html') ?? '';
    expect(doc).toContain('<section class="cover" aria-label="Cover">');
    expect(doc).toContain(file.documents[2]?.contentHash);
    expect(doc).toContain('<dd>1.2.0 (release)</dd>');
    expect(doc).toContain('<time>2026-11-30T12:00:00.000Z</time>');
    expect(doc).toContain('<td>Adds the alarm requirement</td>');
    expect(doc).toContain('<td>Quinn Quality</td><td>quinn.qa</td><td><time>2026-11-20T09:30:00Z</time></td><td>reviewed</td>');
    expect(doc).toMatch(/<nav class="toc" aria-labelledby="contents">.*<a href="#h-purpose">Purpose<\/a>/);
    expect(doc).toContain('<p class="gap" role="note">');
    expect(doc).toContain('<li class="gap">SRS-2 has no verifying test.</li>');
    expect(doc).toContain('<td class="tone-gap">not verified</td>');
    expect(doc).toContain('<colgroup><col class="w20"><col class="w60"><col class="w20"></colgroup>');
    expect(doc).toContain('<hr class="pagebreak">');
    expect(site.get('documents/srs.html')).toContain('<h2 id="signatures">Signatures</h2><p>Not signed.</p>');
    expect(site.get('index.html')).toMatch(/srs-small\.html">SRS &lt;script&gt;.*?<td class="tone-gap">1<\/td>/);
  });

  it('never lets untrusted text open a tag, whatever it holds (fuzz)', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom('<', '>', '"', "'", '&', '<script>', '</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', '&lt;', '\u0000', '\n', '/', '..'),
    );
    const text = fc.array(piece, { maxLength: 6 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, text, text, text, text, (title, key, body, type, anchor) => {
        const rec: RecordPage = {
          key: key === '' ? 'K' : key,
          type: type === '' ? 'T' : type,
          typeName: type,
          title,
          status: title,
          revision: 1,
          hash: body,
          fields: [{ label: title, value: body }],
          body: [...markdownBlocks(body), { kind: 'paragraph', inlines: [{ kind: 'text', text: body, bold: true }] }],
          upstream: [{ linkType: title, key: key === '' ? 'K' : key, title: body, suspect: true }],
          downstream: [],
          signatures: [{ printedName: title, username: body, at: anchor, meaning: type, signed: key }],
        };
        const doc = aDocument({
          id: key,
          title,
          clauses: [body],
          records: [rec.key],
          blocks: [
            { kind: 'heading', level: 1, text: title, anchor },
            { kind: 'table', columns: [{ title: body }], rows: [[{ inlines: [{ kind: 'link', text: title, target: { document: key, anchor } }] }]], caption: title },
            { kind: 'gap', text: body },
            { kind: 'code', text: body },
          ],
          gaps: [body],
        });
        const out = render({ product: { ...doc.product, name: title }, baseline: { ...doc.baseline, label: body }, generatedAt: anchor, documents: [doc], records: [rec] });
        for (const [path, page] of out) {
          expect(path).toMatch(/^[A-Za-z0-9_./-]+$/);
          expect(path.split('/')).not.toContain('..');
          if (path.endsWith('.html')) checkMarkup(path, page);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('html escaper and file names', () => {
  it('escapes markup and replaces control characters', () => {
    expect(html(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html('a\u0000b\u001bc\td\ne')).toBe('a\ufffdb\ufffdc\td\ne');
    expect(html('plain text')).toBe('plain text');
  });

  it('makes each ID one distinct, safe path segment', () => {
    expect(segment('SRS-12')).toBe('SRS-12');
    expect(segment('RPM/SRS-1')).toBe('RPM_2fSRS-1');
    expect(segment('..')).toBe('_2e_2e');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(segment(a)).toMatch(/^[A-Za-z0-9_-]+$/);
        if (a !== b) expect(segment(a)).not.toBe(segment(b));
      }),
    );
  });

  it('orders keys naturally and totally', () => {
    expect(['SRS-10', 'SRS-2', 'SRS-1', 'SYS-1', 'SRS-02'].sort(naturalCompare)).toEqual(['SRS-1', 'SRS-02', 'SRS-2', 'SRS-10', 'SYS-1']);
  });
});

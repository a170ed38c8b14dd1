import type {
  Block,
  Cell,
  CellTone,
  Column,
  GeneratedDocument,
  HistoryRow,
  Inline,
  LinkTarget,
  RecordPage,
  SignatureManifestation,
  TechnicalFile,
} from '../../core/documents/model.js';
import { SEARCH_JS, SITE_CSS } from './html-assets.js';
import { compareNatural, html, naturalCompare, naturalKey, segment } from './html-text.js';

/**
 * The static HTML site of a technical file: an index, one page per document and one per record, links both ways,
 * an offline search, print styles. Pages are handed to `emit` one by one (path relative to the site's root), so a
 * large file is never held twice in memory. Byte-identical for the same technical file: nothing but the model's
 * own `generatedAt` is dated, and every list follows the model's order or a total order on keys.
 *
 * Layout: `index.html`, `documents/<id>.html`, `records/<TYPE>.html` (the records of a type, 1,000 a page, then
 * `records/<TYPE>__p2.html`…), `records/<TYPE>/<KEY>.html`, `assets/site.css`, `assets/search.js`,
 * `assets/search-index.js`. Every URL is
 * relative, so the folder works from disk and from any web server; IDs become file names through `segment`.
 *
 * @param file - the technical file (its text is untrusted: every string is escaped, links come only from the
 *   model's targets)
 * @param emit - receives each file's path (with `/`) and content, in a fixed order
 */
export function renderHtmlSite(file: TechnicalFile, emit: (path: string, content: string) => void): void {
  const site = new Site(file);
  emit('assets/site.css', SITE_CSS);
  emit('assets/search.js', SEARCH_JS);
  emit('assets/search-index.js', site.searchIndex());
  emit('index.html', site.indexPage());
  for (const doc of site.documents) emit(site.documentPath(doc), site.documentPage(doc));
  for (const type of site.types) {
    for (const list of site.typePages(type)) emit(list.path, list.content);
    type.records.forEach((rec, i) => emit(type.paths[i] ?? '', site.recordPage(rec, type, i)));
  }
}

/** The records of one type, in key order, and where their pages go. */
interface TypeGroup {
  readonly type: string;
  readonly typeName: string;
  /** Folder (and list page) name under `records/`. */
  readonly dir: string;
  readonly records: RecordPage[];
  /** Each record's page, from the site's root, in the order of `records`. */
  readonly paths: string[];
}

/** A document a record appears in, and the anchor of its full text there when the document shows it in full. */
interface Appearance {
  readonly doc: GeneratedDocument;
  readonly shown: boolean;
}

const TONES: Readonly<Record<CellTone, string>> = { ok: 'tone-ok', gap: 'tone-gap', warning: 'tone-warning', muted: 'tone-muted' };
/** Records per list page: a type of 200,000 records is not one 28 MB page. */
const LIST_PAGE = 1000;
const SAFE_URL = /^(?:https?:\/\/|mailto:)[^\s<>"']+$/i;
/** Suffix for a second file or ID that would otherwise be the same: `segment` never writes `__`. */
const twin = (n: number): string => `__${n}`;

/** Heading levels in order on one page: never more than one level deeper than the previous heading. */
class Headings {
  private last = 1;
  level(wanted: number): number {
    const l = Math.max(2, Math.min(6, wanted, this.last + 1));
    this.last = l;
    return l;
  }
}

/** One page being written: its folder and depth (for relative URLs), its element IDs, its headings. */
interface PageContext {
  /** The page's folder from the site's root, with a trailing `/` (`records/SRS/`), or `` for the root. */
  readonly dir: string;
  /** `../` once per level of `dir`. */
  readonly root: string;
  readonly ids: Set<string>;
  readonly headings: Headings;
}

class Site {
  readonly documents: readonly GeneratedDocument[];
  readonly types: readonly TypeGroup[];
  private readonly file: TechnicalFile;
  private readonly recordByKey = new Map<string, { readonly rec: RecordPage; readonly path: string }>();
  private readonly docById = new Map<string, { readonly doc: GeneratedDocument; readonly path: string }>();
  private readonly docPath = new Map<GeneratedDocument, string>();
  private readonly appearances = new Map<string, Appearance[]>();
  /** The home link's text on every page, escaped once. */
  private readonly label: string;
  /** This product's key prefix (`RPM/`), which a record link may carry. */
  private readonly prefix: string;

  constructor(file: TechnicalFile) {
    this.file = file;
    this.label = html(`${file.product.name} ${file.baseline.label}`);
    this.prefix = `${file.product.key}/`;
    const taken = new Set<string>(); // lower-cased paths: two IDs differing only in case must not share a file
    const claim = (base: string): string => {
      let p = `${base}.html`;
      for (let n = 2; taken.has(p.toLowerCase()); n++) p = `${base}${twin(n)}.html`;
      taken.add(p.toLowerCase());
      return p;
    };

    const docs: GeneratedDocument[] = [];
    for (const doc of file.documents) {
      if (this.docById.has(doc.id)) continue; // the first document of an ID wins, so links stay unambiguous
      const path = claim(`documents/${segment(doc.id)}`);
      this.docById.set(doc.id, { doc, path });
      this.docPath.set(doc, path);
      docs.push(doc);
    }
    this.documents = docs;

    const byType = new Map<string, RecordPage[]>();
    const typeName = new Map<string, string>();
    for (const rec of file.records) {
      if (this.recordByKey.has(rec.key)) continue;
      this.recordByKey.set(rec.key, { rec, path: '' });
      let list = byType.get(rec.type);
      if (list === undefined) byType.set(rec.type, (list = []));
      list.push(rec);
      if (!typeName.has(rec.type)) typeName.set(rec.type, rec.typeName);
    }
    const typeKeys = [...byType.keys()].sort(naturalCompare);
    this.types = typeKeys.map((type) => {
      const dir = claim(`records/${segment(type)}`).slice('records/'.length, -'.html'.length);
      const records = (byType.get(type) ?? [])
        .map((rec) => ({ rec, key: naturalKey(rec.key) }))
        .sort((a, b) => compareNatural(a.key, b.key))
        .map((x) => x.rec);
      const paths = records.map((rec) => {
        const path = claim(`records/${dir}/${segment(rec.key)}`);
        this.recordByKey.set(rec.key, { rec, path });
        return path;
      });
      return { type, typeName: typeName.get(type) ?? type, dir, records, paths };
    });

    // The "shown in" reverse index, built once: record key → the documents that show or name it, in document order.
    for (const doc of docs) {
      const shown = new Set<string>();
      for (const b of doc.blocks) if (b.kind === 'record') shown.add(this.keyOf(b.key));
      const named = new Set<string>([...doc.records.map((k) => this.keyOf(k)), ...shown]);
      for (const key of named) {
        let list = this.appearances.get(key);
        if (list === undefined) this.appearances.set(key, (list = []));
        list.push({ doc, shown: shown.has(key) });
      }
    }
  }

  documentPath(doc: GeneratedDocument): string {
    return this.docPath.get(doc) ?? '';
  }

  /** The key a record's page has, for a key written with or without this product's prefix. */
  private keyOf(key: string): string {
    return this.record(key)?.rec.key ?? key;
  }

  /** A record by key, also when written with this product's prefix (`RPM/SRS-1`). */
  private record(key: string): { readonly rec: RecordPage; readonly path: string } | undefined {
    const found = this.recordByKey.get(key);
    if (found !== undefined) return found;
    return key.startsWith(this.prefix) ? this.recordByKey.get(key.slice(this.prefix.length)) : undefined;
  }

  // ---------------------------------------------------------------------------------------------- pages

  searchIndex(): string {
    const index = {
      types: this.types.map((t) => [t.type, t.typeName, t.dir]),
      documents: this.documents.map((d) => [d.id, d.title, this.documentPath(d).slice('documents/'.length, -'.html'.length)]),
      records: this.types.flatMap((t, i) =>
        t.records.map((r, k) => {
          const file = (t.paths[k] ?? '').slice(`records/${t.dir}/`.length, -'.html'.length);
          return file === r.key ? [r.key, r.title, i] : [r.key, r.title, i, file];
        }),
      ),
    };
    // A script, not JSON: the page loads it with a script element, which works from file:// where fetch does not.
    return `window.DOSSIER_SEARCH=${JSON.stringify(index)};\n`;
  }

  indexPage(): string {
    const f = this.file;
    const ctx = context('');
    let body = `<h1>Technical file: ${html(f.product.name)}</h1>`;
    body += `<section class="cover" aria-label="Product and baseline"><dl>`;
    body += dl('Product', `${html(f.product.name)} (${html(f.product.key)})`);
    body += dl('Safety class', html(f.product.safetyClass));
    body += dl('Intended use', html(f.product.intendedUse));
    body += dl('Baseline', `${html(f.baseline.label)} (${f.baseline.kind === 'release' ? 'release' : 'current state'})`);
    body += dl('Baseline hash', `<code>${html(f.baseline.hash)}</code>`);
    body += dl('Generated', `<time>${html(f.generatedAt)}</time>`);
    body += `</dl></section>`;

    body += `<h2 id="documents">Documents</h2>`;
    if (this.documents.length === 0) body += `<p>No document was generated.</p>`;
    else {
      body += `<table><thead><tr><th scope="col">Document</th><th scope="col">Answers</th><th scope="col">Records</th><th scope="col">Gaps</th></tr></thead><tbody>`;
      for (const d of this.documents) {
        const gaps = d.gaps.length;
        body += `<tr><td><a href="${this.documentPath(d)}">${html(d.title)}</a></td><td>${html(d.clauses.join('; '))}</td>`;
        body += `<td>${d.records.length}</td><td${gaps > 0 ? ' class="tone-gap"' : ''}>${gaps}</td></tr>`;
      }
      body += `</tbody></table>`;
    }

    body += `<h2 id="records">Records</h2>`;
    if (this.types.length === 0) body += `<p>No record.</p>`;
    else {
      body += `<table><thead><tr><th scope="col">Type</th><th scope="col">Name</th><th scope="col">Records</th></tr></thead><tbody>`;
      let total = 0;
      for (const t of this.types) {
        total += t.records.length;
        body += `<tr><td><a href="records/${t.dir}.html">${html(t.type)}</a></td><td>${html(t.typeName)}</td><td>${t.records.length}</td></tr>`;
      }
      body += `</tbody><tfoot><tr><th scope="row" colspan="2">All records</th><td>${total}</td></tr></tfoot></table>`;
    }
    return this.page(ctx, `Technical file — ${f.product.name}`, body);
  }

  documentPage(doc: GeneratedDocument): string {
    const ctx = context('documents/');
    let head = `<h1>${html(doc.title)}</h1>`;
    head += `<section class="cover" aria-label="Cover"><dl>`;
    head += dl('Product', `${html(doc.product.name)} (${html(doc.product.key)}), safety class ${html(doc.product.safetyClass)}`);
    head += dl('Document', html(doc.id));
    if (doc.clauses.length > 0) head += dl('Answers', html(doc.clauses.join('; ')));
    head += dl('Baseline', `${html(doc.baseline.label)} (${doc.baseline.kind === 'release' ? 'release' : 'current state'})`);
    head += dl('Baseline hash', `<code>${html(doc.baseline.hash)}</code>`);
    head += dl('Generated', `<time>${html(doc.generatedAt)}</time>`);
    head += dl('Content SHA-256', `<code>${html(doc.contentHash)}</code>`);
    head += dl('Gaps', doc.gaps.length === 0 ? 'none' : `<strong>${doc.gaps.length}</strong>`);
    head += `</dl></section>`;

    head += `<h2 id="history">Revision history</h2>${history(doc.history)}`;
    head += `<h2 id="signatures">Signatures</h2>${signatures(doc.signatures)}`;
    if (doc.gaps.length > 0) {
      head += `<h2 id="gaps">Gaps</h2><ul>`;
      for (const g of doc.gaps) head += `<li class="gap">${html(g)}</li>`;
      head += `</ul>`;
    }

    const toc: string[] = [];
    let content = '';
    let section = 1; // the rendered level of the last document heading: a record shown in full goes one below it
    for (const b of doc.blocks) {
      if (b.kind === 'heading') {
        const level = ctx.headings.level(b.level + 1);
        section = level;
        const id = uniqueId(ctx, `h-${segment(b.anchor)}`);
        toc.push(`<li class="l${level}"><a href="#${id}">${html(b.text)}</a></li>`);
        content += `<h${level} id="${id}">${html(b.text)}</h${level}>`;
      } else if (b.kind === 'record') {
        content += this.recordBlock(ctx, b, section + 1);
      } else content += this.block(ctx, b, 0);
    }
    const contents = toc.length === 0 ? '' : `<nav class="toc" aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>${toc.join('')}</ol></nav>`;
    return this.page(ctx, doc.title, head + contents + content, `<a href="../index.html#documents">Documents</a>`);
  }

  /** The list pages of a type: `records/<TYPE>.html`, then `records/<TYPE>__p2.html`… of `LIST_PAGE` records each. */
  typePages(type: TypeGroup): { readonly path: string; readonly content: string }[] {
    const count = Math.max(1, Math.ceil(type.records.length / LIST_PAGE));
    const out: { path: string; content: string }[] = [];
    for (let p = 1; p <= count; p++) {
      const ctx = context('records/');
      const from = (p - 1) * LIST_PAGE;
      const to = Math.min(type.records.length, from + LIST_PAGE);
      const part = count === 1 ? '' : `, ${from + 1}–${to}`;
      let body = `<h1>${html(type.typeName)} (${html(type.type)}): ${type.records.length} records${part}</h1>`;
      const pager = count === 1 ? '' : this.pager(type, p, count);
      body += pager;
      body += `<table><thead><tr><th scope="col">Record</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Revision</th></tr></thead><tbody>`;
      for (let i = from; i < to; i++) {
        const r = type.records[i] as RecordPage;
        body += `<tr><td><a href="${(type.paths[i] ?? '').slice('records/'.length)}">${html(r.key)}</a></td><td>${html(r.title)}</td><td>${html(r.status)}</td><td>${r.revision}</td></tr>`;
      }
      body += `</tbody></table>${pager}`;
      out.push({ path: `records/${listFile(type, p)}`, content: this.page(ctx, `${type.typeName} records${part}`, body, `<a href="../index.html#records">Records</a>`) });
    }
    return out;
  }

  private pager(type: TypeGroup, current: number, count: number): string {
    let out = `<nav class="pager" aria-label="${html(type.typeName)} pages"><ol>`;
    for (let p = 1; p <= count; p++) {
      out += p === current ? `<li><a href="${listFile(type, p)}" aria-current="page">${p}</a></li>` : `<li><a href="${listFile(type, p)}">${p}</a></li>`;
    }
    return `${out}</ol></nav>`;
  }


  recordPage(rec: RecordPage, type: TypeGroup, index: number): string {
    const ctx = context(`records/${type.dir}/`);
    let body = `<h1>${html(rec.key)}: ${html(rec.title)}</h1>`;
    body += `<p class="meta">${html(rec.typeName)}, ${html(rec.status)}, revision ${rec.revision} `;
    body += `<code>${html(rec.hash)}</code></p>`;
    if (rec.fields.length > 0) {
      body += `<dl>`;
      for (const f of rec.fields) body += dl(html(f.label), html(f.value));
      body += `</dl>`;
    }
    if (rec.body.length > 0) {
      ctx.headings.level(2);
      body += `<h2>Description</h2>`;
      for (const b of rec.body) body += this.block(ctx, b, 2);
    }
    body += `<h2>Links to</h2>${this.links(ctx, rec.upstream)}`;
    body += `<h2>Linked from</h2>${this.links(ctx, rec.downstream)}`;
    body += `<h2>Signatures</h2>${signatures(rec.signatures)}`;
    body += `<h2>Shown in</h2>${this.shownIn(ctx, rec)}`;
    const list = listFile(type, Math.floor(index / LIST_PAGE) + 1);
    return this.page(ctx, `${rec.key}: ${rec.title}`, body, `<a href="../${list}">${html(type.typeName)}</a>`);
  }

  // ---------------------------------------------------------------------------------------------- parts

  /** A whole page; `crumb` is the link to its parent after the home link (the type list above a record). */
  private page(ctx: PageContext, title: string, main: string, crumb = ''): string {
    const r = ctx.root;
    return (
      `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
      `<meta http-equiv="Content-Security-Policy" content="default-src 'self'">` +
      `<meta name="viewport" content="width=device-width"><title>${html(title)}</title>` +
      `<link rel="stylesheet" href="${r}assets/site.css"><script src="${r}assets/search.js" defer></script></head>` +
      `<body><a class="skip" href="#main">Skip to content</a><header><nav aria-label="Site">` +
      `<a href="${r}index.html">${this.label}</a>${crumb === '' ? '' : ` › ${crumb}`}</nav></header>` +
      `<main id="main">${main}</main></body></html>\n`
    );
  }

  /** A record shown in full inside a document, its heading linking to its own page. */
  private recordBlock(ctx: PageContext, b: Extract<Block, { kind: 'record' }>, wanted: number): string {
    const level = ctx.headings.level(wanted);
    const found = this.record(b.key);
    const id = `r-${segment(found?.rec.key ?? b.key)}`;
    const idAttr = ctx.ids.has(id) ? '' : (ctx.ids.add(id), ` id="${id}"`);
    const key = found === undefined ? missing(html(b.key)) : `<a href="${href(ctx, found.path)}">${html(b.key)}</a>`;
    let out = `<section class="record"${idAttr}><h${level}>${key} ${html(b.title)}</h${level}>`;
    out += `<p class="meta">${html(b.type)}, revision ${b.revision}, ${html(b.status)}</p>`;
    if (b.fields.length > 0) {
      out += `<dl>`;
      for (const f of b.fields) out += dl(html(f.label), html(f.value));
      out += `</dl>`;
    }
    for (const x of b.body) out += this.block(ctx, x, level);
    return `${out}</section>`;
  }

  /**
   * One block. `base` is the rendered level its headings nest under (0 for a document's own blocks, whose headings
   * the caller handles).
   */
  private block(ctx: PageContext, b: Block, base: number): string {
    switch (b.kind) {
      case 'heading': {
        const level = ctx.headings.level(base + b.level);
        return `<h${level}>${html(b.text)}</h${level}>`;
      }
      case 'paragraph':
        return `<p>${this.inlines(ctx, b.inlines)}</p>`;
      case 'list': {
        const tag = b.ordered ? 'ol' : 'ul';
        return `<${tag}>${b.items.map((it) => `<li>${this.inlines(ctx, it)}</li>`).join('')}</${tag}>`;
      }
      case 'code':
        return `<pre><code>${html(b.text)}</code></pre>`;
      case 'table':
        return this.table(ctx, b.columns, b.rows, b.caption);
      case 'record':
        return this.recordBlock(ctx, b, base + 1);
      case 'gap':
        return `<p class="gap" role="note"><span class="sr">Gap: </span>${html(b.text)}</p>`;
      case 'pagebreak':
        return `<hr class="pagebreak">`;
    }
  }

  private table(ctx: PageContext, columns: readonly Column[], rows: readonly (readonly Cell[])[], caption: string | undefined): string {
    let out = '<table>';
    if (caption !== undefined && caption !== '') out += `<caption>${html(caption)}</caption>`;
    const widths = columns.map((c) => (c.width !== undefined && Number.isFinite(c.width) && c.width > 0 ? c.width : 1));
    const sum = widths.reduce((a, w) => a + w, 0);
    if (columns.length > 1 && widths.some((w) => w !== widths[0])) {
      // Relative widths as classes (the CSP allows no inline style), rounded to 5 %.
      out += `<colgroup>${widths.map((w) => `<col class="w${Math.min(100, Math.max(5, Math.round((w / sum) * 20) * 5))}">`).join('')}</colgroup>`;
    }
    out += `<thead><tr>${columns.map((c) => `<th scope="col">${html(c.title)}</th>`).join('')}</tr></thead><tbody>`;
    for (const row of rows) {
      out += '<tr>';
      for (const cell of row) out += cell.tone === undefined ? `<td>${this.inlines(ctx, cell.inlines)}</td>` : `<td class="${TONES[cell.tone]}">${this.inlines(ctx, cell.inlines)}</td>`;
      out += '</tr>';
    }
    return `${out}</tbody></table>`;
  }

  private inlines(ctx: PageContext, runs: readonly Inline[]): string {
    let out = '';
    for (const r of runs) {
      if (r.kind === 'link') {
        out += this.link(ctx, r.text, r.target);
        continue;
      }
      let t = html(r.text);
      if (t.includes('\n')) t = t.replace(/\r?\n/g, '<br>');
      if (r.code === true) t = `<code>${t}</code>`;
      if (r.italic === true) t = `<em>${t}</em>`;
      if (r.bold === true) t = `<strong>${t}</strong>`;
      out += t;
    }
    return out;
  }

  /** A link only to what the site holds or to a safe outside address; anything else stays text. */
  private link(ctx: PageContext, text: string, target: LinkTarget): string {
    const label = html(text);
    if ('record' in target) {
      const found = this.record(target.record);
      return found === undefined ? missing(label) : `<a href="${href(ctx, found.path)}">${label}</a>`;
    }
    if ('document' in target) {
      const found = this.docById.get(target.document);
      if (found === undefined) return missing(label);
      const anchor = target.anchor === undefined || target.anchor === '' ? '' : `#h-${segment(target.anchor)}`;
      return `<a href="${href(ctx, found.path)}${anchor}">${label}</a>`;
    }
    const url = target.url.trim();
    return SAFE_URL.test(url) ? `<a class="ext" href="${html(url)}" rel="noopener noreferrer">${label}</a>` : label;
  }

  private links(ctx: PageContext, links: RecordPage['upstream']): string {
    if (links.length === 0) return '<p>None.</p>';
    let out = '<ul>';
    for (const l of links) {
      const found = this.record(l.key);
      const key = found === undefined ? missing(html(l.key)) : `<a href="${href(ctx, found.path)}">${html(l.key)}</a>`;
      out += `<li><span class="lt">${html(l.linkType)}</span>${key} ${html(l.title)}${l.suspect ? ' <span class="suspect">suspect</span>' : ''}</li>`;
    }
    return `${out}</ul>`;
  }

  private shownIn(ctx: PageContext, rec: RecordPage): string {
    const seen = new Set<string>();
    let items = '';
    for (const a of this.appearances.get(rec.key) ?? []) {
      seen.add(a.doc.id);
      const anchor = a.shown ? `#r-${segment(rec.key)}` : '';
      items += `<li><a href="${href(ctx, this.documentPath(a.doc))}${anchor}">${html(a.doc.title)}</a></li>`;
    }
    for (const d of rec.documents ?? []) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      const found = this.docById.get(d.id);
      items += `<li>${found === undefined ? missing(html(d.title)) : `<a href="${href(ctx, found.path)}">${html(d.title)}</a>`}</li>`;
    }
    return items === '' ? '<p>None.</p>' : `<ul>${items}</ul>`;
  }
}

/** A type's list page `p` (1-based), relative to `records/`; `__` never comes out of `segment`, so no record clashes. */
function listFile(type: TypeGroup, p: number): string {
  return p === 1 ? `${type.dir}.html` : `${type.dir}__p${p}.html`;
}

function context(dir: string): PageContext {
  return { dir, root: '../'.repeat(dir.split('/').length - 1), ids: new Set(), headings: new Headings() };
}

/** A site path (`records/SYS/SYS-1.html`) relative to the page: short, so record pages stay small. */
function href(ctx: PageContext, path: string): string {
  if (ctx.dir === '') return path;
  if (path.startsWith(ctx.dir)) return path.slice(ctx.dir.length);
  // From records/<TYPE>/ to another type's record: one level up is enough.
  if (ctx.root === '../../' && path.startsWith('records/')) return `../${path.slice('records/'.length)}`;
  return ctx.root + path;
}

function uniqueId(ctx: PageContext, id: string): string {
  let out = id;
  for (let n = 2; ctx.ids.has(out); n++) out = `${id}${twin(n)}`;
  ctx.ids.add(out);
  return out;
}

/** One term and its description; both already HTML. */
function dl(term: string, value: string): string {
  return `<dt>${term}</dt><dd>${value}</dd>`;
}

function missing(label: string): string {
  return `<span class="missing" title="Not in this technical file">${label}</span>`;
}

function history(rows: readonly HistoryRow[]): string {
  if (rows.length === 0) return '<p>No revision history.</p>';
  let out = '<table><thead><tr><th scope="col">Revision</th><th scope="col">Date</th><th scope="col">Author</th><th scope="col">Description</th></tr></thead><tbody>';
  for (const r of rows) out += `<tr><td>${html(r.revision)}</td><td>${html(r.date)}</td><td>${html(r.author)}</td><td>${html(r.description)}</td></tr>`;
  return `${out}</tbody></table>`;
}

/** 21 CFR 11.50: printed name, date and time, and meaning of each signature. */
function signatures(sigs: readonly SignatureManifestation[]): string {
  if (sigs.length === 0) return '<p>Not signed.</p>';
  let out =
    '<table><thead><tr><th scope="col">Printed name</th><th scope="col">User</th><th scope="col">Signed at</th><th scope="col">Meaning</th><th scope="col">What was signed</th></tr></thead><tbody>';
  for (const s of sigs) {
    out += `<tr><td>${html(s.printedName)}</td><td>${html(s.username)}</td><td><time>${html(s.at)}</time></td><td>${html(s.meaning)}</td><td>${html(s.signed)}</td></tr>`;
  }
  return `${out}</tbody></table>`;
}

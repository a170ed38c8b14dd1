import type { Block, Cell, GeneratedDocument, Inline } from '../../../../src/core/documents/model.js';

/**
 * A generated document (the model `docs.build` returns) as HTML: every text escaped, links only to records, other
 * documents and http(s)/mailto addresses. The page shows it (sanitized once more) and offers it as a file.
 */

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESC[c] ?? c);
}

export interface HtmlLinks {
  /** The address of a record's page (`/p/RPM/records/SRS-3`). */
  readonly record: (key: string) => string;
  /** The address of another generated document (and a heading in it). */
  readonly document: (id: string, anchor?: string) => string;
}

function safeUrl(url: string): string | undefined {
  return /^(https?:|mailto:)/i.test(url.trim()) ? url.trim() : undefined;
}

function inlines(list: readonly Inline[], links: HtmlLinks): string {
  return list
    .map((i) => {
      if (i.kind === 'text') {
        let s = escapeHtml(i.text);
        if (i.code === true) s = `<code>${s}</code>`;
        if (i.bold === true) s = `<strong>${s}</strong>`;
        if (i.italic === true) s = `<em>${s}</em>`;
        return s;
      }
      const t = i.target;
      const href = 'record' in t ? links.record(t.record) : 'document' in t ? links.document(t.document, t.anchor) : safeUrl(t.url);
      return href === undefined ? escapeHtml(i.text) : `<a href="${escapeHtml(href)}">${escapeHtml(i.text)}</a>`;
    })
    .join('');
}

function cell(c: Cell, links: HtmlLinks, tag: 'td' | 'th'): string {
  return `<${tag}${c.tone === undefined ? '' : ` class="tone-${c.tone}"`}>${inlines(c.inlines, links)}</${tag}>`;
}

function blocks(list: readonly Block[], links: HtmlLinks): string {
  return list
    .map((b) => {
      switch (b.kind) {
        case 'heading': {
          const level = Math.min(6, b.level + 1);
          return `<h${level} id="${escapeHtml(b.anchor)}">${escapeHtml(b.text)}</h${level}>`;
        }
        case 'paragraph':
          return `<p>${inlines(b.inlines, links)}</p>`;
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          return `<${tag}>${b.items.map((it) => `<li>${inlines(it, links)}</li>`).join('')}</${tag}>`;
        }
        case 'code':
          return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
        case 'table':
          return (
            `<div class="table-wrap"><table>${b.caption === undefined ? '' : `<caption>${escapeHtml(b.caption)}</caption>`}` +
            `<thead><tr>${b.columns.map((c) => `<th scope="col">${escapeHtml(c.title)}</th>`).join('')}</tr></thead>` +
            `<tbody>${b.rows.map((r) => `<tr>${r.map((c) => cell(c, links, 'td')).join('')}</tr>`).join('')}</tbody></table></div>`
          );
        case 'record':
          return (
            `<section class="record"><p class="record-head"><a href="${escapeHtml(links.record(b.key))}">${escapeHtml(b.key)}</a> ${escapeHtml(b.title)} ` +
            `<span class="meta">(${escapeHtml(b.type)}, revision ${b.revision}, ${escapeHtml(b.status.replaceAll('_', ' '))})</span></p>` +
            (b.fields.length === 0 ? '' : `<dl>${b.fields.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`).join('')}</dl>`) +
            `${blocks(b.body, links)}</section>`
          );
        case 'gap':
          return `<p class="gap"><strong>Gap:</strong> ${escapeHtml(b.text)}</p>`;
        case 'pagebreak':
          return '<hr class="pagebreak">';
      }
      return '';
    })
    .join('\n');
}

/** The document's body as HTML (a fragment: title, what it was made from, content, history, signatures). */
export function documentHtml(doc: GeneratedDocument, links: HtmlLinks): string {
  const parts = [
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="meta">${escapeHtml(doc.product.name)} (${escapeHtml(doc.product.key)}) · ${escapeHtml(doc.baseline.kind === 'release' ? `release ${doc.baseline.label}` : doc.baseline.label)} · generated ${escapeHtml(doc.generatedAt)}</p>`,
    doc.clauses.length === 0 ? '' : `<p class="meta">Answers ${doc.clauses.map(escapeHtml).join(', ')}</p>`,
    `<p class="meta">Content hash <code>${escapeHtml(doc.contentHash)}</code></p>`,
    doc.gaps.length === 0 ? '' : `<div class="gaps"><p><strong>${doc.gaps.length} gap${doc.gaps.length === 1 ? '' : 's'}</strong></p><ul>${doc.gaps.map((g) => `<li>${escapeHtml(g)}</li>`).join('')}</ul></div>`,
    blocks(doc.blocks, links),
  ];
  if (doc.history.length > 0) {
    parts.push(
      '<h2>Revision history</h2><div class="table-wrap"><table><thead><tr><th scope="col">Revision</th><th scope="col">Date</th><th scope="col">Author</th><th scope="col">Description</th></tr></thead><tbody>' +
        doc.history.map((h) => `<tr><td>${escapeHtml(h.revision)}</td><td>${escapeHtml(h.date)}</td><td>${escapeHtml(h.author)}</td><td>${escapeHtml(h.description)}</td></tr>`).join('') +
        '</tbody></table></div>',
    );
  }
  if (doc.signatures.length > 0) {
    parts.push(
      `<h2>Signatures</h2><ul>${doc.signatures.map((s) => `<li>${escapeHtml(s.printedName)} (${escapeHtml(s.username)}), ${escapeHtml(s.meaning)}, ${escapeHtml(s.at)}: ${escapeHtml(s.signed)}</li>`).join('')}</ul>`,
    );
  }
  return parts.filter((p) => p !== '').join('\n');
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f1f3f5}.meta{color:#555;font-size:.9rem}.gap,.gaps{background:#fff4e6;border-left:4px solid #d9480f;padding:4px 8px}
.tone-gap{background:#ffe3e3}.tone-warning{background:#fff3bf}.tone-ok{background:#ebfbee}.tone-muted{color:#666}
.record{border-top:1px solid #ddd;margin-top:1rem}.record-head{font-weight:600}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dd{margin:0}
hr.pagebreak{border:0;page-break-after:always}`;

/** A document as a file of its own: a whole HTML page, links to records pointing at `origin`'s record pages. */
export function standaloneHtml(doc: GeneratedDocument, origin: string): string {
  const links: HtmlLinks = {
    record: (key) => `${origin}/p/${encodeURIComponent(doc.product.key)}/records/${encodeURIComponent(key)}`,
    document: (id, anchor) => `${encodeURIComponent(id)}.html${anchor === undefined ? '' : `#${encodeURIComponent(anchor)}`}`,
  };
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)} · ${escapeHtml(doc.product.name)}</title><style>${STYLE}</style></head><body>\n${documentHtml(doc, links)}\n</body></html>\n`;
}

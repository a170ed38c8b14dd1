import type { XmlElement } from './reqif-xml.js';

/**
 * ReqIF XHTML attribute content → Markdown, through an allowlist. Kept as formatting: p, div, br, b/strong, i/em,
 * ul/ol/li, table/tr/td/th (and thead/tbody/tfoot), a with an http(s) href, h1–h6, code/pre, span. Everything else
 * is judged:
 * - active content is REFUSED (a problem: the import stops, nothing is written): `script`, `iframe`, `frame`,
 *   `embed`, `applet`, `form`, any `on…` event-handler attribute, a `javascript:` or `vbscript:` URL. A file that
 *   carries them was made to attack a reader, or by a tool we should not trust blindly; the person importing
 *   must look at it.
 * - inert content we cannot keep is DROPPED with a warning: `style`, `object` and `img` (DOORS puts OLE objects and
 *   pictures there: embedded files are not imported), links to other schemes, unknown elements (their text kept).
 *
 * A `div` with class `dossier-markdown` holding one `pre` is Dossier's own verbatim Markdown (see
 * `export/reqif-xhtml.ts`): its text is the Markdown, exactly.
 */

/** One finding in an XHTML value, at the element concerned. */
export interface XhtmlIssue {
  readonly severity: 'problem' | 'warning';
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/** The class that marks Dossier's verbatim Markdown. */
export const VERBATIM_CLASS = 'dossier-markdown';

const REFUSED = new Set(['script', 'iframe', 'frame', 'frameset', 'embed', 'applet', 'form', 'base', 'meta', 'link']);
const DROPPED = new Set(['style', 'object', 'img', 'param', 'input', 'button', 'select', 'textarea', 'svg', 'math', 'audio', 'video', 'canvas']);
const BLOCKS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'pre', 'table', 'blockquote']);
const INLINE_KEPT = new Set(['b', 'strong', 'i', 'em', 'code', 'a', 'br', 'span']);
const TABLE_PARTS = new Set(['thead', 'tbody', 'tfoot', 'caption', 'colgroup', 'col', 'tr', 'td', 'th', 'li']);
const URL_ATTRS = new Set(['href', 'src', 'data', 'action', 'formaction', 'xlink:href', 'background', 'codebase', 'cite']);

class Converter {
  readonly issues: XhtmlIssue[] = [];
  private readonly warned = new Set<string>();

  private problem(el: XmlElement, message: string): void {
    this.issues.push({ severity: 'problem', message, line: el.line, column: el.column });
  }

  private warn(el: XmlElement, key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.issues.push({ severity: 'warning', message, line: el.line, column: el.column });
  }

  /** Refuses active attributes; true when the element may be rendered at all. */
  private vet(el: XmlElement): boolean {
    for (const [k, v] of Object.entries(el.attrs)) {
      if (/^on/i.test(k)) this.problem(el, `<${el.qname}> has an event-handler attribute ${k} (active content is refused)`);
      // eslint-disable-next-line no-control-regex -- browsers ignore control characters inside a URL scheme
      else if (URL_ATTRS.has(k.toLowerCase()) && /^\s*(javascript|vbscript)\s*:/i.test(v.replace(/[\u0000-\u001f]/g, ''))) {
        this.problem(el, `<${el.qname}> has a ${v.trim().split(':')[0] ?? ''}: URL in ${k} (active content is refused)`);
      }
    }
    const n = el.name.toLowerCase();
    if (REFUSED.has(n)) {
      this.problem(el, `<${el.qname}> is active content and is refused`);
      return false;
    }
    if (DROPPED.has(n)) {
      this.warn(el, n, `<${el.qname}> removed (${n === 'object' || n === 'img' ? 'embedded files and pictures are not imported' : 'not kept'})`);
      return false;
    }
    return true;
  }

  /** Blocks of Markdown from a run of nodes, each block one paragraph, heading, list, code block or table. */
  blocks(nodes: readonly (XmlElement | string)[]): string[] {
    const out: string[] = [];
    let run: (XmlElement | string)[] = [];
    const flush = (): void => {
      const p = this.paragraph(run);
      if (p !== '') out.push(p);
      run = [];
    };
    for (const n of nodes) {
      if (typeof n === 'string' || !BLOCKS.has(n.name.toLowerCase())) {
        run.push(n);
        continue;
      }
      flush();
      if (!this.vet(n)) continue;
      out.push(...this.block(n));
    }
    flush();
    return out;
  }

  private block(el: XmlElement): string[] {
    const n = el.name.toLowerCase();
    switch (n) {
      case 'p': {
        const p = this.paragraph(el.children);
        return p === '' ? [] : [p];
      }
      case 'div':
      case 'blockquote':
        return this.blocks(el.children);
      case 'pre':
        return ['```\n' + this.raw(el) + '\n```'];
      case 'ul':
      case 'ol':
        return [this.list(el, n === 'ol')].filter((s) => s !== '');
      case 'table':
        return [this.table(el)].filter((s) => s !== '');
      default: {
        const h = this.paragraph(el.children).replace(/\n/g, ' ');
        return h === '' ? [] : [`${'#'.repeat(Number(n.slice(1)))} ${h}`];
      }
    }
  }

  /** Inline content as one paragraph: whitespace collapsed as a browser would, `<br>` a line break. */
  private paragraph(nodes: readonly (XmlElement | string)[]): string {
    return this.inline(nodes)
      .split('\n')
      .map((l) => l.trim())
      .join('\n')
      .replace(/^\n+|\n+$/g, '');
  }

  private inline(nodes: readonly (XmlElement | string)[]): string {
    let s = '';
    for (const n of nodes) {
      if (typeof n === 'string') {
        s += n.replace(/[ \t\r\n]+/g, ' ');
        continue;
      }
      if (!this.vet(n)) continue;
      const name = n.name.toLowerCase();
      switch (name) {
        case 'br':
          s += '\n';
          break;
        case 'b':
        case 'strong':
          s += wrap('**', this.inline(n.children));
          break;
        case 'i':
        case 'em':
          s += wrap('*', this.inline(n.children));
          break;
        case 'code': {
          const c = this.raw(n).replace(/\n/g, ' ');
          s += c === '' ? '' : '`' + c + '`';
          break;
        }
        case 'a': {
          const text = this.inline(n.children);
          const href = (n.attrs.href ?? '').trim();
          if (/^https?:\/\/[^\s()<>]+$/i.test(href)) s += `[${text.trim() === '' ? href : text}](${href})`;
          else {
            if (href !== '' && !/^#/.test(href) && !/^\s*(javascript|vbscript)\s*:/i.test(href)) this.warn(n, `a:${href.split(':')[0] ?? ''}`, `link to '${href.slice(0, 80)}' removed (only http and https links are kept); its text is kept`);
            s += text;
          }
          break;
        }
        case 'span':
          s += this.inline(n.children);
          break;
        default:
          if (BLOCKS.has(name)) {
            // A block inside inline content (a list in a span): render it on its own lines.
            s += '\n' + this.block(n).join('\n\n') + '\n';
          } else {
            if (!INLINE_KEPT.has(name) && !TABLE_PARTS.has(name)) this.warn(n, name, `<${n.qname}> is not kept as formatting; its text is`);
            s += this.inline(n.children);
          }
      }
    }
    return s;
  }

  /** Text exactly as written (code and preformatted blocks), markup inside refused or dropped as elsewhere. */
  private raw(el: XmlElement): string {
    let s = '';
    for (const c of el.children) {
      if (typeof c === 'string') s += c;
      else if (this.vet(c)) s += c.name.toLowerCase() === 'br' ? '\n' : this.raw(c);
    }
    return s;
  }

  private list(el: XmlElement, ordered: boolean): string {
    const items: string[] = [];
    let i = 1;
    for (const li of el.children) {
      if (typeof li === 'string' || !this.vet(li)) continue;
      const marker = ordered ? `${i++}. ` : '- ';
      const body = this.blocks(li.children).join('\n\n');
      const pad = ' '.repeat(marker.length);
      items.push(marker + body.split('\n').map((l, k) => (k === 0 || l === '' ? l : pad + l)).join('\n'));
    }
    return items.join('\n');
  }

  private table(el: XmlElement): string {
    const rows: string[][] = [];
    const walk = (e: XmlElement): void => {
      for (const c of e.children) {
        if (typeof c === 'string' || !this.vet(c)) continue;
        const n = c.name.toLowerCase();
        if (n === 'tr') {
          rows.push(
            c.children
              .filter((x): x is XmlElement => typeof x !== 'string' && ['td', 'th'].includes(x.name.toLowerCase()) && this.vet(x))
              .map((x) => this.paragraph(x.children).replace(/\n/g, ' ').replace(/\|/g, '\\|')),
          );
        } else if (n === 'thead' || n === 'tbody' || n === 'tfoot') walk(c);
      }
    };
    walk(el);
    if (rows.length === 0) return '';
    const width = Math.max(...rows.map((r) => r.length), 1);
    const line = (r: readonly string[]): string => `| ${Array.from({ length: width }, (_, k) => r[k] ?? '').join(' | ')} |`;
    const [head = [], ...rest] = rows;
    return [line(head), `|${' --- |'.repeat(width)}`, ...rest.map(line)].join('\n');
  }

  /** Dossier's own verbatim Markdown: a `div.dossier-markdown` whose only element is a `pre`. */
  verbatim(nodes: readonly (XmlElement | string)[]): string | undefined {
    const els = nodes.filter((n): n is XmlElement => typeof n !== 'string');
    if (els.length !== 1 || nodes.some((n) => typeof n === 'string' && n.trim() !== '')) return undefined;
    const div = els[0];
    if (div?.name !== 'div' || div.attrs.class !== VERBATIM_CLASS) return undefined;
    const inner = div.children.filter((n) => typeof n !== 'string' || n.trim() !== '');
    const pre = inner[0];
    if (inner.length !== 1 || pre === undefined || typeof pre === 'string' || pre.name !== 'pre') return undefined;
    return this.raw(pre);
  }
}

function wrap(mark: string, inner: string): string {
  // Markdown emphasis cannot open or close on a space: keep the spaces outside the marks.
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner);
  if (m === null || m[2] === '') return inner;
  return `${m[1] ?? ''}${mark}${m[2] ?? ''}${mark}${m[3] ?? ''}`;
}

/**
 * Converts the content of an XHTML attribute value (the children of its `THE-VALUE`) to Markdown, with what was
 * refused or dropped on the way.
 */
export function xhtmlToMarkdown(nodes: readonly (XmlElement | string)[]): { markdown: string; issues: readonly XhtmlIssue[] } {
  const c = new Converter();
  const verbatim = c.verbatim(nodes);
  if (verbatim !== undefined) return { markdown: verbatim, issues: c.issues };
  return { markdown: c.blocks(nodes).join('\n\n'), issues: c.issues };
}

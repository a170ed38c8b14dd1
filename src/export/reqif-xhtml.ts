import { parseXmlTree, type XmlElement } from '../ingest/reqif-xml.js';
import { VERBATIM_CLASS, xhtmlToMarkdown } from '../ingest/xhtml.js';

/**
 * Markdown → the XHTML of a ReqIF `ATTRIBUTE-VALUE-XHTML`, so other tools show formatted text and our own reader
 * gets the same Markdown back.
 *
 * Paragraphs (lines joined by `<br/>`), `#` headings, `- ` and `1. ` lists, fenced code blocks, `**strong**`,
 * `*emphasis*`, `` `code` `` and `[text](https://…)` links become their XHTML elements. Each conversion is checked
 * by reading it back with `ingest/xhtml.ts`: when that does not give the Markdown exactly (spacing, tables, nested
 * lists, HTML in the text …), the Markdown is written verbatim in `<div class="dossier-markdown"><pre>`, which other
 * tools still show as readable text and which reads back byte for byte. So export then import never changes a body.
 */

/** Escapes text for an XML text node; CR becomes a character reference, since XML parsers turn a literal CR into LF. */
export function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

const INLINE = /`([^`\n]+)`|\*\*([^*\n]+?)\*\*|\*([^*\n]+?)\*|\[([^\]\n]+)\]\((https?:\/\/[^\s()<>]+)\)/g;

function inline(s: string, x: string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(INLINE)) {
    out += escapeXmlText(s.slice(last, m.index));
    if (m[1] !== undefined) out += `<${x}code>${escapeXmlText(m[1])}</${x}code>`;
    else if (m[2] !== undefined) out += `<${x}strong>${inline(m[2], x)}</${x}strong>`;
    else if (m[3] !== undefined) out += `<${x}em>${inline(m[3], x)}</${x}em>`;
    else if (m[4] !== undefined && m[5] !== undefined) out += `<${x}a href="${escapeXmlText(m[5]).replace(/"/g, '&quot;')}">${inline(m[4], x)}</${x}a>`;
    last = m.index + m[0].length;
  }
  return out + escapeXmlText(s.slice(last));
}

const HEADING = /^(#{1,6}) (.*)$/;
const BULLET = /^- (.*)$/;
const NUMBERED = /^(\d{1,9})\. (.*)$/;
const FENCE = /^```$/;

/** The formatted conversion, not yet checked; `undefined` where the Markdown has a shape it does not cover. */
function formatted(md: string, x: string): string | undefined {
  const lines = md.split('\n');
  const blocks: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line === '') {
      i++;
      continue;
    }
    if (FENCE.test(line)) {
      let j = i + 1;
      while (j < lines.length && !FENCE.test(lines[j] ?? '')) j++;
      if (j >= lines.length) return undefined;
      blocks.push(`<${x}pre><${x}code>${escapeXmlText(lines.slice(i + 1, j).join('\n'))}</${x}code></${x}pre>`);
      i = j + 1;
      continue;
    }
    const h = HEADING.exec(line);
    if (h !== null) {
      const level = (h[1] ?? '#').length;
      blocks.push(`<${x}h${level}>${inline(h[2] ?? '', x)}</${x}h${level}>`);
      i++;
      continue;
    }
    const listOf = (re: RegExp, tag: string): boolean => {
      if (!re.test(line)) return false;
      const items: string[] = [];
      while (i < lines.length) {
        const m = re.exec(lines[i] ?? '');
        if (m === null) break;
        items.push(`<${x}li>${inline(m[m.length - 1] ?? '', x)}</${x}li>`);
        i++;
      }
      blocks.push(`<${x}${tag}>${items.join('')}</${x}${tag}>`);
      return true;
    };
    if (listOf(BULLET, 'ul') || listOf(NUMBERED, 'ol')) continue;
    const para: string[] = [];
    while (i < lines.length) {
      const l = lines[i] ?? '';
      if (l === '' || FENCE.test(l) || HEADING.test(l) || BULLET.test(l) || NUMBERED.test(l)) break;
      para.push(inline(l, x));
      i++;
    }
    blocks.push(`<${x}p>${para.join(`<${x}br/>`)}</${x}p>`);
  }
  return `<${x}div>${blocks.join('')}</${x}div>`;
}

/** Reads an XHTML fragment back the way the importer will. */
function readBack(xhtml: string, x: string): string {
  const ns = x === '' ? 'xmlns' : `xmlns:${x.slice(0, -1)}`;
  const root: XmlElement = parseXmlTree(`<THE-VALUE ${ns}="http://www.w3.org/1999/xhtml">${xhtml}</THE-VALUE>`, 'xhtml');
  return xhtmlToMarkdown(root.children).markdown;
}

/**
 * The XHTML for a Markdown text, with elements prefixed `prefix:` (the XHTML namespace must be declared with that
 * prefix on an enclosing element). Reads back to exactly the same Markdown.
 * @param prefix - the XHTML namespace prefix, `xhtml` by default
 */
export function markdownToXhtml(md: string, prefix = 'xhtml'): string {
  const x = prefix === '' ? '' : `${prefix}:`;
  if (md === '') return `<${x}div></${x}div>`;
  const f = formatted(md, x);
  if (f !== undefined) {
    try {
      if (readBack(f, x) === md) return f;
    } catch {
      // Not expected (the writer escapes everything); the verbatim form below is always well-formed.
    }
  }
  return `<${x}div class="${VERBATIM_CLASS}"><${x}pre>${escapeXmlText(md)}</${x}pre></${x}div>`;
}

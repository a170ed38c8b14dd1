import { Lexer, type Token, type Tokens } from 'marked';
import type { Block, Inline, LinkTarget } from './model.js';

/**
 * Markdown (a record's body, a template's text) → document blocks. Only the structure is kept: headings,
 * paragraphs, lists, tables, code, emphasis and links. Raw HTML is kept as plain text, never as markup, and a link
 * is kept only to http(s)/mailto addresses or to a record ID (`SRS-12`), so a renderer never emits markup or a
 * script a record's author wrote.
 */
export function markdownBlocks(markdown: string, headingBase: 0 | 1 | 2 | 3 = 0, anchorPrefix = 'md'): Block[] {
  const out: Block[] = [];
  let n = 0;
  const walk = (tokens: readonly Token[]): void => {
    for (const t of tokens) {
      switch (t.type) {
        case 'heading': {
          const h = t as Tokens.Heading;
          const level = Math.min(4, Math.max(1, h.depth + headingBase)) as 1 | 2 | 3 | 4;
          out.push({ kind: 'heading', level, text: plain(h.tokens), anchor: `${anchorPrefix}-${++n}` });
          break;
        }
        case 'paragraph':
          out.push({ kind: 'paragraph', inlines: inlines((t as Tokens.Paragraph).tokens) });
          break;
        case 'text': {
          const x = t as Tokens.Text;
          out.push({ kind: 'paragraph', inlines: x.tokens === undefined ? [{ kind: 'text', text: x.text }] : inlines(x.tokens) });
          break;
        }
        case 'list': {
          const l = t as Tokens.List;
          out.push({ kind: 'list', ordered: l.ordered, items: l.items.map((it) => itemInlines(it)) });
          break;
        }
        case 'code':
          out.push({ kind: 'code', text: (t as Tokens.Code).text });
          break;
        case 'table': {
          const tb = t as Tokens.Table;
          out.push({
            kind: 'table',
            columns: tb.header.map((c) => ({ title: plain(c.tokens) })),
            rows: tb.rows.map((row) => row.map((c) => ({ inlines: inlines(c.tokens) }))),
          });
          break;
        }
        case 'blockquote':
          walk((t as Tokens.Blockquote).tokens);
          break;
        case 'html':
          if (t.raw.trim() !== '') out.push({ kind: 'paragraph', inlines: [{ kind: 'text', text: t.raw.trim() }] });
          break;
        default:
          break; // space, hr, def: nothing to show
      }
    }
  };
  walk(new Lexer({ gfm: true }).lex(markdown));
  return out;
}

function itemInlines(item: Tokens.ListItem): Inline[] {
  const out: Inline[] = [];
  for (const t of item.tokens) {
    if (out.length > 0) out.push({ kind: 'text', text: ' ' });
    if (t.type === 'text' || t.type === 'paragraph') {
      const x = t as Tokens.Text;
      out.push(...(x.tokens === undefined ? [{ kind: 'text' as const, text: x.text }] : inlines(x.tokens)));
    } else if (t.type === 'list') {
      (t as Tokens.List).items.forEach((sub, k) => out.push(...(k === 0 ? [] : [{ kind: 'text' as const, text: '; ' }]), ...itemInlines(sub)));
    } else out.push({ kind: 'text', text: t.raw.trim() });
  }
  return out;
}

const RECORD_ID = /^(?:[A-Z][A-Z0-9]{1,15}\/)?[A-Z][A-Z0-9]*-[1-9]\d{0,9}$/;

/** Where a Markdown link may point, or undefined (the link is kept as its text). */
export function safeTarget(href: string): LinkTarget | undefined {
  const h = href.trim();
  if (RECORD_ID.test(h)) return { record: h };
  if (/^(https?:\/\/|mailto:)[^\s<>"']+$/i.test(h)) return { url: h };
  return undefined;
}

function inlines(tokens: readonly Token[] | undefined, style: { bold?: boolean; italic?: boolean } = {}): Inline[] {
  const out: Inline[] = [];
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        out.push(...inlines((t as Tokens.Strong).tokens, { ...style, bold: true }));
        break;
      case 'em':
        out.push(...inlines((t as Tokens.Em).tokens, { ...style, italic: true }));
        break;
      case 'del':
        out.push(...inlines((t as Tokens.Del).tokens, style));
        break;
      case 'codespan':
        out.push({ kind: 'text', text: (t as Tokens.Codespan).text, code: true });
        break;
      case 'br':
        out.push({ kind: 'text', text: '\n' });
        break;
      case 'link': {
        const l = t as Tokens.Link;
        const target = safeTarget(l.href);
        const text = plain(l.tokens) || l.href;
        out.push(target === undefined ? { kind: 'text', text, ...style } : { kind: 'link', text, target });
        break;
      }
      case 'image': {
        const im = t as Tokens.Image;
        out.push({ kind: 'text', text: `[image: ${im.text || im.href}]`, ...style });
        break;
      }
      case 'text': {
        const x = t as Tokens.Text;
        if (x.tokens !== undefined && x.tokens.length > 0) out.push(...inlines(x.tokens, style));
        else out.push({ kind: 'text', text: decode(x.text), ...style });
        break;
      }
      case 'escape':
        out.push({ kind: 'text', text: (t as Tokens.Escape).text, ...style });
        break;
      default:
        out.push({ kind: 'text', text: decode(t.raw), ...style });
    }
  }
  return merge(out);
}

/** marked escapes some characters in text tokens' `text`; the model holds plain text. */
function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _);
}

function plain(tokens: readonly Token[] | undefined): string {
  return inlines(tokens)
    .map((i) => i.text)
    .join('');
}

/** Joins neighbouring text runs of the same style, so renderers get few runs. */
function merge(runs: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (
      last !== undefined &&
      last.kind === 'text' &&
      r.kind === 'text' &&
      last.bold === r.bold &&
      last.italic === r.italic &&
      last.code === r.code
    ) {
      out[out.length - 1] = { ...last, text: last.text + r.text };
    } else out.push(r);
  }
  return out;
}

/** The plain text of inlines (search index, XLSX cells). */
export function inlineText(runs: readonly Inline[]): string {
  return runs.map((r) => r.text).join('');
}

import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { invalidInput } from '../core/errors.js';

/** One XML element read from a ReqIF file: its local name (prefix dropped), attributes, children and where it starts. */
export interface XmlElement {
  /** Local name: `xhtml:p` and `p` are both `p`; the ReqIF and XHTML vocabularies share no names that matter here. */
  readonly name: string;
  /** The name as written, with its prefix (for messages). */
  readonly qname: string;
  /** Attributes by local name (namespace declarations dropped). */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: (XmlElement | string)[];
  readonly line: number;
  readonly column: number;
}

/** Deeper than any ReqIF a tool writes (spec hierarchies of 50 levels, nested XHTML lists) and safe for recursion. */
export const MAX_XML_DEPTH = 400;

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/**
 * Parses a whole XML document into a small element tree with the line and column where each element starts.
 * A DOCTYPE is refused (ReqIF never needs one, and refusing it means entity tricks are never expanded or fetched);
 * nesting deeper than {@link MAX_XML_DEPTH} is refused before any recursive step could overflow the stack.
 * @throws AppError INVALID_INPUT naming `file:line:column` for malformed XML
 */
export function parseXmlTree(text: string, file: string): XmlElement {
  const parser = new SaxesParser<{ position: true; xmlns: false }>({ position: true, xmlns: false });
  const failAt = (line: number, column: number, message: string): never => {
    throw invalidInput(`${file}:${line}:${column}: ${message}`, { file, line, column });
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let startLine = 1;
  let startColumn = 1;
  parser.on('error', (e) => {
    // saxes reports `line:column: message`; keep its position, which is where the problem is. The first error
    // stops the reading: what follows a malformed spot would only add confusing ones.
    const m = /^(?:.*?:)?(\d+):(\d+): ([\s\S]*)$/.exec(e.message);
    if (m === null) failAt(parser.line, parser.column + 1, `malformed XML: ${e.message}`);
    else failAt(Number(m[1]), Number(m[2]) + 1, `malformed XML: ${m[3] ?? e.message}`);
  });
  parser.on('doctype', () => failAt(parser.line, parser.column + 1, 'a DOCTYPE is not allowed in ReqIF (entities are never expanded)'));
  parser.on('opentagstart', (tag) => {
    // The event comes once the name and the character after it are read: step back to the `<` (1-based).
    startLine = parser.line;
    startColumn = Math.max(1, parser.column - tag.name.length - 1);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (stack.length >= MAX_XML_DEPTH) failAt(startLine, startColumn, `elements nested more than ${MAX_XML_DEPTH} levels deep`);
    const attrs: Record<string, string> = {};
    for (const k in tag.attributes) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      attrs[localName(k)] = tag.attributes[k] ?? '';
    }
    const el: XmlElement = { name: localName(tag.name), qname: tag.name, attrs, children: [], line: startLine, column: startColumn };
    const parent = stack[stack.length - 1];
    if (parent === undefined) {
      if (root !== null) failAt(startLine, startColumn, 'more than one root element');
      root = el;
    } else parent.children.push(el);
    if (!tag.isSelfClosing) {
      stack.push(el);
      if (el.name === 'THE-VALUE') inValue++;
    }
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    if (tag.isSelfClosing) return;
    const el = stack.pop();
    if (el?.name === 'THE-VALUE') inValue--;
  });
  /** How many open elements are XHTML values (`THE-VALUE` with element content), where all text counts. */
  let inValue = 0;
  const onText = (t: string): void => {
    const parent = stack[stack.length - 1];
    if (parent === undefined) return;
    // Indentation between ReqIF elements means nothing: not keeping it halves the tree of a pretty-printed file.
    if (inValue === 0 && /^[ \t\r\n]*$/.test(t)) return;
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + t;
    else parent.children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.write(text.startsWith('\ufeff') ? text.slice(1) : text);
  parser.close();
  if (root === null) return failAt(1, 1, 'not XML: no root element');
  return root;
}

/** The element children of an element. */
export function elements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}

/** The first child element with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (el === undefined) return undefined;
  for (const c of el.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

/** All text inside an element, trimmed (a `*-REF` element's identifier). */
export function textOf(el: XmlElement | undefined): string {
  if (el === undefined) return '';
  let s = '';
  for (const c of el.children) s += typeof c === 'string' ? c : textOf(c);
  return s.trim();
}

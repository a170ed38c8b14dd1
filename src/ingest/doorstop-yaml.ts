import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';

/**
 * Reads one doorstop item file. Doorstop writes its items with a YAML dumper in one narrow shape (top-level keys,
 * literal block text, a list of `UID: stamp` links), so that shape is read line by line here, about fifty times
 * faster than a general YAML parser on a 26,000-item tree; anything outside it (flow collections, multi-line
 * quoted strings, anchors, comments after values) goes through the general parser. Both give the same values and
 * the line of each key and link.
 */

/** One item file's values, with lines for messages. */
export interface ItemYaml {
  readonly data: Record<string, unknown>;
  /** Line (1-based) of each top-level key. */
  readonly keyLines: ReadonlyMap<string, number>;
  /** Line of each entry of `links`, in order. */
  readonly linkLines: readonly number[];
}

/** A malformed file: where and what. */
export interface YamlFault {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Parses an item file; a fault names its line and column. */
export function parseItemYaml(text: string): ItemYaml | YamlFault {
  return fastParse(text) ?? generalParse(text);
}

export function isYamlFault(x: ItemYaml | YamlFault): x is YamlFault {
  return 'message' in x;
}

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_.-]*):(?:[ \t]+(.*))?$/;
const LIST_ENTRY = /^(\s*)- (.*)$/;
const ENTRY_PAIR = /^([^\s'"#&*!|>%@`{}[\],?:-][^:#]*?):(?:[ \t]+(.*))?$/;

/** The narrow shape doorstop writes; undefined when the text leaves it. */
function fastParse(text: string): ItemYaml | undefined {
  const lines = text.split('\n');
  const data: Record<string, unknown> = {};
  const keyLines = new Map<string, number>();
  const linkLines: number[] = [];
  let i = 0;
  const n = lines.length;
  const at = (k: number): string => {
    const l = lines[k] ?? '';
    return l.endsWith('\r') ? l.slice(0, -1) : l;
  };
  while (i < n) {
    const line = at(i);
    if (line.trim() === '' || line.startsWith('#')) {
      i++;
      continue;
    }
    if (line === '---' && i === 0) {
      i++;
      continue;
    }
    const m = KEY_LINE.exec(line);
    if (m === null) return undefined;
    const key = m[1] ?? '';
    if (key in data) return undefined;
    const rest = (m[2] ?? '').trimEnd();
    keyLines.set(key, i + 1);
    i++;
    if (rest === '') {
      // A block list (`- X: stamp` entries), or nothing (null).
      const entries: unknown[] = [];
      let indent = -1;
      while (i < n) {
        const l = at(i);
        if (l.trim() === '') {
          i++;
          continue;
        }
        const e = LIST_ENTRY.exec(l);
        if (e === null) {
          if (/^\s/.test(l)) return undefined; // a nested mapping or a continued scalar
          break;
        }
        const ind = (e[1] ?? '').length;
        if (indent === -1) indent = ind;
        else if (ind !== indent) return undefined;
        const body = (e[2] ?? '').trimEnd();
        const pair = ENTRY_PAIR.exec(body);
        if (pair !== null) {
          const v = scalar((pair[2] ?? '').trimEnd());
          if (v === UNSURE) return undefined;
          entries.push({ [(pair[1] ?? '').trim()]: v });
        } else {
          const v = scalar(body);
          if (v === UNSURE || (typeof v === 'string' && v.includes(': '))) return undefined;
          entries.push(v);
        }
        if (key === 'links') linkLines.push(i + 1);
        i++;
        // An entry continued on the next, deeper line is outside the shape.
        const next = at(i);
        if (next.trim() !== '' && /^\s/.test(next) && (LIST_ENTRY.exec(next)?.[1]?.length ?? -1) !== indent) return undefined;
      }
      data[key] = entries.length === 0 ? null : entries;
      continue;
    }
    const block = /^([|>])([+-]?)([1-9]?)([+-]?)$/.exec(rest);
    if (block !== null) {
      if (block[1] === '>' || block[3] !== '') return undefined;
      const chomp = block[2] !== '' ? block[2] : block[4];
      const taken: string[] = [];
      let indent = -1;
      while (i < n) {
        const l = at(i);
        if (l.trim() === '') {
          taken.push('');
          i++;
          continue;
        }
        const ind = l.length - l.trimStart().length;
        if (indent === -1) {
          if (ind === 0) break;
          if (l[ind - 1] === '\t' || l.slice(0, ind).includes('\t')) return undefined;
          indent = ind;
        }
        if (ind < indent) break;
        taken.push(l.slice(indent));
        i++;
      }
      // Blank lines after the block belong to it only for keep-chomping; blank lines taken with fewer spaces keep.
      let end = taken.length;
      while (end > 0 && taken[end - 1] === '') end--;
      const content = taken.slice(0, end).join('\n');
      const trailing = taken.length - end;
      data[key] = content === '' ? (chomp === '+' ? '\n'.repeat(trailing) : '') : chomp === '-' ? content : chomp === '+' ? `${content}\n${'\n'.repeat(trailing)}` : `${content}\n`;
      continue;
    }
    const v = scalar(rest);
    if (v === UNSURE) return undefined;
    // A plain or quoted scalar continued on an indented line is outside the shape.
    const next = at(i);
    if (next.trim() !== '' && /^\s/.test(next)) return undefined;
    data[key] = v;
  }
  return { data, keyLines, linkLines };
}

const UNSURE = Symbol('unsure');

/** One scalar on one line, as a YAML 1.1 reader (doorstop's) reads it; UNSURE when in doubt. */
function scalar(s: string): unknown {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  const c = s[0];
  if (c === "'") {
    if (s.length < 2 || !s.endsWith("'")) return UNSURE;
    const inner = s.slice(1, -1);
    if (/(^|[^'])'($|[^'])/.test(inner.replace(/''/g, ''))) return UNSURE;
    return inner.replace(/''/g, "'");
  }
  if (c === '"') {
    if (s.length < 2 || !s.endsWith('"')) return UNSURE;
    try {
      const v: unknown = JSON.parse(s);
      return typeof v === 'string' ? v : UNSURE;
    } catch {
      return UNSURE;
    }
  }
  if (s === '[]') return [];
  if (s === '{}') return {};
  if ('[{&*!|>%@`#,?'.includes(c ?? '') || s.includes(' #') || s.includes(': ') || s.endsWith(':')) return UNSURE;
  if (c === '-' && (s === '-' || s.startsWith('- '))) return UNSURE;
  if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON)$/.test(s)) return true;
  if (/^(false|False|FALSE|no|No|NO|off|Off|OFF)$/.test(s)) return false;
  if (/^[-+]?(0|[1-9][0-9_]*)$/.test(s)) return Number(s.replace(/_/g, ''));
  if (/^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$/.test(s) && /[0-9]/.test(s)) return Number(s.replace(/_/g, ''));
  if (/^0[0-7]+$|^0x|^[-+]?\.(inf|nan)|:/i.test(s)) return UNSURE;
  return s;
}

/** Any YAML, through the general parser (YAML 1.1 like doorstop's), with the lines of keys and links. */
function generalParse(text: string): ItemYaml | YamlFault {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, version: '1.1' });
  const err = doc.errors[0];
  if (err !== undefined) {
    const p = counter.linePos(err.pos[0]);
    return { line: p.line, column: p.col, message: `malformed YAML: ${err.message.split('\n')[0] ?? ''}` };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { line: 1, column: 1, message: `malformed YAML: ${(e as Error).message}` };
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) return { line: 1, column: 1, message: 'an item file is a mapping of keys (text, links, level …)' };
  const keyLines = new Map<string, number>();
  const linkLines: number[] = [];
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const start = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      if (k === undefined || start === undefined) continue;
      keyLines.set(k, counter.linePos(start).line);
      if (k === 'links' && isSeq(pair.value)) {
        for (const item of pair.value.items) {
          const r = (item as { range?: [number, number, number] | null }).range;
          linkLines.push(r === undefined || r === null ? counter.linePos(start).line : counter.linePos(r[0]).line);
        }
      }
    }
  }
  return { data: data as Record<string, unknown>, keyLines, linkLines };
}

import type { Catalog } from '../core/catalog/catalog.js';
import type { ImportLink, ImportProblem, ImportRecord } from '../core/interchange/plan.js';
import {
  defaultFieldsFor,
  defaultsNote,
  linkTypeFor,
  recordTypeFor,
  Tally,
  titleFrom,
  type ToolImportMap,
  type ToolReadResult,
} from './tool-import-map.js';

/**
 * A reader of strictdoc's `.sdoc` text format, written from its documented grammar: a `[DOCUMENT]` with its
 * fields, an optional `[GRAMMAR]` declaring element tags and their fields, sections (`[[SECTION]]` … `[[/SECTION]]`,
 * or the older `[SECTION]` … `[/SECTION]`), elements (`[REQUIREMENT]`, `[TEXT]` or a tag of the grammar) with
 * `NAME: value` fields, multi-line values between `>>>` and `<<<`, and `RELATIONS:` (or the older `REFS:`) lists
 * of `- TYPE: Parent|Child|File` with `VALUE:` and an optional `ROLE:`. Every error names the file, line and column.
 */

/** A field of an element: name, value, and where the value starts. */
export interface SdocField {
  readonly name: string;
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

export interface SdocRelation {
  readonly type: string;
  readonly value: string;
  readonly role: string | undefined;
  readonly line: number;
}

export interface SdocElement {
  readonly kind: 'element';
  readonly tag: string;
  readonly line: number;
  readonly fields: readonly SdocField[];
  readonly relations: readonly SdocRelation[];
}

export interface SdocSection {
  readonly kind: 'section';
  readonly title: string;
  readonly line: number;
  readonly children: readonly SdocNode[];
}

export type SdocNode = SdocElement | SdocSection;

export interface SdocGrammarElement {
  readonly tag: string;
  readonly fields: readonly string[];
  readonly line: number;
}

export interface SdocDocument {
  readonly file: string;
  readonly title: string;
  readonly fields: readonly SdocField[];
  /** Undefined when the file declares none (strictdoc's default grammar applies). */
  readonly grammar: readonly SdocGrammarElement[] | undefined;
  readonly nodes: readonly SdocNode[];
}

/** A syntax error: file, line and column (1-based), and what was expected. */
export class SdocSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'SdocSyntaxError';
  }
}

/** Fields of strictdoc's default REQUIREMENT grammar (a file without [GRAMMAR] may use any of these). */
const DEFAULT_FIELDS = new Set(['MID', 'UID', 'LEVEL', 'STATUS', 'TAGS', 'TITLE', 'STATEMENT', 'RATIONALE', 'COMMENT']);
const FIELD_LINE = /^([A-Z][A-Z0-9_]*):(.*)$/;
const NODE_LINE = /^\[(\[)?(\/)?([A-Z][A-Z0-9_]*)\]?\]$/;

/**
 * Parses one `.sdoc` file.
 * @throws SdocSyntaxError at the first error, with its line and column
 */
export function parseSdoc(text: string, file: string): SdocDocument {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  let i = 0;
  const fail = (line: number, column: number, reason: string): never => {
    throw new SdocSyntaxError(file, line, column, reason);
  };
  const skipBlank = (): void => {
    while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  };
  const lineAt = (k: number): string => lines[k] ?? '';

  /** `NAME: value` or `NAME: >>>` … `<<<` at line i; returns the field and moves past it. */
  const readField = (name: string, rest: string): SdocField => {
    const lineNo = i + 1;
    if (!rest.startsWith(' ') && rest !== '') fail(lineNo, name.length + 2, `expected a space after '${name}:'`);
    const value = rest.slice(1);
    if (value === '>>>') {
      const start = i + 1;
      let k = start;
      while (k < lines.length && lineAt(k) !== '<<<') k++;
      if (k >= lines.length) fail(lineNo, name.length + 3, `the multi-line value of ${name} opened here is never closed with a line '<<<'`);
      i = k + 1;
      return { name, value: lines.slice(start, k).join('\n'), line: start + 1, column: 1 };
    }
    if (value.trim() === '') fail(lineNo, name.length + 2, `${name} has no value (write it after '${name}: ', or between '>>>' and '<<<' lines)`);
    i++;
    return { name, value: value.trim(), line: lineNo, column: name.length + 3 };
  };

  /** The `- TYPE: … VALUE: … ROLE: …` entries after `RELATIONS:` or `REFS:`. */
  const readRelations = (): SdocRelation[] => {
    const out: SdocRelation[] = [];
    i++;
    while (i < lines.length) {
      const l = lineAt(i);
      const start = /^- TYPE:(.*)$/.exec(l);
      if (start === null) {
        if (/^\s*-/.test(l)) fail(i + 1, 1, `a relation starts with '- TYPE: ' (Parent, Child or File)`);
        break;
      }
      const type = (start[1] ?? '').trim();
      const line = i + 1;
      if (type === '') fail(line, 9, 'the relation has no TYPE (Parent, Child or File)');
      i++;
      let value: string | undefined;
      let role: string | undefined;
      while (i < lines.length) {
        const m = /^ {2}([A-Z_]+):(.*)$/.exec(lineAt(i));
        if (m === null) break;
        const v = (m[2] ?? '').trim();
        if (v === '') fail(i + 1, (m[1] ?? '').length + 4, `${m[1] ?? ''} has no value`);
        if (m[1] === 'VALUE') value = v;
        else if (m[1] === 'ROLE') role = v;
        else if (m[1] !== 'TITLE') fail(i + 1, 3, `unknown relation field ${m[1] ?? ''} (VALUE, ROLE or TITLE)`);
        i++;
      }
      if (value === undefined) fail(line, 1, `the ${type} relation has no VALUE`);
      if (!['Parent', 'Child', 'File'].includes(type)) fail(line, 9, `unknown relation type '${type}' (Parent, Child or File)`);
      out.push({ type, value: value ?? '', role, line });
    }
    return out;
  };

  /** Fields (and relations) of a node until a blank line followed by a node, or the next node line. */
  const readFields = (allowed: (name: string, line: number) => void): { fields: SdocField[]; relations: SdocRelation[] } => {
    const fields: SdocField[] = [];
    let relations: SdocRelation[] = [];
    while (i < lines.length) {
      const l = lineAt(i);
      if (l.trim() === '') {
        i++;
        continue;
      }
      if (l.startsWith('[')) break;
      const m = FIELD_LINE.exec(l);
      if (m === null) fail(i + 1, 1, `expected a field ('NAME: value'), a '[' node line or a blank line; found '${clipText(l)}'`);
      const name = m?.[1] ?? '';
      if (name === 'RELATIONS' || name === 'REFS') {
        if ((m?.[2] ?? '').trim() !== '') fail(i + 1, name.length + 2, `${name}: takes its entries on the following lines`);
        relations = [...relations, ...readRelations()];
        continue;
      }
      allowed(name, i + 1);
      fields.push(readField(name, m?.[2] ?? ''));
    }
    return { fields, relations };
  };

  skipBlank();
  if (lineAt(i) !== '[DOCUMENT]') fail(i + 1, 1, `an .sdoc file starts with '[DOCUMENT]'`);
  i++;
  const docFields: SdocField[] = [];
  while (i < lines.length) {
    const l = lineAt(i);
    if (l.trim() === '' || l.startsWith('[')) break;
    const m = FIELD_LINE.exec(l);
    if (m === null) {
      // Nested document options (`OPTIONS:` with indented entries) are skipped.
      if (/^\s/.test(l) && docFields.length > 0) {
        i++;
        continue;
      }
      fail(i + 1, 1, `expected a document field ('TITLE: …'); found '${clipText(l)}'`);
    }
    if ((m?.[2] ?? '').trim() === '') {
      i++;
      continue;
    }
    docFields.push(readField(m?.[1] ?? '', m?.[2] ?? ''));
  }
  const titleField = docFields.find((f) => f.name === 'TITLE');
  if (titleField === undefined) fail(2, 1, 'the [DOCUMENT] has no TITLE');
  skipBlank();

  let grammar: SdocGrammarElement[] | undefined;
  let grammarImported = false;
  if (lineAt(i) === '[GRAMMAR]') {
    grammar = [];
    i++;
    let current: { tag: string; fields: string[]; line: number } | undefined;
    while (i < lines.length) {
      const l = lineAt(i);
      if (l.startsWith('[')) break;
      const tag = /^- TAG:\s*(.*)$/.exec(l);
      const field = /^\s+- TITLE:\s*(.*)$/.exec(l);
      if (tag !== null) {
        const t = (tag[1] ?? '').trim();
        if (!/^[A-Z][A-Z0-9_]*$/.test(t)) fail(i + 1, 8, `an element tag is upper-case letters, digits and '_'; found '${clipText(t)}'`);
        current = { tag: t, fields: [], line: i + 1 };
        grammar.push(current);
      } else if (field !== null && current !== undefined) {
        const f = (field[1] ?? '').trim();
        if (!/^[A-Z][A-Z0-9_]*$/.test(f)) fail(i + 1, l.indexOf('TITLE:') + 8, `a field name is upper-case letters, digits and '_'; found '${clipText(f)}'`);
        current.fields.push(f);
      } else if (l.startsWith('IMPORT_FROM_FILE:')) {
        grammarImported = true;
      } else if (l.trim() !== '' && !/^(ELEMENTS:|\s)/.test(l)) {
        fail(i + 1, 1, `unexpected line in [GRAMMAR]: '${clipText(l)}'`);
      }
      i++;
    }
  }
  // A grammar imported from another file (IMPORT_FROM_FILE) is not read: its elements are then taken as they come.
  const grammarTags = grammar === undefined || grammarImported ? undefined : new Map(grammar.map((g) => [g.tag, new Set(g.fields)]));

  // Body: sections and elements.
  const root: SdocNode[] = [];
  const stack: { title: string; line: number; children: SdocNode[]; brackets: 1 | 2 }[] = [];
  const children = (): SdocNode[] => stack[stack.length - 1]?.children ?? root;
  while (i < lines.length) {
    const l = lineAt(i);
    if (l.trim() === '') {
      i++;
      continue;
    }
    const node = NODE_LINE.exec(l);
    if (node === null || (node[1] === '[') !== l.endsWith(']]')) fail(i + 1, 1, `expected a node line ('[REQUIREMENT]', '[[SECTION]]' …); found '${clipText(l)}'`);
    const double = node?.[1] === '[';
    const closing = node?.[2] === '/';
    const tag = node?.[3] ?? '';
    const lineNo = i + 1;
    i++;
    if (tag === 'SECTION') {
      if (closing) {
        const open = stack.pop();
        if (open === undefined) fail(lineNo, 1, `${l} closes no open section`);
        if (open !== undefined && open.brackets !== (double ? 2 : 1)) fail(lineNo, 1, `${l} closes the section opened at line ${open.line} with other brackets`);
        if (open !== undefined) children().push({ kind: 'section', title: open.title, line: open.line, children: open.children });
        continue;
      }
      const { fields } = readFields((name, line) => {
        if (!['TITLE', 'UID', 'MID', 'LEVEL', 'PREFIX'].includes(name)) fail(line, 1, `a section takes TITLE (and UID, MID, LEVEL, PREFIX), not ${name}`);
      });
      const title = fields.find((f) => f.name === 'TITLE');
      if (title === undefined) fail(lineNo, 1, 'the section has no TITLE');
      stack.push({ title: title?.value ?? '', line: lineNo, children: [], brackets: double ? 2 : 1 });
      continue;
    }
    if (closing) {
      if (tag === 'FREETEXT') continue;
      fail(lineNo, 1, `${l} closes nothing`);
    }
    if (tag === 'FREETEXT') {
      while (i < lines.length && lineAt(i) !== '[/FREETEXT]') i++;
      if (i >= lines.length) fail(lineNo, 1, '[FREETEXT] is never closed with [/FREETEXT]');
      i++;
      continue;
    }
    if (double) fail(lineNo, 1, `composite nodes ([[${tag}]]) are not read; only [[SECTION]]`);
    const declared = grammarTags?.get(tag);
    if (grammarTags !== undefined && declared === undefined && tag !== 'TEXT') {
      fail(lineNo, 2, `element ${tag} is not declared in the document's [GRAMMAR] (declared: ${[...grammarTags.keys()].join(', ')})`);
    }
    const { fields, relations } = readFields((name, line) => {
      if (declared !== undefined && !declared.has(name)) fail(line, 1, `${tag} has no field ${name} in the document's [GRAMMAR]`);
      if (grammarTags === undefined && tag === 'REQUIREMENT' && !DEFAULT_FIELDS.has(name)) {
        fail(line, 1, `${name} is not a field of REQUIREMENT (declare it in a [GRAMMAR] section)`);
      }
    });
    children().push({ kind: 'element', tag, line: lineNo, fields, relations });
  }
  const open = stack.pop();
  if (open !== undefined) fail(open.line, 1, `the section '${clipText(open.title)}' opened here is never closed`);
  return { file, title: titleField?.value ?? '', fields: docFields, grammar, nodes: root };
}

function clipText(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** A strictdoc UID's prefix: the letters before the number (`SRS-12` → SRS, `REQ_A_3` → REQ_A). */
function uidPrefix(uid: string): string {
  return /^(.*?)[-_.]?\d+$/.exec(uid)?.[1] ?? uid;
}

/** `PRIORITY_LEVEL` → `priorityLevel`. */
function camel(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Fields with a fixed meaning; every other field is a custom one. */
const KNOWN = new Set(['UID', 'MID', 'TITLE', 'STATEMENT', 'RATIONALE', 'COMMENT']);

/**
 * Reads parsed `.sdoc` documents into a plan: each element with a UID or a statement becomes a record (its type
 * from the map by tag, UID prefix or document title, else the defaults), Parent relations become child→parent
 * links, Child relations the other way round. RATIONALE goes to the type's `rationale` field, else into the body;
 * other custom fields to the field the map names (or the same name, camel-cased) when the type has it, else into
 * the body (reported). The section path becomes the body's last line (`*Section: A › B*`).
 */
export function readSdocDocuments(
  docs: readonly SdocDocument[],
  options: { readonly catalog: Catalog; readonly map: ToolImportMap },
): ToolReadResult {
  const { catalog, map } = options;
  const problems: ImportProblem[] = [];
  const mapping: string[] = [];
  const records: ImportRecord[] = [];
  const links: ImportLink[] = [];
  const typeOfRef = new Map<string, string>();
  const whereOfRef = new Map<string, string>();
  /** Every UID met, imported or not (a relation to one with its own problem is not reported again). */
  const seenUids = new Set<string>();
  const pending: { from: string; to: string; role: string | undefined; where: string; childFirst: boolean }[] = [];
  const notes = new Tally();
  const perDoc = new Tally();
  const typesNoted = new Set<string>();

  for (const doc of docs) {
    const docTitle = doc.title;
    const walk = (nodes: readonly SdocNode[], path: readonly string[]): void => {
      for (const node of nodes) {
        if (node.kind === 'section') {
          walk(node.children, [...path, node.title]);
          continue;
        }
        const where = `${doc.file}:${node.line}`;
        const field = (n: string): SdocField | undefined => node.fields.find((f) => f.name === n);
        const uid = field('UID')?.value;
        if (uid !== undefined) seenUids.add(uid);
        const statement = field('STATEMENT')?.value ?? '';
        if (node.tag === 'TEXT' && uid === undefined) {
          notes.add(`${doc.file}: [TEXT] nodes without UID not imported (free text)`);
          continue;
        }
        const names = [...(node.tag === 'REQUIREMENT' ? [] : [node.tag]), ...(uid === undefined ? [] : [uidPrefix(uid)]), docTitle, docTitle.split(/\s+/)[0] ?? ''];
        const type = recordTypeFor(names, map, catalog);
        if (type === undefined) {
          problems.push({
            where,
            message: `${uid ?? node.tag} (document '${docTitle}') maps to no record type: say which in a map file (--map), e.g. types: { ${uid === undefined ? node.tag : uidPrefix(uid)}: SRS }`,
          });
          continue;
        }
        const typeDef = catalog.recordTypes.get(type);
        const ref = uid ?? `${doc.file}:${node.line}`;
        if (typeOfRef.has(ref)) {
          problems.push({ where, message: `UID ${ref} is also at ${whereOfRef.get(ref) ?? '?'}` });
          continue;
        }
        const fields: Record<string, unknown> = { ...defaultFieldsFor(type, map) };
        const extra: string[] = [];
        for (const f of node.fields) {
          if (f.name === 'UID' || f.name === 'MID' || f.name === 'TITLE' || f.name === 'STATEMENT') continue;
          const target = map.fields[f.name] ?? camel(f.name);
          if (typeDef !== undefined && target in typeDef.fields.shape && target !== 'externalId') {
            fields[target] = f.value;
            continue;
          }
          const label = f.name.charAt(0) + f.name.slice(1).toLowerCase().replace(/_/g, ' ');
          extra.push(f.value.includes('\n') ? `**${label}:**\n\n${f.value}` : `**${label}:** ${f.value}`);
          if (!KNOWN.has(f.name) || f.name === 'RATIONALE') notes.add(`${node.tag} field ${f.name} → body (${type} has no field '${target}')`);
        }
        const files = node.relations.filter((r) => r.type === 'File').map((r) => `\`${r.value}\``);
        if (files.length > 0) notes.add(`File relations → body ('Files:' line)`);
        if (uid !== undefined) fields['externalId'] = uid;
        const body = [statement, ...extra, ...(files.length === 0 ? [] : [`Files: ${files.join(', ')}`]), ...(path.length === 0 ? [] : [`*Section: ${path.join(' › ')}*`])]
          .filter((s) => s !== '')
          .join('\n\n');
        records.push({ ref, type, title: titleFrom(field('TITLE')?.value ?? '', statement, ref), body, fields, where });
        typeOfRef.set(ref, type);
        whereOfRef.set(ref, where);
        perDoc.add(`${doc.file} ('${docTitle}') → ${type}`);
        typesNoted.add(type);
        for (const r of node.relations) {
          if (r.type === 'File') continue;
          if (uid === undefined) {
            problems.push({ where: `${doc.file}:${r.line}`, message: `a ${node.tag} without UID cannot take part in a relation` });
            continue;
          }
          const w = `${doc.file}:${r.line}`;
          if (r.type === 'Parent') pending.push({ from: uid, to: r.value, role: r.role, where: w, childFirst: true });
          else pending.push({ from: r.value, to: uid, role: r.role, where: w, childFirst: false });
        }
      }
    };
    walk(doc.nodes, []);
  }

  let roles = 0;
  const linkTally = new Tally();
  for (const p of pending) {
    const missing = p.childFirst ? p.to : p.from;
    const fromType = typeOfRef.get(p.from);
    const toType = typeOfRef.get(p.to);
    if (fromType === undefined || toType === undefined) {
      if (!seenUids.has(missing)) problems.push({ where: p.where, message: `relation to ${missing}, which is no element's UID in these files` });
      continue;
    }
    let type: string | undefined = p.role === undefined ? undefined : map.roles[p.role];
    if (type !== undefined) roles++;
    if (type === undefined) {
      const lt = linkTypeFor(fromType, toType, map, catalog);
      if ('problem' in lt) {
        problems.push({ where: p.where, message: `${p.from} → ${p.to}: ${lt.problem}` });
        continue;
      }
      type = lt.type;
    }
    linkTally.add(`${fromType}→${toType}: ${type}`);
    links.push({ from: p.from, type, to: p.to, where: p.where });
  }
  mapping.push(...perDoc.lines((l, n) => `${l}, ${n} elements`));
  for (const t of typesNoted) {
    const note = defaultsNote(t, map);
    if (note !== undefined) mapping.push(note);
  }
  mapping.push(...linkTally.lines((l, n) => `${n} links ${l}`));
  if (roles > 0) mapping.push(`${roles} links typed by their ROLE (map roles)`);
  mapping.push(...notes.lines((l, n) => `${l}: ${n}`));
  return { plan: { records, links, linkMode: 'add' }, problems, mapping };
}

/** Parses `.sdoc` files and reads them into a plan; a syntax error is a problem at its line and column. */
export function readSdocFiles(files: readonly { readonly path: string; readonly text: string }[], options: { readonly catalog: Catalog; readonly map: ToolImportMap }): ToolReadResult {
  const docs: SdocDocument[] = [];
  const problems: ImportProblem[] = [];
  for (const f of files) {
    try {
      docs.push(parseSdoc(f.text, f.path));
    } catch (e) {
      if (!(e instanceof SdocSyntaxError)) throw e;
      problems.push({ where: `${e.file}:${e.line}:${e.column}`, message: e.reason });
    }
  }
  const r = readSdocDocuments(docs, options);
  return { ...r, problems: [...problems, ...r.problems] };
}

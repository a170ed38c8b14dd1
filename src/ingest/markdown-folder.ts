import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { Catalog } from '../core/catalog/catalog.js';
import type { ImportLink, ImportPlan, ImportProblem, ImportRecord } from '../core/interchange/plan.js';
import { recordTitle } from '../core/validation.js';
import { DIGEST_KEY, FOLDER_FORMAT, folderDigest } from '../export/markdown-folder.js';
import { tooDeepPath, MAX_JSON_DEPTH } from './nesting.js';

/**
 * Reads a Markdown folder (`export/markdown-folder.ts` writes it) into an import plan for `record.import` in
 * `replace` link mode. Pure: file contents in, plan and problems out; every problem names the file, line and column.
 *
 * A file whose text still hashes to its `digest` is exactly as Dossier wrote it: it is not parsed, only its id,
 * type and revision are taken from its first lines, and it stays out of the plan (nothing to apply). Every other
 * file is parsed: with an `id`, it updates that record (its `revision` is the base for conflict detection); without,
 * it is a new record of its folder's type, with the file's path (`SRS/new-alarm`) as its ref, which links in other
 * files may name until the record has its key.
 */

/** What an untouched file says of itself (see {@link untouchedFile}). */
export interface Untouched {
  readonly key: string;
  readonly type: string;
  readonly revision: number;
  readonly status: string;
}

/**
 * One file found in a type folder: its path below the folder (`SRS/SRS-12.md`) and its bytes, or, when the caller
 * already found it untouched while reading it (and kept no bytes), what {@link untouchedFile} said.
 */
export type FolderFile = { readonly path: string; readonly bytes: Uint8Array } | { readonly path: string; readonly untouched: Untouched };

/** What the reader learnt of one file. */
export interface FolderEntry {
  readonly path: string;
  /** The record's key (`SRS-12`), absent for a new file (or one whose id could not be read). */
  readonly key?: string;
  readonly type: string;
  /** The revision the file was written from. */
  readonly revision?: number;
  /** The status the file shows (read-only). */
  readonly status?: string;
  /** True when the file is exactly as Dossier wrote it (its digest holds): not parsed, not in the plan. */
  readonly unchanged: boolean;
  /** The plan ref of a file in the plan (its key, or its path without `.md` for a new record). */
  readonly ref?: string;
}

export interface ReadFolderOptions {
  readonly productKey: string;
  readonly catalog: Catalog;
  /** Put before each file's path in messages: the folder as the user named it (`reqs/`). */
  readonly prefix?: string;
}

export interface FolderRead {
  readonly plan: ImportPlan & { linkMode: 'replace'; records: ImportRecord[]; links: ImportLink[] };
  readonly problems: ImportProblem[];
  readonly entries: FolderEntry[];
}

const KEY = /^(?:([A-Z][A-Z0-9]{1,15})\/)?([A-Z][A-Z0-9]*)-([1-9]\d{0,9})$/;
const FRONT_KEYS = new Set(['id', 'type', 'revision', 'status', 'title', 'fields', 'links', DIGEST_KEY]);
const TITLE = recordTitle();
const DIGEST_LINE = Buffer.from(`\n${DIGEST_KEY}: `);
/** The first lines Dossier writes: what an untouched file's id, type, revision and status are read from. */
const WRITTEN_HEAD = /^---\nid: ([A-Z][A-Z0-9]*-[1-9]\d{0,9})\ntype: ([A-Z][A-Z0-9]*)\nrevision: ([1-9]\d{0,9})\nstatus: ([a-z_]+)\n/;

/**
 * Whether a file is exactly as Dossier wrote it: its text without the digest line hashes to the digest. Then its
 * id, type, revision and status, read from its first lines; else undefined (the file must be parsed).
 */
export function untouchedFile(bytes: Uint8Array): Untouched | undefined {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = b.indexOf(DIGEST_LINE);
  if (at < 0) return undefined;
  const start = at + DIGEST_LINE.length;
  const end = start + 64;
  // The digest line is the last of the front matter: `---` follows it.
  if (b.length < end + 5 || b[end] !== 0x0a || b[end + 1] !== 0x2d || b[end + 2] !== 0x2d || b[end + 3] !== 0x2d || b[end + 4] !== 0x0a) return undefined;
  const digest = b.toString('latin1', start, end);
  if (folderDigest(b.subarray(0, at + 1), b.subarray(end + 1)) !== digest) return undefined;
  const m = WRITTEN_HEAD.exec(b.toString('utf8', 0, Math.min(at + 1, 200)));
  if (m === null) return undefined;
  return { key: m[1] ?? '', type: m[2] ?? '', revision: Number(m[3]), status: m[4] ?? '' };
}

/** One file, parsed: its plan record (unless it had problems), its links and what it says of itself. */
interface ParsedFile {
  readonly entry: FolderEntry;
  readonly record?: ImportRecord;
  /** Link targets as written (a key, or a path of a file in the folder), resolved once every file is read. */
  readonly links: { type: string; to: string; where: string }[];
  readonly problems: ImportProblem[];
  /** Where the id is written, for a duplicate-id message. */
  readonly idWhere?: string;
}

/** The front matter and body of a file, or where it goes wrong. */
function split(text: string): { yaml: string; body: string } | { problem: string } {
  let t = text.startsWith('\ufeff') ? text.slice(1) : text;
  // A checkout that turned line ends into CR LF: the whole file was converted, so convert it back.
  if (t.startsWith('---\r\n')) t = t.replace(/\r\n/g, '\n');
  if (!t.startsWith('---\n') && t !== '---') return { problem: "a record file starts with front matter: a line '---', YAML, then a line '---' before the body" };
  const close = t.indexOf('\n---\n', 3);
  if (close < 0) {
    if (t.endsWith('\n---') && t.length > 4) return { yaml: t.slice(4, t.length - 3), body: '' };
    return { problem: "the front matter is not closed: no line '---' after the first" };
  }
  const rest = t.slice(close + 5);
  return { yaml: t.slice(4, close + 1), body: rest.endsWith('\n') ? rest.slice(0, -1) : rest };
}

/** Line and column (1-based, in the file: the YAML starts on line 2) of a node or an offset. */
function at(counter: LineCounter, offset: number): { line: number; col: number } {
  const p = counter.linePos(offset);
  return { line: p.line + 1, col: p.col };
}

function nodeStart(node: unknown): number | undefined {
  return isNode(node) && node.range !== undefined && node.range !== null ? node.range[0] : undefined;
}

/** Where the value at `path` is (or the nearest enclosing one that exists). */
function whereIn(doc: Document, counter: LineCounter, file: string, path: readonly (string | number)[], key = false): string {
  if (key && path.length > 0) {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
      const o = nodeStart(pair?.key);
      if (o !== undefined) {
        const p = at(counter, o);
        return `${file}:${p.line}:${p.col}`;
      }
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const o = nodeStart(n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true));
    if (o !== undefined) {
      const p = at(counter, o);
      return `${file}:${p.line}:${p.col}`;
    }
  }
  return `${file}:2:1`;
}

function typeName(v: unknown): string {
  if (v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

/**
 * Parses one record file.
 * @param path - below the folder, `/`-separated: `SRS/SRS-12.md`; its first part is the record type
 */
function parseFile(path: string, text: string, o: ReadFolderOptions): ParsedFile {
  const file = `${o.prefix ?? ''}${path}`;
  const folderType = path.slice(0, path.indexOf('/'));
  const problems: ImportProblem[] = [];
  const fail = (where: string, message: string): ParsedFile => {
    problems.push({ where, message });
    return { entry: { path, type: folderType, unchanged: false }, links: [], problems };
  };
  const parts = split(text);
  if ('problem' in parts) return fail(`${file}:1:1`, parts.problem);
  const counter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(parts.yaml, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (e) {
    return fail(`${file}:2:1`, `malformed YAML: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) {
    const p = at(counter, yamlError.pos[0]);
    return fail(`${file}:${p.line}:${p.col}`, `malformed YAML in the front matter: ${(yamlError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+.*$/, '')}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return fail(`${file}:2:1`, `malformed YAML in the front matter: ${/maximum call stack/i.test((e as Error).message) ? 'nested too deeply' : (e as Error).message}`);
  }
  const deep = tooDeepPath(data);
  if (deep !== undefined) return fail(whereIn(doc, counter, file, deep), `nested more than ${MAX_JSON_DEPTH} levels deep`);
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) return fail(whereIn(doc, counter, file, []), `the front matter must be a mapping of keys (id, title, fields, links…), not ${typeName(data)}`);
  const fm = data as Record<string, unknown>;
  const where = (p: readonly (string | number)[], key = false): string => whereIn(doc, counter, file, p, key);
  const problem = (p: readonly (string | number)[], message: string, key = false): void => void problems.push({ where: where(p, key), message });

  for (const k of Object.keys(fm)) {
    if (!FRONT_KEYS.has(k)) problem([k], `unknown front-matter key '${k}'; a record file has ${[...FRONT_KEYS].join(', ')}`, true);
  }

  // id: the record this file updates (absent for a new record).
  let key: string | undefined;
  if (fm['id'] !== undefined) {
    const id = fm['id'];
    const m = typeof id === 'string' ? KEY.exec(id) : null;
    if (typeof id !== 'string' || m === null) problem(['id'], `id must be a record ID like ${folderType}-12, not ${typeof id === 'string' ? `'${id}'` : typeName(id)}`);
    else if (m[1] !== undefined && m[1] !== o.productKey) problem(['id'], `${id} is a record of product ${m[1]}, not of ${o.productKey}`);
    else if (m[2] !== folderType) problem(['id'], `${id} is a ${m[2] ?? ''} record, but the file is in the ${folderType} folder`);
    else key = `${m[2]}-${m[3] ?? ''}`;
  }
  let type = folderType;
  if (fm['type'] !== undefined) {
    if (typeof fm['type'] !== 'string') problem(['type'], `type must be a record type (text), not ${typeName(fm['type'])}`);
    else if (fm['type'] !== folderType) problem(['type'], `type ${fm['type']} does not match the folder the file is in (${folderType})`);
    else type = fm['type'];
  }
  const recordType = o.catalog.recordTypes.get(type);
  let revision: number | undefined;
  if (fm['revision'] !== undefined) {
    const r = fm['revision'];
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) problem(['revision'], `revision must be a whole number from 1, not ${typeof r === 'number' ? r : typeName(r)}`);
    else if (fm['id'] === undefined) problem(['revision'], 'a file without an id is a new record and has no revision: remove it, or add the id');
    else revision = r;
  }
  let status: string | undefined;
  if (fm['status'] !== undefined) {
    if (typeof fm['status'] !== 'string') problem(['status'], `status must be text, not ${typeName(fm['status'])}`);
    else status = fm['status'];
  }
  if (fm[DIGEST_KEY] !== undefined && typeof fm[DIGEST_KEY] !== 'string') problem([DIGEST_KEY], `${DIGEST_KEY} must be text, not ${typeName(fm[DIGEST_KEY])}`);
  let title = '';
  if (fm['title'] === undefined) problems.push({ where: `${file}:1:1`, message: 'the front matter has no title' });
  else if (typeof fm['title'] !== 'string') problem(['title'], `title must be text, not ${typeName(fm['title'])}`);
  else {
    const t = TITLE.safeParse(fm['title']);
    if (!t.success) problem(['title'], `title: ${t.error.issues[0]?.message ?? 'invalid'}`);
    else title = t.data;
  }

  // fields: checked against the catalog here, so a wrong one is named by its line and column.
  let fields: Record<string, unknown> = {};
  if (fm['fields'] !== undefined && fm['fields'] !== null) {
    const f = fm['fields'];
    if (typeof f !== 'object' || Array.isArray(f)) problem(['fields'], `fields must be a mapping of field names to values, not ${typeName(f)}`);
    else {
      fields = f as Record<string, unknown>;
      if (recordType !== undefined) {
        const r = recordType.fields.safeParse(fields);
        if (!r.success) {
          for (const issue of r.error.issues.slice(0, 5)) {
            const p = issue.path.filter((x): x is string | number => typeof x !== 'symbol');
            const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
            if (unknownKeys.length > 0) {
              for (const k of unknownKeys) problem(['fields', ...p, k], `${type} records have no field '${k}'; their fields are ${Object.keys(recordType.fields.shape).join(', ')}`, true);
            } else problem(['fields', ...p], `fields.${p.join('.')}: ${issue.message}`);
          }
        }
      }
    }
  }

  // links: link type → targets (a record ID, or the path of a new file in this folder).
  const links: ParsedFile['links'] = [];
  if (fm['links'] !== undefined && fm['links'] !== null) {
    const l = fm['links'];
    if (typeof l !== 'object' || Array.isArray(l)) problem(['links'], `links must be a mapping of link types to record IDs, not ${typeName(l)}`);
    else {
      for (const [lt, targets] of Object.entries(l as Record<string, unknown>)) {
        if (!o.catalog.linkTypes.has(lt)) {
          problem(['links', lt], `unknown link type '${lt}'; link types: ${[...o.catalog.linkTypes.keys()].join(', ')}`, true);
          continue;
        }
        const list = typeof targets === 'string' ? [targets] : targets;
        if (!Array.isArray(list)) {
          problem(['links', lt], `links.${lt} must be a list of record IDs, not ${typeName(targets)}`);
          continue;
        }
        list.forEach((t: unknown, i) => {
          const p = typeof targets === 'string' ? ['links', lt] : ['links', lt, i];
          if (typeof t !== 'string' || t.trim() === '') {
            problem(p, `links.${lt} lists ${typeName(t)}; a link target is a record ID (SYS-3) or the path of a new file (SYS/new-need)`);
            return;
          }
          links.push({ type: lt, to: t.trim(), where: where(p) });
        });
      }
    }
  }

  const idWhere = fm['id'] === undefined ? undefined : where(['id']);
  const ref = key ?? path.slice(0, -3);
  const entry: FolderEntry = {
    path,
    ...(key === undefined ? {} : { key }),
    type,
    ...(revision === undefined ? {} : { revision }),
    ...(status === undefined ? {} : { status }),
    unchanged: false,
    ...(problems.length === 0 ? { ref } : {}),
  };
  if (problems.length > 0) return { entry, links: [], problems, ...(idWhere === undefined ? {} : { idWhere }) };
  const record: ImportRecord = {
    ref,
    ...(key === undefined ? {} : { key }),
    ...(revision === undefined ? {} : { baseRevision: revision }),
    type,
    title,
    body: parts.body,
    fields,
    where: idWhere ?? `${file}:1:1`,
  };
  return { entry, record, links, problems, ...(idWhere === undefined ? {} : { idWhere }) };
}

/**
 * Reads every record file of a folder into one plan (`replace` links: each file's links are its record's outgoing
 * links) and every problem: malformed front matter, unknown keys, wrong types, unknown fields or link types, an id
 * in the wrong type folder or of another product, the same id in two files, a link to a file that is not there.
 * Never throws for what the files say.
 * @param files - the `.md` files of the type folders, paths `/`-separated below the folder
 */
export function readMarkdownFolder(files: readonly FolderFile[], o: ReadFolderOptions): FolderRead {
  const problems: ImportProblem[] = [];
  const entries: FolderEntry[] = [];
  const parsed: ParsedFile[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    const folderType = f.path.slice(0, f.path.indexOf('/'));
    if (!o.catalog.recordTypes.has(folderType)) {
      problems.push({ where: `${o.prefix ?? ''}${f.path}:1:1`, message: `${folderType} is not a record type, so its folder cannot hold records` });
      continue;
    }
    const u = 'untouched' in f ? f.untouched : untouchedFile(f.bytes);
    if (u !== undefined) {
      if (u.type !== folderType || !u.key.startsWith(`${folderType}-`)) {
        problems.push({ where: `${o.prefix ?? ''}${f.path}:2:5`, message: `${u.key} is a ${u.type} record, but the file is in the ${folderType} folder` });
        continue;
      }
      entries.push({ path: f.path, key: u.key, type: u.type, revision: u.revision, status: u.status, unchanged: true });
      continue;
    }
    if (!('bytes' in f)) continue;
    const text = decoder.decode(f.bytes);
    const p = parseFile(f.path, text, o);
    problems.push(...p.problems);
    entries.push(p.entry);
    parsed.push(p);
  }

  // The same record in two files: both are refused, the second naming the first.
  const byKey = new Map<string, FolderEntry>();
  const refused = new Set<string>();
  for (const e of entries) {
    if (e.key === undefined) continue;
    const first = byKey.get(e.key);
    if (first === undefined) {
      byKey.set(e.key, e);
      continue;
    }
    const p = parsed.find((x) => x.entry === e);
    problems.push({ where: p?.idWhere ?? `${o.prefix ?? ''}${e.path}:2:5`, message: `${e.key} is also the id of ${o.prefix ?? ''}${first.path}: one record, one file` });
    refused.add(e.key);
  }

  // Link targets: a key, or a file of this folder (its key, or its ref while it is new).
  const byPath = new Map(entries.map((e) => [e.path.slice(0, -3), e]));
  const records: ImportRecord[] = [];
  const links: ImportLink[] = [];
  for (const p of parsed) {
    if (p.record === undefined || (p.entry.key !== undefined && refused.has(p.entry.key))) continue;
    const linkProblems: ImportProblem[] = [];
    const resolved: ImportLink[] = [];
    for (const l of p.links) {
      // A file of this folder first (`SRS/SRS-3` is a path, not product SRS's SRS-3, when that file is here).
      const asPath = l.to.replace(/^\.\//, '').replace(/\.md$/, '');
      const e = asPath.includes('/') ? byPath.get(asPath) : undefined;
      let to: string;
      if (e !== undefined) {
        const target = e.key ?? e.ref;
        if (target === undefined) continue; // that file has its own problem, listed
        to = target;
      } else {
        const m = KEY.exec(l.to);
        if (m === null) {
          linkProblems.push({ where: l.where, message: `links to ${l.to}, which is neither a record ID nor a file in this folder` });
          continue;
        }
        if (m[1] !== undefined && m[1] !== o.productKey) {
          linkProblems.push({ where: l.where, message: `links to ${l.to}, a record of product ${m[1]}: links stay within ${o.productKey}` });
          continue;
        }
        to = `${m[2] ?? ''}-${m[3] ?? ''}`;
      }
      resolved.push({ from: p.record.ref, type: l.type, to, where: l.where });
    }
    if (linkProblems.length > 0) {
      problems.push(...linkProblems);
      continue;
    }
    records.push(p.record);
    links.push(...resolved);
  }
  // A file with problems stays out of the plan, and so do links to it, so the report lists each problem once.
  const inPlan = new Set(records.map((r) => r.ref));
  const refusedRefs = new Set(parsed.flatMap((p) => (p.record !== undefined && inPlan.has(p.record.ref) ? [] : [p.entry.key ?? p.entry.path.slice(0, -3)])));
  return {
    plan: { linkMode: 'replace', records, links: links.filter((l) => !refusedRefs.has(l.to)) },
    problems,
    entries,
  };
}

/**
 * Reads `dossier-folder.yml`: the folder's format and product.
 * @returns problems: malformed, of a newer format, or of another product
 */
export function readFolderManifest(text: string, file: string, productKey: string): ImportProblem[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const pos = (node: unknown): string => {
    const o = nodeStart(node);
    const p = o === undefined ? { line: 1, col: 1 } : counter.linePos(o);
    return `${file}:${p.line}:${p.col}`;
  };
  const e = doc.errors[0];
  if (e !== undefined) {
    const p = counter.linePos(e.pos[0]);
    return [{ where: `${file}:${p.line}:${p.col}`, message: `malformed YAML: ${e.message.split('\n')[0] ?? ''}` }];
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 10 });
  } catch (x) {
    return [{ where: `${file}:1:1`, message: `malformed YAML: ${(x as Error).message}` }];
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !isMap(doc.contents)) return [{ where: `${file}:1:1`, message: 'must be a mapping with format and product' }];
  const out: ImportProblem[] = [];
  const m = data as Record<string, unknown>;
  const node = (k: string): unknown => doc.get(k, true);
  for (const pair of doc.contents.items) {
    const k = isScalar(pair.key) ? pair.key.value : undefined;
    if (k !== 'format' && k !== 'product' && k !== 'writtenAt') out.push({ where: pos(pair.key), message: `unknown key '${String(k)}'; the folder file has format, product, writtenAt` });
  }
  if (typeof m['format'] !== 'number' || !Number.isInteger(m['format'])) out.push({ where: pos(node('format')), message: `format must be ${FOLDER_FORMAT}` });
  else if (m['format'] > FOLDER_FORMAT) out.push({ where: pos(node('format')), message: `format ${m['format']} is newer than this Dossier reads (${FOLDER_FORMAT}): update Dossier` });
  if (m['product'] !== undefined && m['product'] !== productKey) {
    out.push({ where: pos(node('product')), message: `the folder holds records of product ${JSON.stringify(m['product'])}, not ${productKey}` });
  }
  return out;
}


import { createHash } from 'node:crypto';

/**
 * A product's records as a Markdown folder (`dossier export md DIR`): one file per record, `TYPE/KEY.md`, with YAML
 * front matter and the record's Markdown body exactly; `dossier-folder.yml` names the product. Pure: records in,
 * file texts out. The same records always give byte-identical files (keys in a fixed order, fields and links
 * sorted), so a folder kept in git changes only where a record did.
 *
 * Front matter, in this order: `id`, `type`, `revision` (the revision the file was written from: `sync` refuses a
 * change made to an older one), `status` (shown, never read back), `title`, `fields` (typed as stored), `links`
 * (outgoing, by link type), and `digest`: the SHA-256 of the file's text without that line, so `sync` can tell a file
 * nobody touched from an edited one without parsing it.
 */

/** The format version written in `dossier-folder.yml`; a reader refuses a folder of a newer one. */
export const FOLDER_FORMAT = 1;
/** The folder's own file, beside the type folders. */
export const FOLDER_MANIFEST = 'dossier-folder.yml';
/** The front-matter key of the file's digest, always its last line. */
export const DIGEST_KEY = 'digest';

/** What a record file is written from (a `record.export` record). */
export interface FolderRecord {
  readonly key: string;
  readonly type: string;
  readonly revision: number;
  readonly status: string;
  readonly title: string;
  readonly body: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** An outgoing link of a record: its type and the target's key. */
export interface FolderLink {
  readonly type: string;
  readonly to: string;
}

/** One file of the folder: its path below the folder (`SRS/SRS-12.md`, `/`-separated) and its text. */
export interface FolderFileText {
  readonly path: string;
  readonly text: string;
}

/** Where a record's file goes: `SRS/SRS-12.md`. */
export function recordFilePath(type: string, key: string): string {
  return `${type}/${key}.md`;
}

/** `SRS-2` before `SRS-10`: type, then number. */
function compareKeys(a: string, b: string): number {
  const i = a.lastIndexOf('-');
  const j = b.lastIndexOf('-');
  const ta = a.slice(0, i);
  const tb = b.slice(0, j);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return Number(a.slice(i + 1)) - Number(b.slice(j + 1));
}

/** SHA-256 (hex) of a file's text without its digest line: `head` is everything before that line, `tail` after. */
export function folderDigest(head: Uint8Array | string, tail: Uint8Array | string): string {
  return createHash('sha256').update(head).update(tail).digest('hex');
}

/**
 * The text of one record's file. Links are grouped by type (types sorted) with targets in key order.
 * @param links - the record's active outgoing links
 */
export function renderRecordFile(r: FolderRecord, links: readonly FolderLink[]): string {
  const lines = ['---', `id: ${r.key}`, `type: ${r.type}`, `revision: ${r.revision}`, `status: ${r.status}`, `title: ${scalar(r.title)}`];
  const fieldKeys = Object.keys(r.fields)
    .filter((k) => r.fields[k] !== undefined)
    .sort();
  if (fieldKeys.length > 0) {
    lines.push('fields:');
    for (const k of fieldKeys) entry(lines, '  ', k, r.fields[k]);
  }
  if (links.length > 0) {
    const byType = new Map<string, string[]>();
    for (const l of links) {
      const list = byType.get(l.type);
      if (list === undefined) byType.set(l.type, [l.to]);
      else list.push(l.to);
    }
    lines.push('links:');
    for (const type of [...byType.keys()].sort()) {
      const targets = [...new Set(byType.get(type))].sort(compareKeys);
      lines.push(`  ${type}: [${targets.join(', ')}]`);
    }
  }
  const head = `${lines.join('\n')}\n`;
  const tail = `---\n${r.body === '' ? '' : `${r.body}\n`}`;
  return `${head}${DIGEST_KEY}: ${folderDigest(head, tail)}\n${tail}`;
}

/** What a folder is written from: `record.export`'s records and active links. */
export interface FolderSource {
  readonly records: readonly FolderRecord[];
  readonly links: readonly { readonly type: string; readonly from: string; readonly to: string }[];
}

/**
 * Every record's file, in path order, each rendered only when asked for (a writer keeps one text at a time, however
 * large the product): each record with its active outgoing links.
 */
export function* folderFiles(exported: FolderSource): Generator<FolderFileText> {
  const outgoing = new Map<string, FolderLink[]>();
  for (const l of exported.links) {
    const list = outgoing.get(l.from);
    if (list === undefined) outgoing.set(l.from, [{ type: l.type, to: l.to }]);
    else list.push({ type: l.type, to: l.to });
  }
  const ordered = exported.records.map((r) => ({ r, path: recordFilePath(r.type, r.key) })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const { r, path } of ordered) yield { path, text: renderRecordFile(r, outgoing.get(r.key) ?? []) };
}

/** Every record's file, in path order (see {@link folderFiles}). */
export function renderFolder(exported: FolderSource): FolderFileText[] {
  return [...folderFiles(exported)];
}

/** `dossier-folder.yml`: what the folder is, whose it is, and when it was written. */
export function renderFolderManifest(productKey: string, writtenAt: string): string {
  return [
    '# A Dossier Markdown folder: one file per record, in one folder per record type.',
    '# Edit the files (or add new ones without an id), then run `dossier sync` on this folder.',
    `format: ${FOLDER_FORMAT}`,
    `product: ${productKey}`,
    `writtenAt: ${writtenAt}`,
    '',
  ].join('\n');
}

// ---- A small YAML emitter: fixed layout, fast, and every value reads back as it was (property-tested). ----

const PLAIN_SAFE = /^[A-Za-z_][A-Za-z0-9 _.,;()/+'"?!=<>~^$-]*$/;
/** Words a YAML 1.1 or 1.2 reader might take for something other than a string. */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|nan|inf)$/i;
/** What YAML does not allow raw in a double-quoted scalar, or what some readers treat as a line break. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff"\\]/g;

function escapeChar(c: string): string {
  switch (c) {
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\t':
      return '\\t';
    case '\r':
      return '\\r';
    default:
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
}

/** A string on one line: plain when nothing in it could mean anything else, else double-quoted with escapes. */
function scalar(s: string): string {
  if (PLAIN_SAFE.test(s) && !s.endsWith(' ') && !RESERVED.test(s) && !s.includes(': ') && !s.includes(' #')) return s;
  return `"${s.replace(NEEDS_ESCAPE, escapeChar)}"`;
}

/** Text of several lines that a literal block keeps exactly (no CR or other control characters, no leading blank). */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const BLOCK_SAFE = /^[^\s][^\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]*$/;

function stringValue(out: string[], indent: string, prefix: string, s: string): void {
  if (s.includes('\n') && BLOCK_SAFE.test(s)) {
    const trailing = /\n*$/.exec(s)?.[0].length ?? 0;
    const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
    out.push(`${prefix}|${chomp}`);
    const content = trailing === 0 ? s : s.slice(0, s.length - trailing);
    for (const line of content.split('\n')) out.push(line === '' ? '' : `${indent}${line}`);
    for (let k = 1; k < trailing; k++) out.push('');
    return;
  }
  out.push(`${prefix}${scalar(s)}`);
}

function inline(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? (Object.is(v, -0) ? '0' : String(v)) : 'null';
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).length === 0) return '{}';
  return undefined;
}

/** `key: value` at `indent`, nesting below it for lists, maps and block text. */
function entry(out: string[], indent: string, key: string, v: unknown): void {
  const k = scalar(key);
  const simple = inline(v);
  if (simple !== undefined) out.push(`${indent}${k}: ${simple}`);
  else if (typeof v === 'string') stringValue(out, `${indent}  `, `${indent}${k}: `, v);
  else if (Array.isArray(v)) {
    out.push(`${indent}${k}:`);
    for (const item of v) listItem(out, `${indent}  `, item);
  } else {
    out.push(`${indent}${k}:`);
    mapping(out, `${indent}  `, v as Record<string, unknown>);
  }
}

function mapping(out: string[], indent: string, m: Readonly<Record<string, unknown>>): void {
  for (const k of Object.keys(m).sort()) if (m[k] !== undefined) entry(out, indent, k, m[k]);
}

/** `- item` at `indent`: a map's first key shares the dash's line, the rest follow below it. */
function listItem(out: string[], indent: string, v: unknown): void {
  const simple = inline(v);
  if (simple !== undefined) out.push(`${indent}- ${simple}`);
  else if (typeof v === 'string') stringValue(out, `${indent}  `, `${indent}- `, v);
  else if (Array.isArray(v)) {
    out.push(`${indent}-`);
    for (const item of v) listItem(out, `${indent}  `, item);
  } else {
    const inner: string[] = [];
    mapping(inner, `${indent}  `, v as Record<string, unknown>);
    const [first, ...rest] = inner;
    out.push(`${indent}- ${(first ?? '').slice(indent.length + 2)}`, ...rest);
  }
}

/** A value as YAML at `indent` (for tests of the emitter: `value: …` read back must equal `v`). */
export function yamlValue(v: unknown): string {
  const out: string[] = [];
  entry(out, '', 'value', v);
  return `${out.join('\n')}\n`;
}

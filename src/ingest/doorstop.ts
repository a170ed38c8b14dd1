import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Catalog } from '../core/catalog/catalog.js';
import { isAppError } from '../core/errors.js';
import type { ImportLink, ImportProblem, ImportRecord } from '../core/interchange/plan.js';
import { isYamlFault, parseItemYaml } from './doorstop-yaml.js';
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
import { parseYamlAs } from './yaml-file.js';

/**
 * Reads a doorstop tree into an import plan. Each document (a folder with `.doorstop.yml`) maps to a record type,
 * each active normative item to a record (title from its header or first sentence, body its Markdown text, its
 * UID as `externalId`), and each item link to a child→parent link of the type the catalog allows between the two
 * record types. A link whose stamp no longer matches the parent item's current stamp (doorstop's "suspect link")
 * becomes a suspect link. Doorstop's outline level and the headings above an item are kept as the body's last
 * line (`*Doorstop level 1.2 · Heading › Subheading*`): no record type has an outline field, and the keys follow
 * the outline order. Pure: the caller reads the files.
 */

/** One file of the tree: its path relative to the tree's folder (with `/`), and its text. */
export interface TreeFile {
  readonly path: string;
  readonly text: string;
}

const DocumentConfigSchema = z.looseObject({
  settings: z.looseObject({
    prefix: z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1)),
    parent: z.union([z.string(), z.number()]).transform(String).nullish(),
    digits: z.number().int().min(0).max(20).optional(),
    sep: z.string().nullish(),
    itemformat: z.string().optional(),
  }),
  attributes: z
    .looseObject({
      defaults: z.record(z.string(), z.unknown()).nullish(),
      reviewed: z.array(z.string()).nullish(),
    })
    .nullish(),
});

interface DoorstopDocument {
  readonly dir: string;
  readonly configFile: string;
  readonly prefix: string;
  readonly parent: string | undefined;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly reviewedKeys: readonly string[];
  type: string | undefined;
  readonly items: Item[];
}

interface Item {
  readonly uid: string;
  readonly file: string;
  readonly doc: DoorstopDocument;
  readonly data: Record<string, unknown>;
  readonly links: readonly { readonly uid: string; readonly stamp: unknown; readonly line: number }[];
  readonly level: readonly number[];
  readonly text: string;
  stamp?: string;
}

/** Keys doorstop gives meaning to; any other key of an item is a custom attribute. */
const ITEM_KEYS = new Set(['active', 'derived', 'header', 'level', 'links', 'normative', 'ref', 'references', 'reviewed', 'text']);

/** Reads a doorstop tree's files (`.doorstop.yml` and item `*.yml`) into a plan, problems and mapping lines. */
export function readDoorstopTree(files: readonly TreeFile[], options: { readonly catalog: Catalog; readonly map: ToolImportMap; readonly root: string }): ToolReadResult {
  const { catalog, map } = options;
  const problems: ImportProblem[] = [];
  const mapping: string[] = [];
  const docs: DoorstopDocument[] = [];
  const docByDir = new Map<string, DoorstopDocument | null>();
  const label = (p: string): string => (options.root === '' ? p : `${options.root.replace(/\/$/, '')}/${p}`);

  for (const f of files) {
    if (baseName(f.path) !== '.doorstop.yml') continue;
    const dir = dirName(f.path);
    try {
      const { value } = parseYamlAs(f.text, label(f.path), DocumentConfigSchema);
      const s = value.settings;
      if (s.itemformat !== undefined && s.itemformat !== 'yaml') {
        problems.push({ where: label(f.path), message: `items stored as '${s.itemformat}' are not read; only YAML items (itemformat: yaml)` });
        docByDir.set(dir, null);
        continue;
      }
      const doc: DoorstopDocument = {
        dir,
        configFile: f.path,
        prefix: s.prefix,
        parent: s.parent ?? undefined,
        defaults: value.attributes?.defaults ?? {},
        reviewedKeys: value.attributes?.reviewed ?? [],
        type: undefined,
        items: [],
      };
      docs.push(doc);
      docByDir.set(dir, doc);
    } catch (e) {
      if (!isAppError(e)) throw e;
      const d = e.details as { line?: number; column?: number };
      const where = d.line === undefined ? label(f.path) : `${label(f.path)}:${d.line}:${d.column ?? 1}`;
      problems.push({ where, message: e.userMessage.replace(/^[^:]*:\d+:\d+: /, '') });
      docByDir.set(dir, null);
    }
  }
  if (docs.length === 0 && problems.length === 0) {
    problems.push({ where: label(''), message: 'no doorstop document here (no .doorstop.yml below this folder)' });
    return { plan: { records: [], links: [] }, problems, mapping };
  }

  // Documents → record types.
  const byPrefix = new Map<string, DoorstopDocument>();
  for (const d of docs) {
    const key = d.prefix.toLowerCase();
    const other = byPrefix.get(key);
    if (other !== undefined) {
      problems.push({ where: label(d.configFile), message: `prefix ${d.prefix} is also the prefix of ${label(other.dir)}` });
      continue;
    }
    byPrefix.set(key, d);
    d.type = recordTypeFor([d.prefix, baseName(d.dir)], map, catalog);
    if (d.type === undefined) {
      problems.push({
        where: label(d.dir === '' ? '.' : d.dir),
        message: `doorstop document ${d.prefix} maps to no record type: say which in a map file (--map), e.g. types: { ${d.prefix}: SRS }`,
      });
    }
  }
  for (const d of docs) {
    if (d.parent !== undefined && !byPrefix.has(d.parent.toLowerCase())) {
      problems.push({ where: label(d.configFile), message: `parent document ${d.parent} is not in the tree` });
    }
  }

  // Items: each file belongs to the nearest folder above it holding a document.
  const itemsByUid = new Map<string, Item>();
  const dirCache = new Map<string, DoorstopDocument | null>();
  const docOf = (dir: string): DoorstopDocument | null => {
    const hit = dirCache.get(dir);
    if (hit !== undefined) return hit;
    const own = docByDir.get(dir);
    const found = own !== undefined ? own : dir === '' ? null : docOf(dirName(dir));
    dirCache.set(dir, found);
    return found;
  };
  for (const f of files) {
    const name = baseName(f.path);
    if (!name.endsWith('.yml') || name.startsWith('.')) continue;
    const doc = docOf(dirName(f.path));
    if (doc === null) continue;
    const uid = name.slice(0, -'.yml'.length);
    const parsed = parseItemYaml(f.text);
    if (isYamlFault(parsed)) {
      problems.push({ where: `${label(f.path)}:${parsed.line}:${parsed.column}`, message: parsed.message });
      continue;
    }
    const data = { ...doc.defaults, ...parsed.data };
    const rawLinks = data['links'];
    const links: { uid: string; stamp: unknown; line: number }[] = [];
    const linksLine = parsed.keyLines.get('links') ?? 1;
    if (rawLinks !== null && rawLinks !== undefined) {
      if (!Array.isArray(rawLinks)) problems.push({ where: `${label(f.path)}:${linksLine}`, message: 'links is a list of parent UIDs' });
      else {
        rawLinks.forEach((l: unknown, k) => {
          const line = parsed.linkLines[k] ?? linksLine;
          if (typeof l === 'string' || typeof l === 'number') {
            const [u, stamp] = String(l).split(':');
            links.push({ uid: u ?? '', stamp: stamp ?? null, line });
          } else if (l !== null && typeof l === 'object' && !Array.isArray(l) && Object.keys(l).length === 1) {
            const [[u, stamp]] = Object.entries(l) as [[string, unknown]];
            links.push({ uid: u, stamp, line });
          } else problems.push({ where: `${label(f.path)}:${line}`, message: 'a link is a parent UID, with its stamp: `- SYS001: <stamp>`' });
        });
      }
    }
    const levelParts = parseLevel(data['level']);
    if (levelParts === undefined) {
      problems.push({ where: `${label(f.path)}:${parsed.keyLines.get('level') ?? 1}`, message: `level '${String(data['level'])}' is not an outline number like 1.2.3` });
      continue;
    }
    const item: Item = { uid, file: f.path, doc, data, links, level: levelParts, text: loadText(data['text']) };
    const prev = itemsByUid.get(uid.toLowerCase());
    if (prev !== undefined) {
      problems.push({ where: label(f.path), message: `${uid} is also ${label(prev.file)}` });
      continue;
    }
    itemsByUid.set(uid.toLowerCase(), item);
    doc.items.push(item);
  }

  // Records, in outline order per document; parents' documents first.
  const records: ImportRecord[] = [];
  const links: ImportLink[] = [];
  const orderedDocs = treeOrder(docs, byPrefix);
  const dropped = new Tally();
  const noted = new Tally();
  let suspects = 0;
  let unreviewed = 0;
  for (const doc of orderedDocs) {
    const type = doc.type;
    doc.items.sort((a, b) => compareLevels(a.level, b.level) || a.uid.localeCompare(b.uid));
    const headings = new Map<string, string>();
    let imported = 0;
    const inactive: string[] = [];
    const headingUids: string[] = [];
    for (const item of doc.items) {
      if (!truthy(item.data['active'], true)) {
        inactive.push(item.uid);
        continue;
      }
      const heading = item.level.length > 0 && item.level[item.level.length - 1] === 0;
      if (!truthy(item.data['normative'], true) || heading) {
        headingUids.push(item.uid);
        const parts = heading ? item.level.slice(0, -1) : item.level;
        headings.set(parts.join('.'), titleFrom(str(item.data['header']), item.text, item.uid));
        continue;
      }
      if (type === undefined) continue;
      const typeDef = catalog.recordTypes.get(type);
      const fields: Record<string, unknown> = { ...defaultFieldsFor(type, map) };
      const extra: string[] = [];
      for (const [k, v] of Object.entries(item.data)) {
        if (ITEM_KEYS.has(k) || v === null || v === undefined || v === '') continue;
        const target = map.fields[k] ?? k;
        if (typeDef !== undefined && target in typeDef.fields.shape && target !== 'externalId') fields[target] = v;
        else {
          extra.push(`**${k}**: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
          noted.add(`${doc.prefix} attribute '${k}' → body (${type} has no field '${target}')`);
        }
      }
      fields['externalId'] = item.uid;
      const ref = str(item.data['ref']).trim();
      const refs = referencesOf(item.data['references']);
      const path: string[] = [];
      for (let d = 1; d < item.level.length; d++) {
        const h = headings.get(item.level.slice(0, d).join('.'));
        if (h !== undefined) path.push(h);
      }
      const trailer = `*Doorstop level ${item.level.join('.')}${path.length > 0 ? ` · ${path.join(' › ')}` : ''}*`;
      const body = [
        item.text,
        ...extra,
        ...(ref === '' ? [] : [`Reference: \`${ref}\``]),
        ...(refs.length === 0 ? [] : [`References: ${refs.map((r) => `\`${r}\``).join(', ')}`]),
        trailer,
      ]
        .filter((s) => s !== '')
        .join('\n\n');
      records.push({
        ref: item.uid,
        type,
        title: titleFrom(str(item.data['header']), item.text, item.uid),
        body,
        fields,
        where: `${label(item.file)}:1`,
      });
      imported++;
      const reviewed = item.data['reviewed'];
      if (typeof reviewed === 'string' && reviewed !== '' && reviewed !== stampOf(item, true, itemsByUid)) unreviewed++;
      for (const l of item.links) {
        const where = `${label(item.file)}:${l.line}`;
        const parent = itemsByUid.get(l.uid.toLowerCase());
        if (parent === undefined) {
          problems.push({ where, message: `${item.uid} links to ${l.uid}, which is not an item of the tree` });
          continue;
        }
        if (!truthy(parent.data['active'], true)) {
          dropped.add(`links to inactive items`);
          continue;
        }
        if (!truthy(parent.data['normative'], true) || parent.level[parent.level.length - 1] === 0) {
          dropped.add(`links to headings (non-normative items)`);
          continue;
        }
        const parentType = parent.doc.type;
        if (parentType === undefined) continue;
        const lt = linkTypeFor(type, parentType, map, catalog);
        if ('problem' in lt) {
          problems.push({ where, message: `${item.uid} → ${parent.uid}: ${lt.problem}` });
          continue;
        }
        const stamp = typeof l.stamp === 'string' ? l.stamp : undefined;
        const suspect = stamp !== undefined && stamp !== '' && stamp !== stampOf(parent, false, itemsByUid);
        if (suspect) suspects++;
        links.push({ from: item.uid, type: lt.type, to: parent.uid, suspect, where });
      }
    }
    const folder = label(doc.dir === '' ? '.' : doc.dir);
    if (type !== undefined) {
      mapping.push(`${folder} (doorstop document ${doc.prefix}${doc.parent === undefined ? '' : `, parent ${doc.parent}`}) → ${type}, ${imported} items`);
      const note = defaultsNote(type, map);
      if (note !== undefined && imported > 0) mapping.push(note);
    }
    if (inactive.length > 0) mapping.push(`${folder}: ${inactive.length} inactive items skipped (${sample(inactive)})`);
    if (headingUids.length > 0) mapping.push(`${folder}: ${headingUids.length} headings (non-normative items) not imported, kept in the body's level line (${sample(headingUids)})`);
  }
  const pairs = new Tally();
  for (const l of links) pairs.add(`${l.type}`);
  mapping.push(...pairs.lines((t, n) => `${n} links → ${t}`));
  if (suspects > 0) mapping.push(`${suspects} links suspect (their stamp differs from the parent's current one): imported as suspect`);
  if (unreviewed > 0) mapping.push(`${unreviewed} items changed since their last doorstop review (imported as drafts, like every item)`);
  mapping.push(...dropped.lines((l, n) => `${n} ${l} dropped`));
  mapping.push(...noted.lines((l, n) => `${l}: ${n} items`));
  return { plan: { records, links, linkMode: 'add' }, problems, mapping };
}

/** Documents from the roots down (a parent's records are created before its children's). */
function treeOrder(docs: readonly DoorstopDocument[], byPrefix: ReadonlyMap<string, DoorstopDocument>): DoorstopDocument[] {
  const depth = (d: DoorstopDocument, seen = new Set<DoorstopDocument>()): number => {
    const p = d.parent === undefined ? undefined : byPrefix.get(d.parent.toLowerCase());
    if (p === undefined || seen.has(p)) return 0;
    seen.add(d);
    return 1 + depth(p, seen);
  };
  return [...docs].filter((d) => byPrefix.get(d.prefix.toLowerCase()) === d).sort((a, b) => depth(a) - depth(b) || a.prefix.localeCompare(b.prefix));
}

function sample(uids: readonly string[]): string {
  return uids.length <= 5 ? uids.join(', ') : `${uids.slice(0, 5).join(', ')} …`;
}

function truthy(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'string') return ['yes', 'true', 'enabled', '1'].includes(v.trim().toLowerCase());
  return Boolean(v);
}

function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** An outline level (`1.2.3`, 1.2 or 3) as numbers; a trailing 0 marks a heading. Undefined when unreadable. */
export function parseLevel(v: unknown): number[] | undefined {
  if (v === undefined || v === null || v === '' || v === 0) return [1];
  const parts = Array.isArray(v) ? v.map((x) => str(x)) : str(v).split('.');
  const nums = parts.map((p) => (/^\d+$/.test(p.trim()) ? Number(p) : NaN));
  if (nums.some((x) => Number.isNaN(x))) return undefined;
  while (nums.length > 1 && nums[nums.length - 1] === 0 && nums[nums.length - 2] === 0) nums.pop();
  return nums;
}

function compareLevels(a: readonly number[], b: readonly number[]): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const d = (a[k] ?? -1) - (b[k] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/** Doorstop's reading of an item's text: no blank lines around it, no spaces at line ends. */
export function loadText(v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  let t = str(v);
  let end = t.length;
  while (end > 0 && t.charCodeAt(end - 1) === 10) end--;
  let start = 0;
  while (start < end && t.charCodeAt(start) === 10) start++;
  t = t.slice(start, end);
  // Most texts have no spaces at line ends: only those are split and rebuilt.
  return /[^\S\n]$|[^\S\n]\n/.test(t) ? t.split('\n').map((l) => l.replace(/\s+$/, '')).join('\n') : t;
}

function referencesOf(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((r: unknown) => (r !== null && typeof r === 'object' && typeof (r as { path?: unknown }).path === 'string' ? [(r as { path: string }).path] : []));
}

/**
 * Doorstop's stamp of an item: SHA-256 over its UID, text and `ref` (then its `references`, its links when the
 * stamp is the review stamp, and the document's extra reviewed attributes), each as Python prints it, in
 * URL-safe base64 with padding.
 */
export function stampOf(item: Item, withLinks: boolean, items?: ReadonlyMap<string, Item>): string {
  if (!withLinks && item.stamp !== undefined) return item.stamp;
  const h = createHash('sha256');
  h.update(item.uid);
  h.update(item.text);
  h.update(str(item.data['ref']).trim());
  const refs = item.data['references'];
  if (Array.isArray(refs) && refs.length > 0) h.update(pyRepr(refs));
  if (withLinks) for (const l of [...item.links].sort((a, b) => compareUids(a.uid, b.uid))) h.update(items?.get(l.uid.toLowerCase())?.uid ?? l.uid);
  for (const k of item.doc.reviewedKeys) if (k in item.data) h.update(pyStr(item.data[k]));
  const digest = h.digest('base64url');
  const s = digest + '='.repeat((4 - (digest.length % 4)) % 4);
  if (!withLinks) item.stamp = s;
  return s;
}

/** Doorstop orders UIDs by prefix, then number, then name. */
function compareUids(a: string, b: string): number {
  const sa = splitUid(a);
  const sb = splitUid(b);
  return sa.prefix.toLowerCase().localeCompare(sb.prefix.toLowerCase()) || sa.number - sb.number || sa.name.localeCompare(sb.name);
}

function splitUid(u: string): { prefix: string; number: number; name: string } {
  const sep = /^([\w.-]+?)[-_.](\w+)$/.exec(u);
  if (sep !== null && sep[1] !== undefined && sep[2] !== undefined) {
    return /^\d+$/.test(sep[2]) ? { prefix: sep[1], number: Number(sep[2]), name: '' } : { prefix: sep[1], number: -1, name: sep[2] };
  }
  const m = /^([\w.-]*\D)(\d+)/.exec(u);
  if (m !== null) return { prefix: (m[1] ?? '').replace(/[-_.]+$/, ''), number: Number(m[2]), name: '' };
  return { prefix: u, number: -1, name: '' };
}

/** `str(value)` in Python, for the values YAML gives. */
function pyStr(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  return pyRepr(v);
}

/** `repr(value)` in Python, for the values YAML gives. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'string') {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .replace(q === "'" ? /'/g : /"/g, `\\${q}`);
    return `${q}${body}${q}`;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return typeof v === 'bigint' ? v.toString() : '';
}

function baseName(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? p : p.slice(i + 1);
}

function dirName(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}

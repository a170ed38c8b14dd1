import { z } from 'zod';
import type { Catalog } from '../core/catalog/catalog.js';
import type { ImportPlan, ImportProblem } from '../core/interchange/plan.js';

/**
 * What the doorstop and strictdoc importers share: the map file (`--map MAP.yaml`) that says which record type a
 * document or element becomes, which link type a child→parent link becomes, and where custom fields go; and the
 * defaults used without one. The readers stay pure: they get the map already parsed and the catalog.
 */

const LINK_PAIR = /^\s*([A-Za-z][A-Za-z0-9]*)\s*-?>\s*([A-Za-z][A-Za-z0-9]*)\s*$/;

export const ToolImportMapSchema = z.strictObject({
  /**
   * Source name → record type key. A name is a doorstop prefix or document folder, a strictdoc document title,
   * element tag or UID prefix: `TST: TC`, `"Software requirements": SRS`.
   */
  types: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** `CHILD>PARENT` record types → the link type a child→parent link becomes: `"SRS>SYS": refines`. */
  links: z
    .record(z.string().regex(LINK_PAIR, 'a link key is CHILD>PARENT, two record type keys (e.g. "SRS>SYS")'), z.string().min(1))
    .default({}),
  /** A strictdoc relation ROLE → link type (`Refines: refines`); wins over `links`. */
  roles: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** Source field or attribute name → record field key (`PRIORITY: priority`, `ASIL: category`). */
  fields: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** Fields every imported record of a type gets unless the source sets them: `TC: { level: system }`. */
  defaults: z.record(z.string().min(1), z.record(z.string(), z.unknown())).default({}),
});
export type ToolImportMap = z.output<typeof ToolImportMapSchema>;

/** The map used without `--map`. */
export const EMPTY_TOOL_MAP: ToolImportMap = { types: {}, links: {}, roles: {}, fields: {}, defaults: {} };

/** What an importer read: the plan, problems found reading the files, and lines saying what mapped to what. */
export interface ToolReadResult {
  readonly plan: ImportPlan;
  readonly problems: ImportProblem[];
  readonly mapping: string[];
}

/** Common document names for record types, tried when a name is not itself a record type key. */
const COMMON_NAMES: Readonly<Record<string, string>> = {
  TST: 'TC',
  TEST: 'TC',
  TESTS: 'TC',
  TC: 'TC',
  REQ: 'SRS',
  REQS: 'SRS',
  LLR: 'SRS',
  SWRS: 'SRS',
  SWR: 'SRS',
  HLR: 'SYS',
  SYS: 'SYS',
  SYSRS: 'SYS',
  UN: 'UN',
  NEED: 'UN',
  NEEDS: 'UN',
};

/**
 * Required fields the sources never carry, with the value given when the map sets none (said in the mapping
 * lines): a doorstop or strictdoc test has no unit/integration/system level.
 */
const REQUIRED_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = { TC: { level: 'system' } };

/**
 * The record type for the first of `names` the map or the defaults know: each name is looked up in the map
 * first (exact, then case-insensitive), then as a catalog type key or a common name (case-insensitive).
 */
export function recordTypeFor(names: readonly string[], map: ToolImportMap, catalog: Catalog): string | undefined {
  for (const n of names) {
    const exact = map.types[n];
    if (exact !== undefined) return exact;
  }
  const lower = new Map(Object.entries(map.types).map(([k, v]) => [k.toLowerCase(), v]));
  for (const n of names) {
    const v = lower.get(n.toLowerCase());
    if (v !== undefined) return v;
  }
  for (const n of names) {
    const up = n.toUpperCase();
    if (catalog.recordTypes.has(up)) return up;
    const common = COMMON_NAMES[up];
    if (common !== undefined && catalog.recordTypes.has(common)) return common;
  }
  return undefined;
}

/** Problems with the map itself: unknown record types, link types and fields, named by their key in the map. */
export function checkToolMap(map: ToolImportMap, catalog: Catalog, file: string): ImportProblem[] {
  const out: ImportProblem[] = [];
  const known = [...catalog.recordTypes.keys()].join(', ');
  for (const [k, t] of Object.entries(map.types)) {
    if (!catalog.recordTypes.has(t)) out.push({ where: `${file} types.${k}`, message: `unknown record type '${t}' (known: ${known})` });
  }
  for (const [k, l] of [...Object.entries(map.links), ...Object.entries(map.roles)]) {
    if (!catalog.linkTypes.has(l)) out.push({ where: `${file} ${k}`, message: `unknown link type '${l}' (known: ${[...catalog.linkTypes.keys()].join(', ')})` });
  }
  for (const [k] of Object.entries(map.links)) {
    const m = LINK_PAIR.exec(k);
    for (const t of [m?.[1], m?.[2]]) {
      if (t !== undefined && !catalog.recordTypes.has(t)) out.push({ where: `${file} links.${k}`, message: `unknown record type '${t}' (known: ${known})` });
    }
  }
  for (const [t, fields] of Object.entries(map.defaults)) {
    const type = catalog.recordTypes.get(t);
    if (type === undefined) out.push({ where: `${file} defaults.${t}`, message: `unknown record type '${t}' (known: ${known})` });
    else {
      for (const f of Object.keys(fields)) {
        if (!(f in type.fields.shape)) out.push({ where: `${file} defaults.${t}.${f}`, message: `${t} has no field '${f}' (its fields: ${Object.keys(type.fields.shape).join(', ')})` });
      }
    }
  }
  return out;
}

/** The fields a record of `type` starts with: the map's defaults, else the built-in ones for required fields. */
export function defaultFieldsFor(type: string, map: ToolImportMap): Record<string, unknown> {
  return { ...(REQUIRED_DEFAULTS[type] ?? {}), ...(map.defaults[type] ?? {}) };
}

/** A mapping line for the defaults a type got without the map saying so, or undefined. */
export function defaultsNote(type: string, map: ToolImportMap): string | undefined {
  const builtin = REQUIRED_DEFAULTS[type];
  if (builtin === undefined) return undefined;
  const unset = Object.entries(builtin).filter(([f]) => map.defaults[type]?.[f] === undefined);
  if (unset.length === 0) return undefined;
  return `${type} records get ${unset.map(([f, v]) => `${f}=${String(v)}`).join(', ')} (the source has no such field; set another in the map's defaults.${type})`;
}

/**
 * The link type a link from a child of `childType` up to its parent of `parentType` becomes: the map's
 * `CHILD>PARENT` entry, else the only link type the catalog allows between them. Where the catalog allows both
 * `derives_from` and `refines` (a requirement under a requirement), a child under a parent of another type derives
 * from it and one under its own type refines it; any other choice of several is the map's to make.
 * @returns the link type, or a message saying why there is none
 */
export function linkTypeFor(childType: string, parentType: string, map: ToolImportMap, catalog: Catalog): { type: string } | { problem: string } {
  let byPair = LINK_TYPE_CACHE.get(map);
  if (byPair === undefined || byPair.catalog !== catalog) {
    byPair = { catalog, pairs: new Map() };
    LINK_TYPE_CACHE.set(map, byPair);
  }
  const key = `${childType}>${parentType}`;
  let hit = byPair.pairs.get(key);
  if (hit === undefined) {
    hit = chooseLinkType(childType, parentType, map, catalog);
    byPair.pairs.set(key, hit);
  }
  return hit;
}

/** Answers per map and catalog: an import asks once per link, about a handful of type pairs. */
const LINK_TYPE_CACHE = new WeakMap<ToolImportMap, { catalog: Catalog; pairs: Map<string, { type: string } | { problem: string }> }>();

function chooseLinkType(childType: string, parentType: string, map: ToolImportMap, catalog: Catalog): { type: string } | { problem: string } {
  for (const [k, v] of Object.entries(map.links)) {
    const m = LINK_PAIR.exec(k);
    if (m?.[1] === childType && m[2] === parentType) return { type: v };
  }
  const allowed = [...catalog.linkTypes.values()]
    .filter((l) => l.from.includes(childType) && l.to.includes(parentType) && (l.pairs?.[childType] ?? l.to).includes(parentType))
    .map((l) => l.key);
  if (allowed.length === 1 && allowed[0] !== undefined) return { type: allowed[0] };
  if (allowed.length === 2 && allowed.includes('derives_from') && allowed.includes('refines')) {
    return { type: childType === parentType ? 'refines' : 'derives_from' };
  }
  if (allowed.length === 0) {
    return { problem: `no link type goes from ${childType} to ${parentType}; map the documents to other types, or drop the link` };
  }
  return { problem: `${allowed.join(', ')} can all go from ${childType} to ${parentType}: say which in the map file (links: { "${childType}>${parentType}": ${allowed[0]} })` };
}

/**
 * A one-line title from a header or, failing that, from the first sentence of Markdown text: emphasis and heading
 * marks dropped, at most 200 characters (cut at a word).
 */
export function titleFrom(header: string, text: string, fallback: string): string {
  const h = header.trim();
  if (h !== '') return clip(h.replace(/\s+/g, ' '));
  let first = '';
  for (let at = 0; at <= text.length; ) {
    const nl = text.indexOf('\n', at);
    const line = text.slice(at, nl === -1 ? text.length : nl);
    if (line.trim() !== '') {
      first = line;
      break;
    }
    if (nl === -1) break;
    at = nl + 1;
  }
  const plain = first.replace(/^\s*#+\s*/, '').replace(/\*\*|__|`/g, '').trim();
  const sentence = /^(.+?[.!?])(?:\s|$)/.exec(plain)?.[1] ?? plain;
  return sentence === '' ? fallback : clip(sentence);
}

function clip(s: string): string {
  if (s.length <= 200) return s;
  const cut = s.slice(0, 199);
  const space = cut.lastIndexOf(' ');
  return `${space > 100 ? cut.slice(0, space) : cut}…`;
}

/** Counts by label, for mapping lines that would otherwise repeat per item. */
export class Tally {
  private readonly counts = new Map<string, number>();
  add(label: string, n = 1): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + n);
  }
  lines(format: (label: string, n: number) => string): string[] {
    return [...this.counts].map(([l, n]) => format(l, n));
  }
}

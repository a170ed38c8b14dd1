import type { ImportLink, ImportPlan, ImportProblem, ImportRecord } from '../../../../src/core/interchange/plan.js';
import { cellValue, type FieldInfo } from './grid-model';

/**
 * The spreadsheet import in the browser: a column map (as `dossier import csv --map` reads it: which column holds
 * each row's ID, type, title, body, key, fields and links) applied to a parsed CSV to make the same import plan the
 * CLI sends, with every problem naming its row and column.
 */

export interface MappedColumn {
  readonly column: string;
  readonly separator?: string;
}

export interface ColumnMap {
  readonly id: string;
  /** A record type for every row, or the column holding each row's type. */
  readonly type: string | { readonly column: string };
  readonly title: string;
  readonly body?: string;
  readonly key?: string;
  readonly fields: Readonly<Record<string, MappedColumn>>;
  readonly links: Readonly<Record<string, MappedColumn>>;
}

/** What the mapping needs of the catalog. */
export interface CatalogTypes {
  readonly recordTypes: readonly { readonly key: string; readonly name: string; readonly fields: readonly FieldInfo[] }[];
  readonly linkTypes: readonly { readonly key: string }[];
}

/** An example map for a record type, for the text area. */
export function exampleMap(type: string, field: string | undefined, linkType: string | undefined): string {
  return [
    '# Which CSV column holds what (header names; case and spaces do not count).',
    'id: ID',
    `type: ${type}`,
    'title: Title',
    'body: Description',
    '# key: Dossier key        # a row naming an existing record (SRS-12) updates it',
    ...(field === undefined ? [] : ['fields:', `  ${field}: ${field[0]?.toUpperCase() ?? ''}${field.slice(1)}`]),
    ...(linkType === undefined ? [] : ['links:', `  ${linkType}: Traces to`]),
    '',
  ].join('\n');
}

const KNOWN = new Set(['id', 'type', 'title', 'body', 'key', 'fields', 'links', 'sheet', 'delimiter']);

function columnOf(v: unknown): MappedColumn | undefined {
  if (typeof v === 'string' && v.trim() !== '') return { column: v.trim() };
  if (typeof v === 'object' && v !== null && typeof (v as { column?: unknown }).column === 'string') {
    const o = v as { column: string; separator?: unknown };
    return { column: o.column.trim(), ...(typeof o.separator === 'string' && o.separator !== '' ? { separator: o.separator } : {}) };
  }
  return undefined;
}

/**
 * Checks a column map (already parsed from YAML) against the catalog.
 * @returns the map, or the problems, each naming the map's key
 */
export function checkColumnMap(value: unknown, catalog: CatalogTypes): { map: ColumnMap } | { errors: string[] } {
  const errors: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { errors: ['the column map is a YAML mapping (id: …, type: …, title: …)'] };
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) errors.push(`${k}: not a key of a column map (id, type, title, body, key, fields, links)`);
  const str = (k: string, required: boolean): string | undefined => {
    const v = o[k];
    if (v === undefined || v === null) {
      if (required) errors.push(`${k}: required (the column's header)`);
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      errors.push(`${k}: a column header`);
      return undefined;
    }
    return v.trim();
  };
  const id = str('id', true);
  const title = str('title', true);
  const body = str('body', false);
  const key = str('key', false);
  let type: ColumnMap['type'] | undefined;
  const t = o['type'];
  if (typeof t === 'string') {
    const hit = catalog.recordTypes.find((r) => r.key.toLowerCase() === t.trim().toLowerCase() || r.name.toLowerCase() === t.trim().toLowerCase());
    if (hit === undefined) errors.push(`type: unknown record type '${t}'; known types: ${catalog.recordTypes.map((r) => r.key).join(', ')}`);
    else type = hit.key;
  } else if (columnOf(t) !== undefined && typeof t === 'object') type = { column: columnOf(t)!.column };
  else errors.push('type: a record type (SRS), or { column: Type }');
  const group = (k: 'fields' | 'links'): Record<string, MappedColumn> => {
    const v = o[k];
    const out: Record<string, MappedColumn> = {};
    if (v === undefined || v === null) return out;
    if (typeof v !== 'object' || Array.isArray(v)) {
      errors.push(`${k}: a mapping of name: column`);
      return out;
    }
    for (const [name, c] of Object.entries(v as Record<string, unknown>)) {
      const col = columnOf(c);
      if (col === undefined) errors.push(`${k}.${name}: a column header, or { column: …, separator: … }`);
      else out[name] = col;
    }
    return out;
  };
  const fields = group('fields');
  const links = group('links');
  const types = typeof type === 'string' ? catalog.recordTypes.filter((r) => r.key === type) : catalog.recordTypes;
  const known = new Set(types.flatMap((r) => r.fields.map((f) => f.name)));
  for (const f of Object.keys(fields)) if (!known.has(f)) errors.push(`fields.${f}: ${typeof type === 'string' ? `${type} records have no field '${f}'` : `no record type has a field '${f}'`}`);
  for (const l of Object.keys(links)) if (!catalog.linkTypes.some((x) => x.key === l)) errors.push(`links.${l}: unknown link type; link types: ${catalog.linkTypes.map((x) => x.key).join(', ')}`);
  if (errors.length > 0 || id === undefined || title === undefined || type === undefined) return { errors };
  return { map: { id, type, title, ...(body === undefined ? {} : { body }), ...(key === undefined ? {} : { key }), fields, links } };
}

/** A column's letter as spreadsheets name it: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const norm = (s: string): string => s.replace(/\s+/g, '').toLowerCase();

/**
 * Applies a column map to a sheet's rows: finds the header row (the first of the top 20 naming every mapped column),
 * then makes one record per non-empty row and one link per target named in a link column. Cells that do not fit a
 * field (a word in a number column, a value not in a choice) are problems naming the row and column; the server's
 * dry run checks the rest. Like the CLI, an update without a body column keeps the record's body.
 */
export function sheetToPlan(
  rows: readonly (readonly string[])[],
  map: ColumnMap,
  catalog: CatalogTypes,
  file: string,
  /** Existing records' bodies by key: a row that updates a record keeps its body when the map has no body column. */
  bodies: ReadonlyMap<string, string> = new Map(),
): { plan: ImportPlan; problems: ImportProblem[]; header: number } {
  const problems: ImportProblem[] = [];
  const wanted = [map.id, map.title, ...(typeof map.type === 'string' ? [] : [map.type.column]), ...(map.body === undefined ? [] : [map.body]), ...(map.key === undefined ? [] : [map.key]), ...Object.values(map.fields).map((c) => c.column), ...Object.values(map.links).map((c) => c.column)];
  let header = -1;
  let best = { row: 0, missing: wanted };
  for (let r = 0; r < Math.min(rows.length, 20); r++) {
    const present = new Set((rows[r] ?? []).map(norm));
    const missing = wanted.filter((w) => !present.has(norm(w)));
    if (missing.length === 0) {
      header = r;
      break;
    }
    if (missing.length < best.missing.length) best = { row: r, missing };
  }
  if (header < 0) {
    problems.push({ where: `${file} row ${best.row + 1}`, message: `no header row has the mapped column${best.missing.length === 1 ? '' : 's'} ${best.missing.map((m) => `'${m}'`).join(', ')}` });
    return { plan: { records: [], links: [], linkMode: 'add' }, problems, header };
  }
  const heads = (rows[header] ?? []).map(norm);
  const idx = (name: string): number => heads.indexOf(norm(name));
  const where = (r: number, c?: number): string => `${file} row ${r + 1}${c === undefined ? '' : ` column ${columnLetter(c)} (${rows[header]?.[c] ?? ''})`}`;
  const records: ImportRecord[] = [];
  const links: ImportLink[] = [];
  const seen = new Map<string, number>();
  for (let r = header + 1; r < rows.length; r++) {
    const row = rows[r] ?? [];
    const cell = (c: number): string => (row[c] ?? '').trim();
    if (row.every((c) => c.trim() === '')) continue;
    const id = cell(idx(map.id));
    if (id === '') {
      problems.push({ where: where(r, idx(map.id)), message: 'the row has no ID' });
      continue;
    }
    if (seen.has(id)) {
      problems.push({ where: where(r, idx(map.id)), message: `the ID ${id} is also in row ${(seen.get(id) ?? 0) + 1}` });
      continue;
    }
    seen.set(id, r);
    const typeText = typeof map.type === 'string' ? map.type : cell(idx(map.type.column));
    const type = catalog.recordTypes.find((t) => t.key.toLowerCase() === typeText.toLowerCase() || t.name.toLowerCase() === typeText.toLowerCase());
    if (type === undefined) {
      problems.push({ where: where(r, typeof map.type === 'string' ? undefined : idx(map.type.column)), message: `unknown record type '${typeText}'` });
      continue;
    }
    const fields: Record<string, unknown> = {};
    let bad = false;
    for (const [name, col] of Object.entries(map.fields)) {
      const info = type.fields.find((f) => f.name === name);
      const c = idx(col.column);
      const text = cell(c);
      if (info === undefined || text === '') continue;
      const v = info.kind === 'list' && col.separator !== undefined ? text.split(col.separator).map((s) => s.trim()).filter((s) => s !== '') : cellValue(text, info);
      const err = fieldProblem(info, v, text);
      if (err !== undefined) {
        problems.push({ where: where(r, c), message: err });
        bad = true;
      } else fields[name] = v;
    }
    if (type.fields.some((f) => f.name === 'externalId') && fields['externalId'] === undefined) fields['externalId'] = id;
    if (bad) continue;
    const key = map.key === undefined ? '' : cell(idx(map.key)).toUpperCase();
    records.push({ ref: id, ...(key === '' ? {} : { key }), type: type.key, title: cell(idx(map.title)), body: map.body === undefined ? (bodies.get(key) ?? '') : (row[idx(map.body)] ?? ''), fields, where: where(r) });
    for (const [linkType, col] of Object.entries(map.links)) {
      const c = idx(col.column);
      const targets = cell(c)
        .split(/\r?\n/)
        .flatMap((line) => line.split(col.separator ?? ','))
        .map((s) => s.trim())
        .filter((s) => s !== '');
      for (const to of targets) links.push({ from: id, type: linkType, to, where: where(r, c) });
    }
  }
  return { plan: { records, links, linkMode: 'add' }, problems, header: header + 1 };
}

/** What is wrong with a converted cell, in the words the CLI uses, or undefined. */
function fieldProblem(f: FieldInfo, v: unknown, raw: string): string | undefined {
  if ((f.kind === 'number' || f.kind === 'integer') && (typeof v !== 'number' || (f.kind === 'integer' && !Number.isInteger(v)))) return `${f.name} is a ${f.kind === 'integer' ? 'whole number' : 'number'}, not '${raw}'`;
  if (f.kind === 'boolean' && typeof v !== 'boolean') return `${f.name} is true or false (yes or no), not '${raw}'`;
  if (f.kind === 'choice' && f.values !== undefined && !f.values.includes(String(v))) return `${f.name} is one of ${f.values.join(', ')}, not '${raw}'`;
  if (f.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return `${f.name} is a date written YYYY-MM-DD, not '${raw}'`;
  return undefined;
}

import { z } from 'zod';
import type { Catalog } from '../core/catalog/catalog.js';
import { closestName, describeFields, type FieldInfo, type FieldKind } from '../core/catalog/field-input.js';
import type { RecordTypeDef } from '../core/catalog/record-types.js';
import { invalidInput } from '../core/errors.js';
import type { ImportLink, ImportPlan, ImportProblem, ImportRecord } from '../core/interchange/plan.js';
import { recordTitle, storableText } from '../core/validation.js';
import { cellWhere, columnLetter, rowWhere, type SheetCell, type SheetTable } from './sheet-table.js';
import { parseYamlAs } from './yaml-file.js';

/**
 * The column mapping of a spreadsheet import (`dossier import csv|xlsx FILE --map MAP.yaml`): which column holds
 * each row's ID, type, title, body, fields and links. Read from YAML, checked against the catalog (errors name the
 * map's line and column), then applied to a sheet to make an import plan, collecting every problem with its cell.
 */

const ColumnNameSchema = z.string().trim().min(1).max(200);

/** A column whose cell holds several values. */
const SeparatedColumnSchema = z.strictObject({
  column: ColumnNameSchema,
  /** What separates the values in a cell; line breaks always do. */
  separator: z.string().min(1).max(10).optional(),
});

export const ColumnMapSchema = z.strictObject({
  /** XLSX: the worksheet to read (default: the first; `--sheet` overrides). */
  sheet: z.string().min(1).max(200).optional(),
  /** CSV: the delimiter (default: found from the header row). */
  delimiter: z.enum([',', ';', 'tab']).optional(),
  /** The column holding each row's own ID: kept as the record's `externalId`, and what link cells name. */
  id: ColumnNameSchema,
  /** A record type for every row (`SRS`), or the column holding each row's type (its key or its name). */
  type: z.union([z.string().trim().min(1).max(40), z.strictObject({ column: ColumnNameSchema })]),
  title: ColumnNameSchema,
  /** The column holding the body (Markdown); for a row that updates a record, the body is kept when absent. */
  body: ColumnNameSchema.optional(),
  /** The column holding an existing record's key (`SRS-12`): a row that names one updates that record. */
  key: ColumnNameSchema.optional(),
  /** Field name → column; a list field may say what separates its items. */
  fields: z.record(z.string(), z.union([ColumnNameSchema, SeparatedColumnSchema])).default({}),
  /** Link type → column of the targets: IDs of rows in the sheet or keys of existing records (`SRS-12`). */
  links: z.record(z.string(), z.union([ColumnNameSchema, SeparatedColumnSchema])).default({}),
});
export type ColumnMap = z.infer<typeof ColumnMapSchema>;

/** The record type of a row: its key, or its name (`Software requirement`), in any case. */
function findType(catalog: Catalog, text: string): RecordTypeDef | undefined {
  const exact = catalog.recordTypes.get(text.trim());
  if (exact !== undefined) return exact;
  const t = text.trim().toLowerCase();
  return [...catalog.recordTypes.values()].find((d) => d.key.toLowerCase() === t || d.name.toLowerCase() === t);
}

/**
 * Reads a column mapping from YAML and checks it against the catalog: a fixed type, every link type, and each
 * field (on the fixed type, or on some type when the type comes from a column).
 * @param file - the map's name, for messages
 * @throws AppError INVALID_INPUT naming the map's file, line and column
 */
export function readColumnMap(text: string, file: string, catalog: Catalog): ColumnMap {
  const { value, fail } = parseYamlAs(text, file, ColumnMapSchema);
  const fixed = typeof value.type === 'string' ? findType(catalog, value.type) : undefined;
  if (typeof value.type === 'string' && fixed === undefined) {
    fail(['type'], `unknown record type '${value.type}'; known types: ${[...catalog.recordTypes.keys()].join(', ')}`);
  }
  for (const name of Object.keys(value.links)) {
    if (!catalog.linkTypes.has(name)) {
      const guess = closestName(name, [...catalog.linkTypes.keys()]);
      fail(['links', name], `unknown link type '${name}'${guess === undefined ? '' : ` (did you mean ${guess}?)`}; link types: ${[...catalog.linkTypes.keys()].join(', ')}`);
    }
  }
  const types = fixed === undefined ? [...catalog.recordTypes.values()] : [fixed];
  const known = new Set(types.flatMap((t) => describeFields(t).map((f) => f.name)));
  for (const name of Object.keys(value.fields)) {
    if (!known.has(name)) {
      const guess = closestName(name, [...known]);
      fail(
        ['fields', name],
        `${fixed === undefined ? 'no record type has' : `${fixed.key} records have no`} field '${name}'${guess === undefined ? '' : ` (did you mean ${guess}?)`}`,
      );
    }
  }
  return { ...value, ...(fixed === undefined ? {} : { type: fixed.key }) };
}

/** A header as compared: case and spaces do not count. */
const norm = (s: string): string => s.replace(/\s+/g, '').toLowerCase();

/** One mapped column: what the map calls it, where it says so, and (once found) its index. */
interface Wanted {
  readonly name: string;
  readonly role: string;
}

function wantedColumns(map: ColumnMap): Wanted[] {
  const out: Wanted[] = [
    { name: map.id, role: 'id' },
    { name: map.title, role: 'title' },
  ];
  if (typeof map.type !== 'string') out.push({ name: map.type.column, role: 'type.column' });
  if (map.body !== undefined) out.push({ name: map.body, role: 'body' });
  if (map.key !== undefined) out.push({ name: map.key, role: 'key' });
  for (const [f, c] of Object.entries(map.fields)) out.push({ name: typeof c === 'string' ? c : c.column, role: `fields.${f}` });
  for (const [l, c] of Object.entries(map.links)) out.push({ name: typeof c === 'string' ? c : c.column, role: `links.${l}` });
  return out;
}

/** How many rows from the top may come before the header row (a title, a note). */
const HEADER_SEARCH = 20;

function rowTexts(row: readonly (SheetCell | undefined)[]): string[] {
  return row.map((c) => c?.text.trim() ?? '');
}

/**
 * Finds the header row: the first of the top rows holding every mapped column's name (case and spaces do not
 * count), and each column's index.
 * @throws AppError INVALID_INPUT naming the missing columns and the headers found, or a header given twice
 */
function findHeader(table: SheetTable, wanted: readonly Wanted[]): { row: number; index: Map<string, number>; headers: string[] } {
  let best: { row: number; hits: number } | undefined;
  for (let r = 0; r < Math.min(table.rows.length, HEADER_SEARCH); r++) {
    const texts = rowTexts(table.rows[r] ?? []);
    if (texts.every((t) => t === '')) continue;
    const present = new Set(texts.map(norm));
    const hits = wanted.filter((w) => present.has(norm(w.name))).length;
    if (best === undefined || hits > best.hits) best = { row: r, hits };
    if (hits < wanted.length) continue;
    const index = new Map<string, number>();
    for (const w of wanted) {
      const at = texts.flatMap((t, i) => (norm(t) === norm(w.name) ? [i] : []));
      if (at.length > 1) {
        throw invalidInput(
          `${rowWhere(table, r + 1)}: the header '${w.name}' is in columns ${at.map(columnLetter).join(' and ')}; rename one so the mapping can tell them apart`,
          { file: table.file, line: r + 1 },
        );
      }
      index.set(norm(w.name), at[0] ?? 0);
    }
    return { row: r + 1, index, headers: texts };
  }
  if (best === undefined) throw invalidInput(`${table.file}${table.sheet === undefined ? '' : ` ${table.sheet}`}: the sheet is empty`, { file: table.file });
  const texts = rowTexts(table.rows[best.row] ?? []);
  const present = new Set(texts.map(norm));
  const missing = wanted.filter((w) => !present.has(norm(w.name)));
  throw invalidInput(
    `${table.file}${table.sheet === undefined ? '' : ` ${table.sheet}`}: no header row has ${missing.length === 1 ? 'the mapped column' : 'the mapped columns'} ` +
      `${missing.map((m) => `'${m.name}' (${m.role})`).join(', ')}; the headers found in row ${best.row + 1}: ${texts.filter((t) => t !== '').join(', ')}`,
    { file: table.file, line: best.row + 1, field: missing[0]?.role },
  );
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** One value of a declared kind, from a cell's text; the message says what the field takes. */
function scalar(name: string, kind: FieldKind, raw: string, values: readonly string[] | undefined): { value: unknown } | { error: string } {
  switch (kind) {
    case 'integer':
    case 'number':
      if (!NUMBER.test(raw) || (kind === 'integer' && !Number.isInteger(Number(raw)))) {
        return { error: `${name} is a ${kind === 'integer' ? 'whole number' : 'number'}, not '${raw}'` };
      }
      return { value: Number(raw) };
    case 'boolean': {
      const b = raw.toLowerCase();
      if (TRUE.has(b)) return { value: true };
      if (FALSE.has(b)) return { value: false };
      return { error: `${name} is true or false (yes or no), not '${raw}'` };
    }
    case 'choice': {
      if (values === undefined || values.includes(raw)) return { value: raw };
      const loose = (s: string): string => s.trim().toLowerCase().replace(/[\s-]+/g, '_');
      const hit = values.find((v) => loose(v) === loose(raw));
      if (hit !== undefined) return { value: hit };
      const guess = closestName(raw, values);
      return { error: `${name} is one of ${values.join(', ')}, not '${raw}'${guess === undefined ? '' : ` (did you mean ${guess}?)`}` };
    }
    case 'date':
      if (/^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) return { value: raw };
      return { error: `${name} is a date written YYYY-MM-DD, not '${raw}'` };
    case 'object':
    case 'list':
      try {
        return { value: JSON.parse(raw) as unknown };
      } catch {
        return { error: `${name} takes ${kind === 'object' ? 'an object' : 'a list'} written as JSON, and '${raw.slice(0, 60)}' is not valid JSON` };
      }
    case 'text':
      return { value: raw };
  }
}

/** Splits a cell of several values: by the separator and by line breaks; blanks are dropped. */
function splitValues(raw: string, separator: string | undefined): string[] {
  const parts = raw.split(/\r?\n/).flatMap((line) => (separator === undefined ? [line] : line.split(separator)));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * A field's value from a cell's text, in the field's declared type. A list of plain values takes one item per
 * separated value (or a JSON array).
 */
export function fieldValue(f: FieldInfo, raw: string, separator?: string): { value: unknown } | { error: string } {
  if (f.kind !== 'list' || f.itemKind === 'object' || raw.startsWith('[')) return scalar(f.name, f.kind, raw, f.values);
  const items: unknown[] = [];
  for (const part of splitValues(raw, separator ?? ';')) {
    const one = scalar(f.name, f.itemKind ?? 'text', part, f.values);
    if ('error' in one) return one;
    items.push(one.value);
  }
  return { value: items };
}

/** What an existing record holds, so a row that updates it keeps what the sheet does not map. */
export interface ExistingContent {
  readonly type: string;
  readonly body: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The plan made from a sheet, the problems found in its cells, and lines saying what mapped to what. */
export interface SheetPlan {
  readonly plan: ImportPlan;
  readonly problems: ImportProblem[];
  readonly mapping: string[];
}

/** A cell with nothing in it, not even a formula, a merge or an error. */
function isBlank(c: SheetCell | undefined): boolean {
  return c === undefined || (c.text.trim() === '' && c.formula === undefined && c.merged === undefined && c.error === undefined);
}

const KEY = /^(?:[A-Z][A-Z0-9]{1,15}\/)?[A-Z][A-Z0-9]*-[1-9]\d{0,9}$/;

/**
 * Makes an import plan from a sheet with a column mapping: one record per non-empty row below the header row, new
 * or (when the key column names one) updating an existing record, and `add`-mode links from the link columns.
 * Every cell problem is collected with its place: a merged or formula cell, an empty required cell, an unknown
 * type, a value that is not of its field's type, an ID given twice. A row with a problem is left out of the plan,
 * and so are links to it.
 * @param existing - the content of the records the key column names (see `keysInSheet`): a row that updates one keeps
 *   the fields and body the map does not give
 * @throws AppError INVALID_INPUT when no header row has every mapped column (listing the headers found)
 */
export function planFromSheet(
  table: SheetTable,
  map: ColumnMap,
  catalog: Catalog,
  existing: (key: string) => ExistingContent | undefined = () => undefined,
): SheetPlan {
  const wanted = wantedColumns(map);
  const header = findHeader(table, wanted);
  const col = (name: string): number => header.index.get(norm(name)) ?? 0;
  const headerText = (i: number): string => header.headers[i] ?? '';
  const problems: ImportProblem[] = [];
  const reportedMerges = new Set<string>();
  const records: ImportRecord[] = [];
  const links: (ImportLink & { where: string })[] = [];
  const badIds = new Set<string>();
  const idRow = new Map<string, number>();
  const dupIds = new Set<string>();
  const fixedType = typeof map.type === 'string' ? findType(catalog, map.type) : undefined;
  let dataRows = 0;
  const mappedColumns = [...new Set(wanted.map((w) => col(w.name)))];
  const titleSchema = recordTitle();
  const bodySchema = storableText().max(1_000_000);

  // The header row's own mapped cells must not be merged either (the column would be ambiguous).
  for (const w of wanted) {
    const c = table.rows[header.row - 1]?.[col(w.name)];
    if (c?.merged !== undefined && !reportedMerges.has(c.merged)) {
      reportedMerges.add(c.merged);
      problems.push({ where: cellWhere(table, header.row, col(w.name), w.name), message: `merged cells ${c.merged}: unmerge them so each column has its own header` });
    }
  }

  for (let r = header.row; r < table.rows.length; r++) {
    const row = table.rows[r] ?? [];
    const rowNo = r + 1;
    // A row whose mapped cells are all blank is skipped (a spacer, a note in another column).
    if (mappedColumns.every((i) => isBlank(row[i]))) continue;
    dataRows++;
    const before = problems.length;
    const at = (i: number): string => cellWhere(table, rowNo, i, headerText(i));
    /** A mapped cell's text, or undefined after recording why the cell cannot be read. */
    const read = (i: number): string | undefined => {
      const c = row[i];
      if (c === undefined) return '';
      if (c.merged !== undefined) {
        if (!reportedMerges.has(c.merged)) {
          reportedMerges.add(c.merged);
          problems.push({ where: at(i), message: `merged cells ${c.merged}: unmerge them and give each cell its own value` });
        }
        return undefined;
      }
      if (c.formula !== undefined) {
        problems.push({
          where: at(i),
          message: `a formula (=${c.formula.slice(0, 80)}): the value saved with it may be stale, as it is the one from the last time the workbook was calculated; replace formulas with their values (paste values) and import again`,
        });
        return undefined;
      }
      if (c.error !== undefined) {
        problems.push({ where: at(i), message: `the cell shows an error (${c.error})` });
        return undefined;
      }
      return c.text.trim();
    };
    const required = (i: number, what: string): string | undefined => {
      const t = read(i);
      if (t === '') problems.push({ where: at(i), message: `empty required cell: every row needs ${what}` });
      return t === '' ? undefined : t;
    };

    const id = required(col(map.id), 'an ID');
    if (id !== undefined) {
      const first = idRow.get(id);
      if (first !== undefined) {
        dupIds.add(id);
        problems.push({ where: at(col(map.id)), message: `duplicate ID ${id}: row ${first} has it too` });
      }
      else if (id.length > 300) problems.push({ where: at(col(map.id)), message: `an ID has at most 300 characters` });
      else idRow.set(id, rowNo);
    }

    let type = fixedType;
    if (typeof map.type !== 'string') {
      const i = col(map.type.column);
      const t = required(i, 'a record type');
      if (t !== undefined) {
        type = findType(catalog, t);
        if (type === undefined) {
          const names = [...catalog.recordTypes.keys()];
          const guess = closestName(t, names);
          problems.push({ where: at(i), message: `unknown record type '${t}'${guess === undefined ? '' : ` (did you mean ${guess}?)`}; known types: ${names.join(', ')}` });
        }
      }
    }

    const title = required(col(map.title), 'a title');
    if (title !== undefined) {
      const ok = titleSchema.safeParse(title);
      if (!ok.success) problems.push({ where: at(col(map.title)), message: `title: ${ok.error.issues[0]?.message ?? 'invalid'}` });
    }
    let body: string | undefined;
    if (map.body !== undefined) {
      body = read(col(map.body));
      if (body !== undefined && !bodySchema.safeParse(body).success) {
        problems.push({ where: at(col(map.body)), message: 'the body holds characters that cannot be stored (control characters) or is over 1,000,000 characters' });
      }
    }
    let key: string | undefined;
    if (map.key !== undefined) {
      const k = read(col(map.key));
      if (k !== undefined && k !== '') {
        if (!KEY.test(k.toUpperCase())) problems.push({ where: at(col(map.key)), message: `'${k}' is not a record key; write it like SRS-12, or leave the cell empty for a new record` });
        else key = k.toUpperCase();
      }
    }
    const old = key === undefined ? undefined : existing(key);

    const fields: Record<string, unknown> = {};
    if (type !== undefined) {
      const infos = describeFields(type);
      for (const [name, c] of Object.entries(map.fields)) {
        const i = col(typeof c === 'string' ? c : c.column);
        const raw = read(i);
        if (raw === undefined) continue;
        const f = infos.find((x) => x.name === name);
        if (f === undefined) {
          if (raw !== '') problems.push({ where: at(i), message: `${type.key} records have no field '${name}'; leave the cell empty on ${type.key} rows` });
          continue;
        }
        if (raw === '') {
          if (f.required) problems.push({ where: at(i), message: `empty required cell: ${type.key} records need ${name}` });
          continue;
        }
        const v = fieldValue(f, raw, typeof c === 'string' ? undefined : c.separator);
        if ('error' in v) problems.push({ where: at(i), message: v.error });
        else fields[name] = v.value;
      }
      if (old !== undefined && old.type === type.key) {
        for (const [name, v] of Object.entries(old.fields)) if (!(name in map.fields) && name !== 'externalId') fields[name] = v;
      }
      for (const f of infos) {
        if (f.required && !(f.name in map.fields) && !(f.name in fields)) {
          problems.push({ where: rowWhere(table, rowNo), message: `${type.key} records need ${f.name}, and the map gives no column for it (fields.${f.name})` });
        }
      }
      if (!('externalId' in map.fields) && id !== undefined && infos.some((f) => f.name === 'externalId')) fields['externalId'] = id;
    }

    for (const [linkType, c] of Object.entries(map.links)) {
      const i = col(typeof c === 'string' ? c : c.column);
      const raw = read(i);
      if (raw === undefined || raw === '' || id === undefined) continue;
      for (const to of splitValues(raw, typeof c === 'string' ? ',' : (c.separator ?? ','))) {
        if (to.length > 300) problems.push({ where: at(i), message: `a link target has at most 300 characters` });
        else links.push({ from: id, type: linkType, to, where: at(i) });
      }
    }

    if (problems.length > before || id === undefined || type === undefined || title === undefined) {
      if (id !== undefined) badIds.add(id);
      continue;
    }
    records.push({
      ref: id,
      ...(key === undefined ? {} : { key }),
      type: type.key,
      title,
      body: body ?? old?.body ?? '',
      fields,
      where: rowWhere(table, rowNo),
    });
  }

  // A duplicate ID's first row is also left out: which of the two rows is meant cannot be told.
  for (const d of dupIds) badIds.add(d);
  const kept = records.filter((x) => !badIds.has(x.ref));
  const keptLinks = links.filter((l) => !badIds.has(l.from) && !badIds.has(l.to));

  const place = `${table.file}${table.sheet === undefined ? '' : ` ${table.sheet}`}`;
  const colName = (name: string): string => `${headerText(col(name))} (column ${columnLetter(col(name))})`;
  const mapping = [
    `${place}: header row ${header.row}, ${dataRows} data row${dataRows === 1 ? '' : 's'}`,
    `${colName(map.id)} → the row's ID (kept as externalId; link cells name it)`,
    typeof map.type === 'string' ? `every row → ${map.type} records` : `${colName(map.type.column)} → record type`,
    `${colName(map.title)} → title`,
    ...(map.body === undefined ? [] : [`${colName(map.body)} → body`]),
    ...(map.key === undefined ? [] : [`${colName(map.key)} → the existing record a row updates`]),
    ...Object.entries(map.fields).map(([f, c]) => `${colName(typeof c === 'string' ? c : c.column)} → field ${f}`),
    ...Object.entries(map.links).map(([l, c]) => {
      const sep = typeof c === 'string' ? ',' : (c.separator ?? ',');
      return `${colName(typeof c === 'string' ? c : c.column)} → ${l} links (separated by '${sep}' or line breaks)`;
    }),
  ];
  return { plan: { records: kept, links: keptLinks, linkMode: 'add' }, problems, mapping };
}

/**
 * The keys a sheet's key column names, read before the plan is made (so rows that update records can keep what
 * the sheet does not map). Cells that are not keys are skipped here and reported by `planFromSheet`.
 */
export function keysInSheet(table: SheetTable, map: ColumnMap): string[] {
  if (map.key === undefined) return [];
  const header = findHeader(table, wantedColumns(map));
  const i = header.index.get(norm(map.key)) ?? 0;
  const out = new Set<string>();
  for (let r = header.row; r < table.rows.length; r++) {
    const k = table.rows[r]?.[i]?.text.trim().toUpperCase() ?? '';
    if (KEY.test(k)) out.add(k);
  }
  return [...out];
}

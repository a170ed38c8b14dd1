import type { ImportLink, ImportPlan, ImportRecord, ImportReport } from '../../../../src/core/interchange/plan.js';

/**
 * The grid editor's model, without React: columns from a record type's fields, rows from the product's records,
 * cell text ↔ field values, pasting a block, the import plan of the changed rows, and the server's problems put
 * back on the row and cell they name.
 */

export type FieldKind = 'text' | 'date' | 'number' | 'integer' | 'boolean' | 'choice' | 'list' | 'object';

/** A field as `catalog.show` describes it. */
export interface FieldInfo {
  readonly name: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly values?: readonly string[] | undefined;
  readonly itemKind?: FieldKind | undefined;
}

export interface GridColumn {
  /** `key`, `title`, `body`, `links`, or `f:<field>`. */
  readonly id: string;
  readonly label: string;
  readonly kind: 'key' | 'title' | 'body' | 'field' | 'links';
  readonly field?: FieldInfo;
  readonly width: number;
  readonly editable: boolean;
}

export interface GridRow {
  /** Stable identity: the record key, or `new-<n>` for a row not saved yet. */
  readonly id: string;
  readonly key?: string;
  readonly revision?: number;
  readonly status?: string;
  /** Cell text by column id. */
  readonly cells: Readonly<Record<string, string>>;
  /** What the store holds (undefined for a new row). */
  readonly original?: Readonly<Record<string, string>>;
}

/** A record as `record.export` gives it. */
export interface SourceRecord {
  readonly key: string;
  readonly type: string;
  readonly revision: number;
  readonly status: string;
  readonly title: string;
  readonly body: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface SourceLink {
  readonly type: string;
  readonly from: string;
  readonly to: string;
}

/** The grid's columns for a record type's fields: key, title, body, each field, then the links of `linkType`. */
export function gridColumns(fields: readonly FieldInfo[], linkType: string | undefined): GridColumn[] {
  const cols: GridColumn[] = [
    { id: 'key', label: 'Key', kind: 'key', width: 96, editable: false },
    { id: 'title', label: 'Title', kind: 'title', width: 280, editable: true },
    { id: 'body', label: 'Body', kind: 'body', width: 320, editable: true },
  ];
  for (const f of fields) cols.push({ id: `f:${f.name}`, label: f.name, kind: 'field', field: f, width: f.kind === 'text' || f.kind === 'list' ? 200 : 140, editable: true });
  if (linkType !== undefined) cols.push({ id: 'links', label: `${linkType} →`, kind: 'links', width: 180, editable: true });
  return cols;
}

/** A field's value as cell text: lists joined with `, `, objects as JSON, absent as empty. */
export function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

function scalarValue(text: string, kind: FieldKind): unknown {
  switch (kind) {
    case 'number':
    case 'integer':
      return NUMBER.test(text) ? Number(text) : text;
    case 'boolean': {
      const b = text.toLowerCase();
      return TRUE.has(b) ? true : FALSE.has(b) ? false : text;
    }
    case 'object':
    case 'list':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    case 'choice':
    case 'date':
    case 'text':
      return text;
  }
}

/**
 * A cell's text as the field's value: numbers and yes/no converted, lists split at commas, semicolons and line
 * breaks, empty as absent. Text that does not convert is sent as it is, so the server's check names the problem.
 */
export function cellValue(text: string, field: FieldInfo): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  if (field.kind === 'list') {
    if (t.startsWith('[')) return scalarValue(t, 'list');
    return t
      .split(/[,;\n]/)
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => scalarValue(s, field.itemKind ?? 'text'));
  }
  return scalarValue(t, field.kind);
}

/** The record keys a links cell names (`SYS-3, SYS-4`), upper-cased, without repeats. */
export function linkTargets(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s !== ''),
    ),
  ];
}

/** The rows of a record type's records (in the order given), each with its links of `linkType` as a cell. */
export function rowsFromRecords(records: readonly SourceRecord[], links: readonly SourceLink[], type: string, columns: readonly GridColumn[], linkType: string | undefined): GridRow[] {
  const targets = new Map<string, string[]>();
  if (linkType !== undefined) {
    for (const l of links) {
      if (l.type !== linkType) continue;
      const list = targets.get(l.from) ?? [];
      list.push(l.to);
      targets.set(l.from, list);
    }
  }
  return records
    .filter((r) => r.type === type)
    .map((r) => {
      const cells: Record<string, string> = {};
      for (const c of columns) {
        if (c.kind === 'key') cells[c.id] = r.key;
        else if (c.kind === 'title') cells[c.id] = r.title;
        else if (c.kind === 'body') cells[c.id] = r.body;
        else if (c.kind === 'links') cells[c.id] = (targets.get(r.key) ?? []).join(', ');
        else if (c.field !== undefined) cells[c.id] = fieldText(r.fields[c.field.name]);
      }
      return { id: r.key, key: r.key, revision: r.revision, status: r.status, cells, original: cells };
    });
}

/** `count` empty new rows, numbered from `from`. */
export function newRows(from: number, count: number): GridRow[] {
  return Array.from({ length: count }, (_, k) => ({ id: `new-${from + k}`, cells: {} }));
}

/** Whether a cell differs from what the store holds (any non-empty cell of a new row). */
export function cellChanged(row: GridRow, columnId: string): boolean {
  const now = row.cells[columnId] ?? '';
  return row.original === undefined ? now.trim() !== '' : now !== (row.original[columnId] ?? '');
}

/** Whether a row has anything to save. */
export function rowChanged(row: GridRow, columns: readonly GridColumn[]): boolean {
  return columns.some((c) => c.editable && cellChanged(row, c.id));
}

/** One row with one cell set. */
export function setCell(row: GridRow, columnId: string, text: string): GridRow {
  return { ...row, cells: { ...row.cells, [columnId]: text } };
}

/**
 * Pastes a block of cells (rows of text) with its top-left corner at (`row`, `col`): cells past the last column are
 * dropped, read-only columns are skipped over (their text is not written), and new rows are added below when the
 * block is longer than the grid.
 * @returns the rows and the block's extent, for selecting it
 */
export function pasteBlock(
  rows: readonly GridRow[],
  columns: readonly GridColumn[],
  at: { readonly row: number; readonly col: number },
  block: readonly (readonly string[])[],
  nextNew: number,
): { rows: GridRow[]; added: number; lastRow: number } {
  const out = [...rows];
  let added = 0;
  block.forEach((cells, i) => {
    const r = at.row + i;
    while (out.length <= r) {
      out.push(newRows(nextNew + added, 1)[0]!);
      added++;
    }
    let row = out[r]!;
    cells.forEach((text, j) => {
      const col = columns[at.col + j];
      if (col === undefined || !col.editable) return;
      row = setCell(row, col.id, text);
    });
    out[r] = row;
  });
  return { rows: out, added, lastRow: at.row + block.length - 1 };
}

/** Where an item of the grid's plan came from: `row 12`, `row 12 column links`. */
export function rowWhere(index: number, column?: string): string {
  return column === undefined ? `row ${index + 1}` : `row ${index + 1} column ${column}`;
}

/**
 * The import plan of the changed rows: each existing record with its key and the revision it was read at (so a
 * record changed by someone else since is a conflict), each new row as a new record, and the links its links cell
 * names (added; links already there are kept, none removed).
 */
export function planOf(rows: readonly GridRow[], columns: readonly GridColumn[], type: string, linkType: string | undefined): { plan: ImportPlan; refs: Map<string, number> } {
  const records: ImportRecord[] = [];
  const links: ImportLink[] = [];
  const refs = new Map<string, number>();
  rows.forEach((row, index) => {
    if (!rowChanged(row, columns)) return;
    const ref = row.key ?? row.id;
    refs.set(ref, index);
    const fields: Record<string, unknown> = {};
    for (const c of columns) {
      if (c.kind !== 'field' || c.field === undefined) continue;
      const v = cellValue(row.cells[c.id] ?? '', c.field);
      if (v !== undefined) fields[c.field.name] = v;
    }
    records.push({
      ref,
      ...(row.key === undefined ? {} : { key: row.key }),
      ...(row.revision === undefined ? {} : { baseRevision: row.revision }),
      type,
      title: (row.cells['title'] ?? '').trim(),
      body: row.cells['body'] ?? '',
      fields,
      where: rowWhere(index),
    });
    if (linkType !== undefined) {
      const before = new Set(linkTargets(row.original?.['links'] ?? ''));
      for (const to of linkTargets(row.cells['links'] ?? '')) {
        if (before.has(to)) continue;
        links.push({ from: ref, type: linkType, to, where: rowWhere(index, 'links') });
      }
    }
  });
  return { plan: { records, links, linkMode: 'add' }, refs };
}

/** A problem put back in the grid: its row (index), its column when one is named or recognised, the message. */
export interface CellProblem {
  readonly row: number;
  readonly column?: string;
  readonly message: string;
}

const WHERE = /^row (\d+)(?: column (\S+))?/;

/**
 * The report's problems and conflicts on the rows and cells they name: `row N column C` names both; for a record's
 * problem the column is the field (or title or body) its message names first.
 */
export function problemsOf(report: Pick<ImportReport, 'problems' | 'conflicts'>, columns: readonly GridColumn[]): { cells: CellProblem[]; stale: Map<number, string> } {
  const cells: CellProblem[] = [];
  const fieldCols = columns.filter((c) => c.kind === 'field' || c.kind === 'title' || c.kind === 'body');
  for (const p of report.problems) {
    const m = WHERE.exec(p.where);
    if (m === null) continue;
    const row = Number(m[1]) - 1;
    let column = m[2];
    if (column === undefined) {
      // The first column whose name the message mentions as a word.
      let best: { id: string; at: number } | undefined;
      for (const c of fieldCols) {
        const name = c.field?.name ?? c.kind;
        const at = new RegExp(`(^|[^A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`).exec(p.message)?.index;
        if (at !== undefined && (best === undefined || at < best.at)) best = { id: c.id, at };
      }
      column = best?.id;
    }
    cells.push({ row, ...(column === undefined ? {} : { column }), message: p.message });
  }
  const stale = new Map<number, string>();
  for (const c of report.conflicts) {
    const m = WHERE.exec(c.where);
    if (m === null) continue;
    stale.set(Number(m[1]) - 1, `${c.key} was changed by ${c.changedBy} at ${c.changedAt} (revision ${c.latestRevision}; this row was read at revision ${c.baseRevision}): reload to see it`);
  }
  return { cells, stale };
}

/** The upstream link type a record type's rows name in the links column: the first it starts whose far end is upstream. */
export function mainUpstreamLink(type: string, linkTypes: readonly { key: string; from: readonly string[]; to: readonly string[]; upstream: 'from' | 'to' }[]): string | undefined {
  const candidates = linkTypes.filter((l) => l.upstream === 'to' && l.from.includes(type));
  return (candidates.find((l) => l.to.some((t) => t !== type)) ?? candidates[0])?.key;
}

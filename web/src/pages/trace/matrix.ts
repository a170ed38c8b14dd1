import { toCsv } from '../../components/csv';
/**
 * The trace matrix page's pure logic: its URL parameters, the gap filter, and the CSV export. No DOM, no React.
 */

/** A matrix row as the API serves it (`trace.matrix`), reduced to what the page and the export read. */
export interface MatrixRowData {
  readonly key: string;
  readonly title: string;
  readonly status: string;
  readonly covered: boolean;
  readonly targets: readonly { readonly key: string; readonly title: string; readonly path: readonly { readonly key: string; readonly linkType: string }[] }[];
}

/** What the page shows, as the URL holds it: `?rows=UN&cols=VAL&gaps=1`. */
export interface MatrixParams {
  readonly rows: string;
  readonly cols: string;
  readonly gapsOnly: boolean;
}

export const DEFAULT_ROWS = 'UN';
export const DEFAULT_COLS = 'VAL';

const TYPE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** Reads the page's parameters from the URL; a missing or malformed type falls back to the default. */
export function readMatrixParams(search: URLSearchParams): MatrixParams {
  const type = (name: string, fallback: string): string => {
    const v = search.get(name)?.trim() ?? '';
    return TYPE.test(v) ? v.toUpperCase() : fallback;
  };
  return { rows: type('rows', DEFAULT_ROWS), cols: type('cols', DEFAULT_COLS), gapsOnly: search.get('gaps') === '1' };
}

/** The URL parameters for `p`, keeping any others the URL already has. */
export function writeMatrixParams(search: URLSearchParams, p: MatrixParams): URLSearchParams {
  const next = new URLSearchParams(search);
  next.set('rows', p.rows);
  next.set('cols', p.cols);
  if (p.gapsOnly) next.set('gaps', '1');
  else next.delete('gaps');
  return next;
}

/** The rows to show: all, or only the gaps (rows no chain covers). One pass, no copy when nothing is filtered. */
export function visibleRows<T extends Pick<MatrixRowData, 'covered'>>(rows: readonly T[], gapsOnly: boolean): readonly T[] {
  return gapsOnly ? rows.filter((r) => !r.covered) : rows;
}

/** A chain as text: `UN-1 → SYS-2 (derives from) → VAL-1 (validates)`. */
export function pathText(from: string, path: MatrixRowData['targets'][number]['path']): string {
  return [from, ...path.map((s) => `${s.key} (${s.linkType})`)].join(' → ');
}

export { csvCell, toCsv } from '../../components/csv';

/**
 * The matrix as shown, as CSV: one line per row with its coverage (`covered` / `GAP`), the target records and the
 * chain to each. Built in the browser from the rows on screen (the gap filter applies).
 */
export function matrixCsv(from: string, to: string, rows: readonly MatrixRowData[]): string {
  const out: string[][] = [[from, 'Title', 'Status', 'Coverage', `${to} records`, 'Trace paths']];
  for (const r of rows) {
    out.push([
      r.key,
      r.title,
      r.status,
      r.covered ? 'covered' : 'GAP',
      r.targets.map((t) => t.key).join('; '),
      r.targets.map((t) => pathText(r.key, t.path)).join('; '),
    ]);
  }
  return toCsv(out);
}

/** Coverage as a person reads it: `87.5 %` (one decimal, none for whole numbers). */
export function percent(share: number): string {
  const p = Math.round(share * 1000) / 10;
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)} %`;
}

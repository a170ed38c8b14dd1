import { toCsv } from '../../components/csv';
/** Pure helpers of the risk pages: zones, cells, control state, CSV. No DOM, no React. */

export type Zone = 'acceptable' | 'reduce' | 'unacceptable';
export type Stage = 'initial' | 'residual';

/** The parts of a risk row these helpers read (the `risk.table` row's shape). */
export interface RiskRowLike {
  readonly key: string;
  readonly title: string;
  readonly status: string;
  readonly hazards: readonly string[];
  readonly sequences: readonly string[];
  readonly situations: readonly string[];
  readonly harms: readonly string[];
  readonly initial: { readonly severity: string; readonly probability: string; readonly zone: string } | null;
  readonly residual: { readonly severity: string; readonly probability: string; readonly zone: string } | null;
  readonly controls: readonly { readonly key: string; readonly title: string; readonly verification: string; readonly implementedBy: readonly string[] }[];
}

export const ZONE_LABEL: Record<Zone, string> = { acceptable: 'Acceptable', reduce: 'Reduce as far as possible', unacceptable: 'Unacceptable' };
export const ZONE_SHORT: Record<Zone, string> = { acceptable: 'Acceptable', reduce: 'Reduce', unacceptable: 'Unacceptable' };

export function isZone(s: string | null | undefined): s is Zone {
  return s === 'acceptable' || s === 'reduce' || s === 'unacceptable';
}

/** A selected matrix cell as it lives in the URL (`initial:S3:P4`). */
export interface Cell {
  readonly stage: Stage;
  readonly severity: string;
  readonly probability: string;
}

export function cellParam(c: Cell): string {
  return `${c.stage}:${c.severity}:${c.probability}`;
}

/** Reads a cell from the URL; undefined when absent or malformed. */
export function parseCell(s: string | null): Cell | undefined {
  if (s === null) return undefined;
  const [stage, severity, probability, extra] = s.split(':');
  if ((stage !== 'initial' && stage !== 'residual') || severity === undefined || severity === '' || probability === undefined || probability === '' || extra !== undefined) return undefined;
  return { stage, severity, probability };
}

/** The risks whose estimate at `cell.stage` falls in the cell. */
export function risksInCell<R extends RiskRowLike>(rows: readonly R[], cell: Cell): R[] {
  return rows.filter((r) => {
    const e = r[cell.stage];
    return e !== null && e.severity === cell.severity && e.probability === cell.probability;
  });
}

/**
 * Whether a risk is controlled: it has at least one control and every control's verification passed. A risk with
 * no control is controlled only when its initial estimate is already acceptable (nothing to reduce).
 */
export function isControlled(r: RiskRowLike): boolean {
  if (r.controls.length === 0) return r.initial?.zone === 'acceptable';
  return r.controls.every((c) => c.verification === 'passed');
}

/** Rows whose zone at `stage` is `zone` (all rows when zone is undefined). */
export function filterByZone<R extends RiskRowLike>(rows: readonly R[], zone: Zone | undefined, stage: Stage): R[] {
  if (zone === undefined) return [...rows];
  return rows.filter((r) => r[stage]?.zone === zone);
}

export { csvField } from '../../components/csv';

/** The FMEA table as CSV (RFC 4180, CRLF), one row per risk, titles beside keys where known. */
export function riskCsv(rows: readonly RiskRowLike[], titles: Readonly<Record<string, string>> = {}): string {
  const named = (keys: readonly string[]): string => keys.map((k) => (titles[k] === undefined ? k : `${k} ${titles[k]}`)).join('; ');
  const head = ['Risk', 'Title', 'Status', 'Hazard', 'Sequence of events', 'Hazardous situation', 'Harm', 'Initial severity', 'Initial probability', 'Initial zone', 'Controls', 'Verification', 'Residual severity', 'Residual probability', 'Residual zone'];
  const lines: string[][] = [head];
  for (const r of rows) {
    lines.push(
      [
        r.key,
        r.title,
        r.status,
        named(r.hazards),
        named(r.sequences),
        named(r.situations),
        named(r.harms),
        r.initial?.severity ?? '',
        r.initial?.probability ?? '',
        r.initial?.zone ?? '',
        r.controls.map((c) => `${c.key} ${c.title}`).join('; '),
        r.controls.map((c) => `${c.key}: ${c.verification}`).join('; '),
        r.residual?.severity ?? '',
        r.residual?.probability ?? '',
        r.residual?.zone ?? '',
      ],
    );
  }
  return toCsv(lines);
}

/** The verification state of a risk's controls in one word. */
export function verificationOf(r: RiskRowLike): 'passed' | 'failed' | 'incomplete' | 'no controls' {
  if (r.controls.length === 0) return 'no controls';
  if (r.controls.some((c) => c.verification === 'failed')) return 'failed';
  return r.controls.every((c) => c.verification === 'passed') ? 'passed' : 'incomplete';
}

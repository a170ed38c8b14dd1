import type { RecordStatus } from '../catalog/lifecycle.js';
import { isClosed, processOf, processState } from './processes.js';

/**
 * A quality record as the QMS views read it: its head (status, dates) and its latest revision's title and fields.
 * The views are pure functions over these rows and the active links between them.
 */
export interface QmsRecordRow {
  readonly id: number;
  readonly type: string;
  /** `CAPA-3` */
  readonly key: string;
  readonly title: string;
  readonly status: RecordStatus;
  readonly fields: Readonly<Record<string, unknown>>;
  /** ISO date-times of the record head. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly approvedRevision: number | null;
}

/** An active link between two records, by internal IDs. */
export interface QmsLinkRow {
  readonly type: string;
  readonly fromId: number;
  readonly toId: number;
}

/** A field as text, or undefined. */
export function textField(r: QmsRecordRow, name: string): string | undefined {
  const v = r.fields[name];
  return typeof v === 'string' ? v : undefined;
}

/** Where a process record stands (`investigation`, `closed`, `cancelled`); its status for other types. */
export function stateOfRecord(r: QmsRecordRow): string {
  const def = processOf(r.type);
  return def === undefined ? r.status : processState(def, r.fields, r.status);
}

/** True when a process record is finished (closed by its signature, or cancelled). */
export function recordClosed(r: QmsRecordRow): boolean {
  const def = processOf(r.type);
  return def !== undefined && isClosed(def, r.fields, r.status);
}

/**
 * The day (YYYY-MM-DD) a process record was closed, or null while open. A closed record is approved (or obsolete)
 * and its head was last changed by that approval: an edit after it would have made it a draft again. So the head's
 * `updatedAt` is the closing day, read without the audit trail.
 */
export function closedOn(r: QmsRecordRow): string | null {
  return recordClosed(r) ? r.updatedAt.slice(0, 10) : null;
}

/** The day a record was opened: its own date field when it has one, else the day it was created. */
export function openedOn(r: QmsRecordRow, field?: string): string {
  const own = field === undefined ? undefined : textField(r, field);
  return own ?? r.createdAt.slice(0, 10);
}

/** Records linked to `id` by links of `type`, in the given direction (`from`: id is the link's source). */
export function linked(links: readonly QmsLinkRow[], byId: ReadonlyMap<number, QmsRecordRow>, id: number, type: string, direction: 'from' | 'to'): QmsRecordRow[] {
  const out: QmsRecordRow[] = [];
  for (const l of links) {
    if (l.type !== type) continue;
    const other = direction === 'from' ? (l.fromId === id ? l.toId : undefined) : l.toId === id ? l.fromId : undefined;
    const rec = other === undefined ? undefined : byId.get(other);
    if (rec !== undefined) out.push(rec);
  }
  return out;
}

/** Adds months to a YYYY-MM-DD day (the last day of a shorter month when the day does not exist). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Whole days from `a` to `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

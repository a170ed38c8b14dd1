import type { RecordStatus } from '../catalog/lifecycle.js';
import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import { naturalCompare } from '../natural-order.js';
import { daysBetween, isDay } from './days.js';
import { isClosed, processOf, processState, type ProcessDef } from './processes.js';
import { nextReportDue, reportDeadlines } from './vigilance.js';

/**
 * The lists of the quality processes (`dossier qms list capa`): where each record stands, who owns it, when it is
 * due, whether it is overdue and how old it is.
 */

/** The process names people type, and their record types. */
export const PROCESS_KINDS = {
  capa: RECORD_TYPE.CAPA,
  complaint: RECORD_TYPE.CMP,
  nc: RECORD_TYPE.NC,
  audit: RECORD_TYPE.AUD,
  finding: RECORD_TYPE.AF,
  review: RECORD_TYPE.MREV,
  supplier: RECORD_TYPE.SUP,
  change: RECORD_TYPE.CR,
} as const;
export type ProcessKind = keyof typeof PROCESS_KINDS;
export const PROCESS_KIND_NAMES = Object.keys(PROCESS_KINDS) as [ProcessKind, ...ProcessKind[]];

/** A process record as the list reads it. */
export interface ProcessRecord {
  readonly key: string;
  readonly title: string;
  readonly status: RecordStatus;
  /** When the record was created (ISO time): its age when no field says when it was opened. */
  readonly createdAt: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** One row of a process list. */
export interface ProcessRow {
  readonly key: string;
  readonly title: string;
  /** As `processState` says: the state, or `closed` once signed in a closing state. */
  readonly state: string;
  readonly owner: string | null;
  readonly due: string | null;
  readonly overdue: boolean;
  /** Days since it was opened, while it is open; null once closed. */
  readonly ageDays: number | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The day a process record was opened: its own field for it, else the day it was created. */
function openedOn(type: string, rec: ProcessRecord): string {
  const field = { [RECORD_TYPE.CAPA]: 'openedOn', [RECORD_TYPE.CMP]: 'receivedOn', [RECORD_TYPE.NC]: 'detectedOn' }[type];
  const v = field === undefined ? undefined : rec.fields[field];
  return isDay(v) ? v : rec.createdAt.slice(0, 10);
}

/** Who owns it: the owner, the auditor, or (a nonconformance) who detected it. */
function ownerOf(rec: ProcessRecord): string | null {
  return str(rec.fields['owner']) ?? str(rec.fields['auditor']) ?? str(rec.fields['detectedBy']);
}

/**
 * When it is due: a complaint by its earliest vigilance report not yet made; a CAPA in its effectiveness check by
 * the check's day; others by their `dueOn`, an audit by its planned day.
 */
function dueOf(def: ProcessDef, rec: ProcessRecord, today: string): string | null {
  const f = rec.fields;
  if (def.type === RECORD_TYPE.CMP) return nextReportDue(reportDeadlines(f, today));
  if (def.type === RECORD_TYPE.CAPA && f['state'] === 'effectiveness_check' && f['effectivenessResult'] === undefined) {
    return str(f['effectivenessDueOn']) ?? str(f['dueOn']);
  }
  if (def.type === RECORD_TYPE.AUD && f['state'] === 'planned') return str(f['plannedOn']);
  return str(f['dueOn']);
}

/**
 * A process list row on `today`. Closed (or cancelled) records are never overdue.
 * @throws Error when `type` is not a process record type (a programming error)
 */
export function processRow(type: string, rec: ProcessRecord, today: string): ProcessRow {
  const def = processOf(type);
  if (def === undefined) throw new Error(`${type} is not a process record type`);
  const closed = isClosed(def, rec.fields, rec.status);
  const due = dueOf(def, rec, today);
  return {
    key: rec.key,
    title: rec.title,
    state: processState(def, rec.fields, rec.status),
    owner: ownerOf(rec),
    due,
    overdue: !closed && due !== null && daysBetween(due, today) > 0,
    ageDays: closed ? null : Math.max(0, daysBetween(openedOn(type, rec), today)),
  };
}

/** What a list shows: records in one state (as `processState` says), only the overdue ones. */
export interface ProcessListFilter {
  readonly state?: string | undefined;
  readonly overdue?: boolean | undefined;
}

/** The rows of a process list on `today`, filtered, in key order. */
export function processRows(type: string, records: readonly ProcessRecord[], today: string, filter: ProcessListFilter = {}): ProcessRow[] {
  return records
    .map((r) => processRow(type, r, today))
    .filter((r) => (filter.state === undefined || r.state === filter.state) && (filter.overdue !== true || r.overdue))
    .sort((a, b) => naturalCompare(a.key, b.key));
}

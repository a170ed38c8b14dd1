import type { EU_EVENT_KINDS, FDA_EVENT_KINDS } from './fields.js';
import { addDays, addWorkDays, daysBetween, isDay } from './days.js';

/**
 * Vigilance reporting deadlines as data: for each jurisdiction and kind of event, how long the manufacturer has to
 * report it, counted from the day it became aware (`awareOn`). Clause numbers only; the words are ours.
 */

export type FdaEventKind = (typeof FDA_EVENT_KINDS)[number];
export type EuEventKind = (typeof EU_EVENT_KINDS)[number];
export type Jurisdiction = 'FDA' | 'EU';

/** One reporting deadline: `days` calendar or work days after awareness; null days: nothing to report. */
export interface ReportDeadline {
  readonly days: number | null;
  readonly count: 'calendar' | 'work';
  /** The clause that sets it. */
  readonly clause: string;
}

const none: ReportDeadline = { days: null, count: 'calendar', clause: '' };

/** 21 CFR 803 (medical device reporting by manufacturers). */
export const FDA_DEADLINES: Readonly<Record<FdaEventKind, ReportDeadline>> = {
  not_reportable: none,
  death: { days: 30, count: 'calendar', clause: '21 CFR 803.50(a)' },
  serious_injury: { days: 30, count: 'calendar', clause: '21 CFR 803.50(a)' },
  malfunction: { days: 30, count: 'calendar', clause: '21 CFR 803.50(a)' },
  // A remedial action needed to prevent an unreasonable risk of substantial harm to public health: a 5-day report.
  remedial_action: { days: 5, count: 'work', clause: '21 CFR 803.53(a)' },
};

/** EU MDR (Regulation (EU) 2017/745) Art. 87, reporting of serious incidents. */
export const EU_DEADLINES: Readonly<Record<EuEventKind, ReportDeadline>> = {
  not_reportable: none,
  serious_public_health_threat: { days: 2, count: 'calendar', clause: 'EU MDR Art. 87(4)' },
  death_or_serious_deterioration: { days: 10, count: 'calendar', clause: 'EU MDR Art. 87(5)' },
  serious_incident: { days: 15, count: 'calendar', clause: 'EU MDR Art. 87(3)' },
};

/** Where one report stands. */
export type ReportStatus = 'undecided' | 'not_reportable' | 'no_awareness_date' | 'reported_on_time' | 'reported_late' | 'due' | 'overdue';

export interface ReportDeadlineView {
  readonly jurisdiction: Jurisdiction;
  /** The decision (`death`, `not_reportable`), or null while undecided. */
  readonly eventKind: string | null;
  readonly clause: string | null;
  readonly days: number | null;
  readonly count: 'calendar' | 'work' | null;
  readonly dueOn: string | null;
  readonly reportedOn: string | null;
  readonly status: ReportStatus;
  /** Due: days left (0 = today); overdue: days past; reported late: days late; else null. */
  readonly daysFromDue: number | null;
  /** The status in words: `due in 3 days`, `reported on time`, `overdue by 2 days`. */
  readonly text: string;
}

const plural = (n: number): string => `${n} day${n === 1 ? '' : 's'}`;

function view(
  jurisdiction: Jurisdiction,
  table: Readonly<Record<string, ReportDeadline>>,
  kind: unknown,
  awareOn: unknown,
  reportedOn: unknown,
  today: string,
): ReportDeadlineView {
  const reported = isDay(reportedOn) ? reportedOn : null;
  const base = { jurisdiction, reportedOn: reported };
  const deadline = typeof kind === 'string' ? table[kind] : undefined;
  if (deadline === undefined) {
    return { ...base, eventKind: null, clause: null, days: null, count: null, dueOn: null, status: 'undecided', daysFromDue: null, text: 'reportability not decided' };
  }
  const decided = { ...base, eventKind: kind as string, clause: deadline.clause === '' ? null : deadline.clause, days: deadline.days, count: deadline.days === null ? null : deadline.count };
  if (deadline.days === null) return { ...decided, dueOn: null, status: 'not_reportable', daysFromDue: null, text: 'not reportable' };
  if (!isDay(awareOn)) return { ...decided, dueOn: null, status: 'no_awareness_date', daysFromDue: null, text: 'no awareness date (awareOn): the deadline cannot be computed' };
  const dueOn = deadline.count === 'work' ? addWorkDays(awareOn, deadline.days) : addDays(awareOn, deadline.days);
  if (reported !== null) {
    const late = daysBetween(dueOn, reported);
    return late <= 0
      ? { ...decided, dueOn, status: 'reported_on_time', daysFromDue: null, text: `reported on time (${reported})` }
      : { ...decided, dueOn, status: 'reported_late', daysFromDue: late, text: `reported late by ${plural(late)} (${reported})` };
  }
  const left = daysBetween(today, dueOn);
  if (left >= 0) return { ...decided, dueOn, status: 'due', daysFromDue: left, text: left === 0 ? 'due today' : `due in ${plural(left)}` };
  return { ...decided, dueOn, status: 'overdue', daysFromDue: -left, text: `overdue by ${plural(-left)}` };
}

/**
 * The report deadlines of a complaint's fields on `today`: one per jurisdiction (FDA, then EU).
 * @param fields - the complaint's fields (`awareOn`, `fdaReportability`, `euReportability`, `fdaReportedOn`, `euReportedOn`)
 */
export function reportDeadlines(fields: Readonly<Record<string, unknown>>, today: string): readonly ReportDeadlineView[] {
  return [
    view('FDA', FDA_DEADLINES, fields['fdaReportability'], fields['awareOn'], fields['fdaReportedOn'], today),
    view('EU', EU_DEADLINES, fields['euReportability'], fields['awareOn'], fields['euReportedOn'], today),
  ];
}

/** The earliest due day of a report not yet made, or null. */
export function nextReportDue(deadlines: readonly ReportDeadlineView[]): string | null {
  const open = deadlines.filter((d) => (d.status === 'due' || d.status === 'overdue') && d.dueOn !== null).map((d) => d.dueOn as string);
  return open.length === 0 ? null : open.sort()[0] ?? null;
}

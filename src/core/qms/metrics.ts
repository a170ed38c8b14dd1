import { z } from 'zod';
import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import type { QmsFacts } from './facts.js';
import { trainingCompliance } from './management-review.js';
import { addMonths, closedOn, daysBetween, openedOn, textField, type QmsRecordRow } from './qms-records.js';

/**
 * Quality metrics over time, one point per month, for charts: CAPA ageing and on-time closure, the complaint trend
 * by category and product version, training compliance, document review compliance and audit finding closure.
 * Pure functions over the records (their fields, status and head dates) and the QMS facts. A record's closing day
 * is the day its closing signature approved it (`closedOn`); states a record passed through earlier are not kept
 * per day, so a point in the past counts a record as open from the day it was opened until the day it was closed.
 */

/** CAPA age bands, in days open at the end of a month. */
export const AGE_BANDS = [
  { band: '0-30', max: 30 },
  { band: '31-90', max: 90 },
  { band: '91-180', max: 180 },
  { band: '>180', max: Infinity },
] as const;

const Counts = z.record(z.string(), z.number().int());
const Rate = z.number().nullable();

export const QmsMetricsSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  asOf: z.string(),
  months: z.array(z.string()),
  capaAgeing: z.array(z.strictObject({ month: z.string(), open: z.number().int(), byAge: Counts })),
  capaClosure: z.array(z.strictObject({ month: z.string(), closed: z.number().int(), withDueDate: z.number().int(), onTime: z.number().int(), onTimeRate: Rate })),
  complaints: z.array(z.strictObject({ month: z.string(), received: z.number().int(), byCategory: Counts, byProductVersion: Counts })),
  training: z.array(z.strictObject({ month: z.string(), assignments: z.number().int(), overdue: z.number().int(), compliance: Rate })),
  documentReview: z.array(z.strictObject({ month: z.string(), documents: z.number().int(), overdue: z.number().int(), compliance: Rate })),
  auditFindings: z.array(z.strictObject({ month: z.string(), raised: z.number().int(), closed: z.number().int(), openAtEnd: z.number().int(), closedOnTime: z.number().int() })),
  /** Where the training and document series come from: no facts yet means they are empty (null compliance). */
  factsAvailable: z.strictObject({ trainings: z.boolean(), documents: z.boolean() }),
});
export type QmsMetrics = z.output<typeof QmsMetricsSchema>;

/** The months (YYYY-MM) from one day's month to another's, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let m = `${from.slice(0, 7)}-01`;
  const last = to.slice(0, 7);
  while (m.slice(0, 7) <= last && out.length < 240) {
    out.push(m.slice(0, 7));
    m = addMonths(m, 1);
  }
  return out;
}

/** The last day of a month (YYYY-MM). */
export function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

const pct = (good: number, total: number): number | null => (total === 0 ? null : Math.round((1000 * good) / total) / 10);

const count = (values: readonly string[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const v of [...values].sort()) out[v] = (out[v] ?? 0) + 1;
  return out;
};

/** Open at the end of a day: opened on or before it and not closed by it. */
const openAt = (opened: string, closed: string | null, day: string): boolean => opened <= day && (closed === null || closed > day);

/** The metrics from one month to another (YYYY-MM-DD days; their months are included), judged as of `asOf`. */
export function qmsMetrics(records: readonly QmsRecordRow[], facts: QmsFacts, range: { from: string; to: string; asOf: string }): QmsMetrics {
  const months = monthsBetween(range.from, range.to);
  // A cancelled (obsolete) record counts nowhere.
  const live = (type: string): QmsRecordRow[] => records.filter((r) => r.type === type && r.status !== 'obsolete');
  const capas = live(RECORD_TYPE.CAPA).map((c) => ({ opened: openedOn(c, 'openedOn'), closed: closedOn(c), due: textField(c, 'dueOn') ?? null }));
  const complaints = live(RECORD_TYPE.CMP);
  const findings = live(RECORD_TYPE.AF).map((f) => ({ opened: f.createdAt.slice(0, 10), closed: closedOn(f), due: textField(f, 'dueOn') ?? null }));

  const capaAgeing = months.map((month) => {
    const end = lastDay(month);
    const day = end < range.asOf ? end : range.asOf;
    const open = capas.filter((c) => openAt(c.opened, c.closed, day));
    const byAge: Record<string, number> = Object.fromEntries(AGE_BANDS.map((b) => [b.band, 0]));
    for (const c of open) {
      const age = daysBetween(c.opened, day);
      const band = AGE_BANDS.find((b) => age <= b.max) ?? AGE_BANDS[AGE_BANDS.length - 1];
      if (band !== undefined) byAge[band.band] = (byAge[band.band] ?? 0) + 1;
    }
    return { month, open: open.length, byAge };
  });

  const capaClosure = months.map((month) => {
    const closed = capas.filter((c) => c.closed !== null && c.closed.slice(0, 7) === month);
    const withDue = closed.filter((c) => c.due !== null);
    const onTime = withDue.filter((c) => (c.closed ?? '') <= (c.due ?? '')).length;
    return { month, closed: closed.length, withDueDate: withDue.length, onTime, onTimeRate: pct(onTime, withDue.length) };
  });

  const complaintSeries = months.map((month) => {
    const received = complaints.filter((c) => openedOn(c, 'receivedOn').slice(0, 7) === month);
    return {
      month,
      received: received.length,
      byCategory: count(received.map((c) => textField(c, 'category') ?? 'uncategorised')),
      byProductVersion: count(received.map((c) => textField(c, 'productVersion') ?? 'unknown')),
    };
  });

  const training = months.map((month) => {
    const end = lastDay(month);
    const t = trainingCompliance(facts, end < range.asOf ? end : range.asOf);
    return { month, assignments: t.assignments, overdue: t.overdue, compliance: t.percent };
  });

  const documentReview = months.map((month) => {
    const end = lastDay(month);
    const day = end < range.asOf ? end : range.asOf;
    const docs = facts.documents.filter((d) => d.effectiveOn <= day);
    const overdue = docs.filter((d) => {
      if (d.reviewIntervalMonths === null) return false;
      const since = d.lastReviewedOn !== null && d.lastReviewedOn <= day ? d.lastReviewedOn : d.effectiveOn;
      return addMonths(since, d.reviewIntervalMonths) < day;
    }).length;
    return { month, documents: docs.length, overdue, compliance: pct(docs.length - overdue, docs.length) };
  });

  const auditFindings = months.map((month) => {
    const end = lastDay(month);
    const day = end < range.asOf ? end : range.asOf;
    const closed = findings.filter((f) => f.closed !== null && f.closed.slice(0, 7) === month);
    return {
      month,
      raised: findings.filter((f) => f.opened.slice(0, 7) === month).length,
      closed: closed.length,
      openAtEnd: findings.filter((f) => openAt(f.opened, f.closed, day)).length,
      closedOnTime: closed.filter((f) => f.due !== null && (f.closed ?? '') <= f.due).length,
    };
  });

  return {
    from: range.from,
    to: range.to,
    asOf: range.asOf,
    months,
    capaAgeing,
    capaClosure,
    complaints: complaintSeries,
    training,
    documentReview,
    auditFindings,
    factsAvailable: { trainings: facts.trainings.length > 0, documents: facts.documents.length > 0 },
  };
}

import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import type { TraceGraph } from '../trace/trace-graph.js';
import type { QmsFacts } from './facts.js';
import { ISO13485_CLAUSES, covers } from './iso13485.js';
import { isClosed, processOf, processState } from './processes.js';
import { reportDeadlines } from './vigilance.js';

/**
 * The computed values of the quality-system records (the catalog's `computed` of DOC, CAPA, CMP, NC, AUD, AF, MREV,
 * SUP, CR, and `signedUntrained` of every record), worked out from the records' fields, the QMS facts (documents in
 * force, training, untrained signatures) and today's date. Pure: the rule check and the readiness report read them.
 */

type Values = Readonly<Record<string, unknown>>;

/** A document review is `due_soon` this many days before it is due. */
export const REVIEW_DUE_SOON_DAYS = 30;

/** `2026-01-31` + 1 month → `2026-02-28` (the day is kept, or the month's last day when it has fewer). */
export function addMonths(day: string, months: number): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** `2026-01-31` + 3 days → `2026-02-03`. */
export function addDays(day: string, days: number): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const dayOf = (v: unknown): string | undefined => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
const before = (day: string | undefined, today: string): boolean => day !== undefined && day < today;

/** One late thing of a record, in words, with the day it was due. */
export interface LateItem {
  readonly what: string;
  /** YYYY-MM-DD */
  readonly dueOn: string;
}

/**
 * What is late in a CAPA (ISO 13485 8.5.2): the CAPA itself past its due date, an action past its due date and not
 * done, the effectiveness check past its date without a result. A closed (signed) or rejected CAPA has nothing late.
 */
export function lateCapaItems(fields: Values, closed: boolean, today: string): LateItem[] {
  if (closed || fields['state'] === 'rejected') return [];
  const out: LateItem[] = [];
  const due = dayOf(fields['dueOn']);
  if (due !== undefined && before(due, today)) out.push({ what: 'the CAPA is open past its due date', dueOn: due });
  const actions = Array.isArray(fields['actions']) ? (fields['actions'] as readonly Values[]) : [];
  for (const a of actions) {
    const d = dayOf(a['dueOn']);
    if (d !== undefined && before(d, today) && a['doneOn'] === undefined) out.push({ what: `the action "${String(a['description'])}" is not done`, dueOn: d });
  }
  const check = dayOf(fields['effectivenessDueOn']);
  if (check !== undefined && before(check, today) && fields['effectivenessResult'] === undefined) {
    out.push({ what: 'the effectiveness check has no result', dueOn: check });
  }
  return out;
}

/** The regulatory reports of a complaint (ISO 13485 8.2.3) past their due date and not sent. */
export function lateReports(fields: Values, today: string): LateItem[] {
  return reportDeadlines(fields, today)
    .filter((d) => d.status === 'overdue' && d.dueOn !== null)
    .map((d) => ({ what: `the ${d.jurisdiction} report (${(d.eventKind ?? '').replace(/_/g, ' ')}) is not sent`, dueOn: d.dueOn ?? today }));
}

/** The day a supplier's re-evaluation is due (ISO 13485 7.4.1), or undefined when it was never evaluated or is blocked. */
export function reevaluationDueOn(fields: Values): string | undefined {
  const evaluated = dayOf(fields['evaluatedOn']);
  if (evaluated === undefined || fields['state'] === 'blocked') return undefined;
  const months = typeof fields['reevaluationMonths'] === 'number' ? fields['reevaluationMonths'] : 12;
  return addMonths(evaluated, months);
}

/** The periodic review of a document version in force (ISO 13485 4.2.4): when it is due, from the last review or the effective day. */
export function reviewDueOn(fact: { readonly effectiveOn: string; readonly lastReviewedOn: string | null; readonly reviewIntervalMonths: number | null }): string | undefined {
  return fact.reviewIntervalMonths === null ? undefined : addMonths(fact.lastReviewedOn ?? fact.effectiveOn, fact.reviewIntervalMonths);
}

/** `current`, `due_soon` (within {@link REVIEW_DUE_SOON_DAYS}) or `overdue`. */
export function reviewStateOn(dueOn: string | undefined, today: string): 'current' | 'due_soon' | 'overdue' {
  if (dueOn === undefined) return 'current';
  if (dueOn < today) return 'overdue';
  return dueOn <= addDays(today, REVIEW_DUE_SOON_DAYS) ? 'due_soon' : 'current';
}

/** The ISO 13485 clause numbers a list of references covers: `ISO 13485 8.5` gives 8.5.1, 8.5.2, 8.5.3. */
export function clausesCovered(references: readonly unknown[]): string[] {
  const refs = references.filter((r): r is string => typeof r === 'string');
  return ISO13485_CLAUSES.filter((c) => refs.some((r) => covers(r, c.number))).map((c) => c.number);
}

/**
 * The computed values of every QMS record of a graph, and `signedUntrained` / `untrainedSigners` of every record
 * with a signature by someone not trained on the procedure in force. Values already worked out (`base`: the risk
 * file's, `esigned`) are kept beside them.
 * @param today - YYYY-MM-DD: what is late is judged on this day
 */
export function withQmsComputed(graph: TraceGraph, facts: QmsFacts, today: string, base: ReadonlyMap<number, Values> = new Map()): Map<number, Values> {
  const out = new Map(base);
  const add = (i: number, values: Values): void => {
    const extra = out.get(i);
    out.set(i, extra === undefined ? values : { ...extra, ...values });
  };
  const inForce = new Map(facts.documents.map((d) => [d.recordId, d]));
  for (let i = 0; i < graph.size; i++) {
    const type = graph.type(i);
    const def = processOf(type);
    if (def === undefined && type !== RECORD_TYPE.DOC) continue;
    const fields = graph.fields(i);
    const status = graph.status(i);
    if (type === RECORD_TYPE.DOC) {
      const fact = graph.obsolete[i] === 1 ? undefined : inForce.get(graph.id(i));
      add(i, {
        effective: fact !== undefined,
        ...(fact === undefined ? {} : { reviewState: reviewStateOn(reviewDueOn(fact), today) }),
        clausesCovered: clausesCovered(Array.isArray(fields['clauses']) ? fields['clauses'] : []),
      });
      continue;
    }
    if (def === undefined) continue;
    const values: Record<string, unknown> = { processState: processState(def, fields, status) };
    if (type === RECORD_TYPE.CAPA) values['overdue'] = lateCapaItems(fields, isClosed(def, fields, status), today).length > 0;
    if (type === RECORD_TYPE.CMP) values['overdue'] = lateReports(fields, today).length > 0;
    if (type === RECORD_TYPE.SUP) {
      const due = reevaluationDueOn(fields);
      if (due !== undefined) values['reevaluation'] = due < today ? 'overdue' : 'current';
    }
    add(i, values);
  }
  const untrained = new Map<number, string[]>();
  for (const s of facts.untrainedSignatures) {
    const i = graph.indexOfRecord(s.recordId);
    if (i === undefined) continue;
    const list = untrained.get(i) ?? [];
    const who = `${s.username} (${s.document})`;
    if (!list.includes(who)) list.push(who);
    untrained.set(i, list);
  }
  for (const [i, who] of untrained) add(i, { signedUntrained: true, untrainedSigners: who.join(', ') });
  return out;
}

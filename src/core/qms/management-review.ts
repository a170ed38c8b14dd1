import { naturalCompare } from '../natural-order.js';
import { z } from 'zod';
import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import type { QmsFacts } from './facts.js';
import { programmeAudit } from './audit-programme.js';
import { closedOn, linked, openedOn, recordClosed, stateOfRecord, textField, type QmsLinkRow, type QmsRecordRow } from './qms-records.js';
import { supplierList } from './suppliers.js';

/**
 * The inputs of a management review (ISO 13485 5.6.2) for a period, assembled from the store: feedback and
 * complaints, audit results, process and product monitoring, CAPA status, training compliance, risk and
 * post-market data, changes, the previous review's actions, and supplier status. Pure over the product's records,
 * the QMS facts and what the risk file says is due.
 */

export interface Period {
  /** YYYY-MM-DD, both days included. */
  readonly from: string;
  readonly to: string;
}

const inPeriod = (day: string | null | undefined, p: Period): boolean => day !== null && day !== undefined && day >= p.from && day <= p.to;

const count = (values: readonly string[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const v of [...values].sort()) out[v] = (out[v] ?? 0) + 1;
  return out;
};

const byKey = (a: { key: string }, b: { key: string }): number => naturalCompare(a.key, b.key);

/** True when an open CAPA is late: past its due day, an action past its own, or its effectiveness check overdue. */
export function capaOverdue(capa: QmsRecordRow, asOf: string): boolean {
  if (recordClosed(capa) || capa.status === 'obsolete') return false;
  const due = textField(capa, 'dueOn');
  if (due !== undefined && due < asOf) return true;
  const actions = Array.isArray(capa.fields['actions']) ? (capa.fields['actions'] as { dueOn: string; doneOn?: string }[]) : [];
  if (actions.some((a) => a.doneOn === undefined && a.dueOn < asOf)) return true;
  const eff = textField(capa, 'effectivenessDueOn');
  return eff !== undefined && eff < asOf && capa.fields['effectivenessResult'] === undefined;
}

/** A complaint whose reportability decision says it is reportable somewhere. */
function reportable(c: QmsRecordRow): boolean {
  const fda = textField(c, 'fdaReportability');
  const eu = textField(c, 'euReportability');
  return (fda !== undefined && fda !== 'not_reportable') || (eu !== undefined && eu !== 'not_reportable');
}

/** Training compliance from the facts as of a day: the share of current assignments not overdue. */
export function trainingCompliance(facts: QmsFacts, asOf: string): { assignments: number; completed: number; overdue: number; percent: number | null } {
  const current = facts.trainings.filter((t) => !t.superseded && t.assignedOn <= asOf);
  const overdue = current.filter((t) => (t.completedOn === null || t.completedOn > asOf) && t.dueOn < asOf).length;
  const completed = current.filter((t) => t.completedOn !== null && t.completedOn <= asOf).length;
  return { assignments: current.length, completed, overdue, percent: current.length === 0 ? null : round1((100 * (current.length - overdue)) / current.length) };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

const Counts = z.record(z.string(), z.number().int());
const Grades = z.strictObject({ major: z.number().int(), minor: z.number().int(), observation: z.number().int() });
const day = z.string();

/** The review inputs, as JSON (the API's output; its canonical JSON is what a compiled review's digest covers). */
export const ReviewInputsSchema = z.strictObject({
  period: z.strictObject({ from: day, to: day }),
  asOf: day,
  feedback: z.strictObject({
    complaintsReceived: z.number().int(),
    byCategory: Counts,
    byProductVersion: Counts,
    reportable: z.array(
      z.strictObject({ key: z.string(), title: z.string(), fda: z.string().nullable(), eu: z.string().nullable(), fdaReportedOn: day.nullable(), euReportedOn: day.nullable() }),
    ),
    openComplaints: z.number().int(),
    postProductionInformation: z.number().int(),
  }),
  audits: z.strictObject({
    held: z.array(z.strictObject({ key: z.string(), title: z.string(), heldOn: day.nullable(), state: z.string(), findingsByGrade: Grades, openFindings: z.number().int() })),
    findingsByGrade: Grades,
    openFindings: z.array(z.strictObject({ key: z.string(), grade: z.string(), state: z.string(), capas: z.array(z.string()) })),
  }),
  monitoring: z.strictObject({
    openAnomalies: z.number().int(),
    openAnomaliesByCriticality: Counts,
    nonconformancesReported: z.number().int(),
    openNonconformances: z.number().int(),
    releases: z.array(z.strictObject({ version: z.string(), releasedAt: z.string() })),
  }),
  capa: z.strictObject({
    open: z.number().int(),
    openByState: Counts,
    overdue: z.array(z.string()),
    openedInPeriod: z.number().int(),
    closedInPeriod: z.number().int(),
    effectiveness: z.strictObject({ effective: z.number().int(), notEffective: z.number().int(), pending: z.number().int() }),
  }),
  training: z.strictObject({
    assignments: z.number().int(),
    completed: z.number().int(),
    overdue: z.number().int(),
    percent: z.number().nullable(),
    source: z.enum(['no training records', 'training records']),
  }),
  risk: z.strictObject({
    postProductionInformation: z.array(z.strictObject({ key: z.string(), title: z.string(), kind: z.string(), receivedOn: day.nullable() })),
    risksForReview: z.array(z.strictObject({ key: z.string(), title: z.string(), state: z.string() })),
  }),
  changes: z.strictObject({
    submittedInPeriod: z.number().int(),
    byState: Counts,
    open: z.array(z.strictObject({ key: z.string(), title: z.string(), state: z.string() })),
  }),
  previousReview: z
    .strictObject({
      key: z.string(),
      heldOn: day.nullable(),
      state: z.string(),
      actions: z.array(z.strictObject({ description: z.string(), owner: z.string(), dueOn: day, doneOn: day.nullable(), status: z.enum(['done', 'open', 'overdue']) })),
    })
    .nullable(),
  suppliers: z.strictObject({
    approved: z.number().int(),
    conditional: z.number().int(),
    blocked: z.number().int(),
    reevaluationOverdue: z.array(z.string()),
    agreementsExpiring: z.array(z.strictObject({ supplier: z.string(), name: z.string(), expiresOn: day, expired: z.boolean() })),
    soupWithoutSupplier: z.number().int(),
  }),
});
export type ReviewInputs = z.output<typeof ReviewInputsSchema>;

export interface RiskForReview {
  readonly key: string;
  readonly title: string;
  /** flagged (new post-production information) or overdue. */
  readonly state: string;
}

export interface ReleaseInPeriod {
  readonly version: string;
  readonly releasedAt: string;
}

export interface ReviewInputsContext {
  readonly period: Period;
  /** YYYY-MM-DD: what is open or overdue is judged on this day. */
  readonly asOf: string;
  readonly facts: QmsFacts;
  readonly risksForReview: readonly RiskForReview[];
  readonly releases: readonly ReleaseInPeriod[];
  /** The review being compiled (left out of "previous review"), if any. */
  readonly review?: string;
}

/** Assembles the review inputs for a period. */
export function reviewInputs(records: readonly QmsRecordRow[], links: readonly QmsLinkRow[], ctx: ReviewInputsContext): ReviewInputs {
  const { period, asOf } = ctx;
  const of = (type: string): QmsRecordRow[] => records.filter((r) => r.type === type && r.status !== 'obsolete').sort(byKey);
  const byId = new Map(records.map((r) => [r.id, r]));

  const complaints = of(RECORD_TYPE.CMP);
  const received = complaints.filter((c) => inPeriod(openedOn(c, 'receivedOn'), period));
  const ppi = of(RECORD_TYPE.PPI).filter((p) => inPeriod(openedOn(p, 'receivedOn'), period));

  const audits = of(RECORD_TYPE.AUD);
  const held = audits.filter((a) => inPeriod(textField(a, 'heldOn'), period)).map((a) => programmeAudit(a, records, links, byId));
  const findings = of(RECORD_TYPE.AF);
  const openFindings = findings.filter((f) => !recordClosed(f));

  const capas = of(RECORD_TYPE.CAPA);
  const openCapas = capas.filter((c) => !recordClosed(c));
  const closedInPeriod = capas.filter((c) => inPeriod(closedOn(c), period));

  const ncs = of(RECORD_TYPE.NC);
  const anomalies = of(RECORD_TYPE.ANOM).filter((a) => textField(a, 'resolvedIn') === undefined);

  const changes = of(RECORD_TYPE.CR);

  const previous = of(RECORD_TYPE.MREV)
    .filter((m) => m.key !== ctx.review && (textField(m, 'periodTo') ?? '') < period.from)
    .sort((a, b) => (textField(a, 'periodTo') ?? '').localeCompare(textField(b, 'periodTo') ?? '') || byKey(a, b))
    .at(-1);
  const previousActions = previous === undefined ? [] : ((previous.fields['actions'] ?? []) as { description: string; owner: string; dueOn: string; doneOn?: string }[]);

  const suppliers = supplierList(records, links, asOf);

  return {
    period: { from: period.from, to: period.to },
    asOf,
    feedback: {
      complaintsReceived: received.length,
      byCategory: count(received.map((c) => textField(c, 'category') ?? 'uncategorised')),
      byProductVersion: count(received.map((c) => textField(c, 'productVersion') ?? 'unknown')),
      reportable: received.filter(reportable).map((c) => ({
        key: c.key,
        title: c.title,
        fda: textField(c, 'fdaReportability') ?? null,
        eu: textField(c, 'euReportability') ?? null,
        fdaReportedOn: textField(c, 'fdaReportedOn') ?? null,
        euReportedOn: textField(c, 'euReportedOn') ?? null,
      })),
      openComplaints: complaints.filter((c) => !recordClosed(c)).length,
      postProductionInformation: ppi.length,
    },
    audits: {
      held: held.map((a) => ({ key: a.key, title: a.title, heldOn: a.heldOn, state: a.state, findingsByGrade: a.findingsByGrade, openFindings: a.openFindings })),
      findingsByGrade: {
        major: held.reduce((n, a) => n + a.findingsByGrade.major, 0),
        minor: held.reduce((n, a) => n + a.findingsByGrade.minor, 0),
        observation: held.reduce((n, a) => n + a.findingsByGrade.observation, 0),
      },
      openFindings: openFindings.map((f) => ({
        key: f.key,
        grade: textField(f, 'grade') ?? 'observation',
        state: stateOfRecord(f),
        capas: linked(links, byId, f.id, 'addresses', 'to').filter((c) => c.type === RECORD_TYPE.CAPA).map((c) => c.key),
      })),
    },
    monitoring: {
      openAnomalies: anomalies.length,
      openAnomaliesByCriticality: count(anomalies.map((a) => textField(a, 'criticality') ?? 'unknown')),
      nonconformancesReported: ncs.filter((n) => inPeriod(openedOn(n, 'detectedOn'), period)).length,
      openNonconformances: ncs.filter((n) => !recordClosed(n)).length,
      releases: ctx.releases.filter((r) => inPeriod(r.releasedAt.slice(0, 10), period)).map((r) => ({ version: r.version, releasedAt: r.releasedAt })),
    },
    capa: {
      open: openCapas.length,
      openByState: count(openCapas.map(stateOfRecord)),
      overdue: openCapas.filter((c) => capaOverdue(c, asOf)).map((c) => c.key),
      openedInPeriod: capas.filter((c) => inPeriod(openedOn(c, 'openedOn'), period)).length,
      closedInPeriod: closedInPeriod.length,
      effectiveness: {
        effective: closedInPeriod.filter((c) => c.fields['effectivenessResult'] === 'effective').length,
        notEffective: capas.filter((c) => c.fields['effectivenessResult'] === 'not_effective' && !recordClosed(c)).length,
        pending: openCapas.filter((c) => stateOfRecord(c) === 'effectiveness_check' && c.fields['effectivenessResult'] === undefined).length,
      },
    },
    training: { ...trainingCompliance(ctx.facts, asOf), source: ctx.facts.trainings.length === 0 ? ('no training records' as const) : ('training records' as const) },
    risk: {
      postProductionInformation: ppi.map((p) => ({ key: p.key, title: p.title, kind: textField(p, 'kind') ?? 'other', receivedOn: textField(p, 'receivedOn') ?? null })),
      risksForReview: [...ctx.risksForReview],
    },
    changes: {
      submittedInPeriod: changes.filter((c) => inPeriod(c.createdAt.slice(0, 10), period)).length,
      byState: count(changes.map(stateOfRecord)),
      open: changes.filter((c) => textField(c, 'state') !== 'released').map((c) => ({ key: c.key, title: c.title, state: stateOfRecord(c) })),
    },
    previousReview:
      previous === undefined
        ? null
        : {
            key: previous.key,
            heldOn: textField(previous, 'heldOn') ?? null,
            state: stateOfRecord(previous),
            actions: previousActions.map((a) => ({
              description: a.description,
              owner: a.owner,
              dueOn: a.dueOn,
              doneOn: a.doneOn ?? null,
              status: a.doneOn !== undefined ? ('done' as const) : a.dueOn < asOf ? ('overdue' as const) : ('open' as const),
            })),
          },
    suppliers: {
      approved: suppliers.suppliers.filter((s) => s.approvedForUse && s.state === 'approved').length,
      conditional: suppliers.suppliers.filter((s) => s.approvedForUse && s.state === 'conditional').length,
      blocked: suppliers.suppliers.filter((s) => s.state === 'blocked').length,
      reevaluationOverdue: suppliers.suppliers.filter((s) => s.reevaluationOverdue).map((s) => s.key),
      agreementsExpiring: suppliers.suppliers.flatMap((s) => s.agreementsExpiring.map((a) => ({ supplier: s.key, ...a }))),
      soupWithoutSupplier: suppliers.soupWithoutSupplier.length,
    },
  };
}


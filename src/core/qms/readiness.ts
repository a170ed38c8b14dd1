import { naturalCompare } from '../natural-order.js';
import { z } from 'zod';
import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import type { TraceGraph } from '../trace/trace-graph.js';
import { CLAUSE_MAP, clauseRules, evidenceTypes } from './clause-map.js';
import { clausesCovered, lateCapaItems, lateReports, reevaluationDueOn, reviewDueOn } from './computed.js';
import type { QmsFacts } from './facts.js';
import { isClosed, processOf } from './processes.js';

/**
 * The ISO 13485 readiness report: per clause of sections 4–8, the evidence the store holds (documents covering it,
 * in force or only draft; the records of the types that evidence it), what is missing, and what is overdue; and one
 * score. Pure: the graph, the QMS facts and today's date in, the report out.
 */

export const READINESS_STATUSES = ['met', 'overdue', 'draft_only', 'missing', 'not_applicable'] as const;

const DocumentEvidenceSchema = z.object({
  key: z.string(),
  title: z.string(),
  docType: z.string(),
  /** The document number people cite (`SOP-004`), if set. */
  number: z.string().nullable(),
  version: z.string().nullable(),
  /** The record's lifecycle status (draft, in_review, approved). */
  status: z.string(),
  /** A version is in force (made effective). */
  inForce: z.boolean(),
});

const OverdueItemSchema = z.object({
  /** The record it is about (`CAPA-3`, `DOC-2`, `SUP-1`), or the document for a training. */
  record: z.string(),
  kind: z.enum(['document_review', 'training', 'capa', 'report', 'supplier_reevaluation', 'finding', 'review_action']),
  what: z.string(),
  /** YYYY-MM-DD */
  dueOn: z.string(),
});
export type OverdueItem = z.infer<typeof OverdueItemSchema>;

export const ClauseReadinessSchema = z.object({
  number: z.string(),
  title: z.string(),
  status: z.enum(READINESS_STATUSES),
  /** Why the clause does not apply (software only), when it does not. */
  notApplicable: z.string().nullable(),
  /** The clause asks for a documented procedure: only an in-force procedure or work instruction counts. */
  procedureRequired: z.boolean(),
  documents: z.array(DocumentEvidenceSchema),
  /** Records of the types that evidence the clause (obsolete ones left out), by type. */
  records: z.array(z.object({ type: z.string(), count: z.number().int() })),
  processes: z.array(z.string()),
  /** Rules of the packs in force that check the clause. */
  rules: z.array(z.string()),
  missing: z.array(z.string()),
  overdue: z.array(OverdueItemSchema),
});
export type ClauseReadiness = z.infer<typeof ClauseReadinessSchema>;

export const ReadinessReportSchema = z.object({
  product: z.string(),
  /** The day judged (YYYY-MM-DD). */
  today: z.string(),
  score: z.object({
    met: z.number().int(),
    applicable: z.number().int(),
    /** Whole percent, rounded down. */
    percent: z.number().int(),
    /** How the score is computed, in words. */
    method: z.string(),
  }),
  counts: z.object({ met: z.number().int(), overdue: z.number().int(), draftOnly: z.number().int(), missing: z.number().int(), notApplicable: z.number().int() }),
  clauses: z.array(ClauseReadinessSchema),
});
export type ReadinessReport = z.infer<typeof ReadinessReportSchema>;

export const SCORE_METHOD =
  'share of the applicable clauses (those not excluded for software) that are met: a document in force covers the clause ' +
  '(an in-force procedure or work instruction where the clause asks for a documented procedure; a draft or a document in ' +
  'review does not count) and no item of the clause is overdue; rounded down to a whole percent';

/** Document kinds that count as a documented procedure. */
const PROCEDURE_KINDS: readonly string[] = ['procedure', 'work_instruction'];

interface ReadinessInput {
  readonly product: string;
  readonly graph: TraceGraph;
  readonly facts: QmsFacts;
  /** YYYY-MM-DD */
  readonly today: string;
  /** Each record type's clause references (the catalog's `clauses`). */
  readonly catalogClauses: ReadonlyMap<string, readonly string[]>;
  /** The rules in force (every pack's), by ID and clause. */
  readonly rules: readonly { readonly id: string; readonly clause: string }[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Every overdue item of the store, with the clause it belongs to. */
function overdueItems(input: ReadinessInput): Map<string, OverdueItem[]> {
  const { graph, facts, today } = input;
  const out = new Map<string, OverdueItem[]>();
  const push = (clause: string, item: OverdueItem): void => {
    const list = out.get(clause);
    if (list === undefined) out.set(clause, [item]);
    else list.push(item);
  };
  const inForce = new Map(facts.documents.map((d) => [d.recordId, d]));
  for (let i = 0; i < graph.size; i++) {
    if (graph.obsolete[i] === 1) continue;
    const type = graph.type(i);
    const key = graph.key(i);
    const f = graph.fields(i);
    const def = processOf(type);
    if (type === RECORD_TYPE.DOC) {
      const fact = inForce.get(graph.id(i));
      const due = fact === undefined ? undefined : reviewDueOn(fact);
      if (due !== undefined && due < today) push('4.2.4', { record: key, kind: 'document_review', what: `the periodic review of ${key} is overdue`, dueOn: due });
    } else if (type === RECORD_TYPE.CAPA && def !== undefined) {
      const clause = f['kind'] === 'preventive' ? '8.5.3' : '8.5.2';
      for (const l of lateCapaItems(f, isClosed(def, f, graph.status(i)), today)) push(clause, { record: key, kind: 'capa', what: l.what, dueOn: l.dueOn });
    } else if (type === RECORD_TYPE.CMP) {
      for (const l of lateReports(f, today)) push('8.2.3', { record: key, kind: 'report', what: l.what, dueOn: l.dueOn });
    } else if (type === RECORD_TYPE.SUP) {
      const due = reevaluationDueOn(f);
      if (due !== undefined && due < today) push('7.4.1', { record: key, kind: 'supplier_reevaluation', what: `${key} is overdue for re-evaluation`, dueOn: due });
    } else if (type === RECORD_TYPE.AF && def !== undefined) {
      const due = str(f['dueOn']);
      if (due !== null && due < today && !isClosed(def, f, graph.status(i))) push('8.2.4', { record: key, kind: 'finding', what: `${key} is open past its due date`, dueOn: due });
    } else if (type === RECORD_TYPE.MREV) {
      const actions = Array.isArray(f['actions']) ? (f['actions'] as readonly Readonly<Record<string, unknown>>[]) : [];
      for (const a of actions) {
        const due = str(a['dueOn']);
        if (due !== null && due < today && a['doneOn'] === undefined) {
          push('5.6.3', { record: key, kind: 'review_action', what: `the action "${String(a['description'])}" is not done`, dueOn: due });
        }
      }
    }
  }
  for (const t of facts.trainings) {
    if (t.superseded || t.completedOn !== null || !(t.dueOn < today)) continue;
    push('6.2', { record: t.documentKey, kind: 'training', what: `${t.username} is not trained on ${t.documentKey}${t.version === null ? '' : ` v${t.version}`}`, dueOn: t.dueOn });
  }
  for (const list of out.values()) list.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : naturalCompare(a.record, b.record)));
  return out;
}

/**
 * The readiness report of a product's quality system (see the module comment and {@link SCORE_METHOD}).
 */
export function readinessReport(input: ReadinessInput): ReadinessReport {
  const { graph, facts } = input;
  const inForce = new Set(facts.documents.map((d) => d.recordId));
  const docs: { readonly doc: z.infer<typeof DocumentEvidenceSchema>; readonly clauses: ReadonlySet<string> }[] = [];
  const counts = new Map<string, number>();
  for (let i = 0; i < graph.size; i++) {
    if (graph.obsolete[i] === 1) continue;
    const type = graph.type(i);
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if (type !== RECORD_TYPE.DOC) continue;
    const f = graph.fields(i);
    docs.push({
      doc: {
        key: graph.key(i),
        title: graph.title(i),
        docType: str(f['docType']) ?? 'procedure',
        number: str(f['number']),
        version: str(f['version']),
        status: graph.status(i),
        inForce: inForce.has(graph.id(i)),
      },
      clauses: new Set(clausesCovered(Array.isArray(f['clauses']) ? f['clauses'] : [])),
    });
  }
  const late = overdueItems(input);
  const clauses: ClauseReadiness[] = CLAUSE_MAP.map((entry) => {
    const applicable = entry.notApplicable === undefined;
    const covering = docs.filter((d) => d.clauses.has(entry.number)).map((d) => d.doc);
    const counting = entry.procedure ? covering.filter((d) => PROCEDURE_KINDS.includes(d.docType)) : covering;
    const types = evidenceTypes(entry, input.catalogClauses);
    const overdue = applicable ? (late.get(entry.number) ?? []) : [];
    const missing: string[] = [];
    const what = entry.procedure ? 'procedure' : 'document';
    if (applicable) {
      if (counting.length === 0) {
        missing.push(
          covering.length === 0
            ? `no ${what} covers ${entry.number}`
            : `no procedure covers ${entry.number}: ${covering.map((d) => `${d.key} (${d.docType.replace(/_/g, ' ')})`).join(', ')} cite it but are not procedures`,
        );
      } else if (!counting.some((d) => d.inForce)) {
        missing.push(`no ${what} covering ${entry.number} is in force: ${counting.map((d) => `${d.key} is ${d.status.replace(/_/g, ' ')}, not made effective`).join('; ')}`);
      }
    }
    const status: ClauseReadiness['status'] = !applicable
      ? 'not_applicable'
      : counting.length === 0
        ? 'missing'
        : !counting.some((d) => d.inForce)
          ? 'draft_only'
          : overdue.length > 0
            ? 'overdue'
            : 'met';
    return {
      number: entry.number,
      title: entry.title,
      status,
      notApplicable: entry.notApplicable ?? null,
      procedureRequired: entry.procedure,
      documents: covering,
      records: types.map((type) => ({ type, count: counts.get(type) ?? 0 })),
      processes: [...entry.processes],
      rules: clauseRules(entry.number, input.rules),
      missing,
      overdue,
    };
  });
  const n = (s: ClauseReadiness['status']): number => clauses.filter((c) => c.status === s).length;
  const applicable = clauses.length - n('not_applicable');
  const met = n('met');
  return {
    product: input.product,
    today: input.today,
    score: { met, applicable, percent: applicable === 0 ? 0 : Math.floor((100 * met) / applicable), method: SCORE_METHOD },
    counts: { met, overdue: n('overdue'), draftOnly: n('draft_only'), missing: n('missing'), notApplicable: n('not_applicable') },
    clauses,
  };
}

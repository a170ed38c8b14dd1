import { naturalCompare } from '../natural-order.js';
import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import { auditQuestion } from './audit-questions.js';
import { ISO13485_CLAUSES, iso13485Number, type Iso13485Clause } from './iso13485.js';
import { linked, recordClosed, stateOfRecord, textField, type QmsLinkRow, type QmsRecordRow } from './qms-records.js';

/**
 * The internal audit programme (ISO 13485 8.2.4): which applicable clauses the audits of a cycle cover, each audit
 * with its findings and their follow-up, auditor independence, and the checklist of one audit. Pure functions over
 * the product's records.
 */

export const FINDING_GRADES = ['major', 'minor', 'observation'] as const;
export type FindingGrade = (typeof FINDING_GRADES)[number];

/** True when two clause numbers overlap: equal, or one is a sub-clause of the other (`7.3` and `7.3.9`). */
export function clausesOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/** The ISO 13485 clause numbers named by a list of references (other standards' references left out). */
function isoNumbers(refs: unknown): string[] {
  if (!Array.isArray(refs)) return [];
  return refs.flatMap((r) => {
    const n = typeof r === 'string' ? iso13485Number(r) : undefined;
    return n === undefined ? [] : [n];
  });
}

/** A document an auditor owns whose clauses overlap the audit's scope. */
export interface IndependenceConflict {
  /** The scope clause (`7.3`). */
  readonly clause: string;
  /** `DOC-4` */
  readonly document: string;
  readonly title: string;
}

/**
 * The documents the auditor owns whose clauses overlap the audit's scope: an auditor does not audit their own work.
 * Obsolete documents do not count.
 */
export function independenceConflicts(
  audit: Pick<QmsRecordRow, 'fields'>,
  documents: readonly Pick<QmsRecordRow, 'type' | 'key' | 'title' | 'status' | 'fields'>[],
): IndependenceConflict[] {
  const auditor = audit.fields['auditor'];
  if (typeof auditor !== 'string') return [];
  const scope = isoNumbers(audit.fields['scope']);
  const out: IndependenceConflict[] = [];
  for (const d of documents) {
    if (d.type !== RECORD_TYPE.DOC || d.status === 'obsolete' || d.fields['owner'] !== auditor) continue;
    const docClauses = isoNumbers(d.fields['clauses']);
    for (const clause of scope) {
      if (docClauses.some((c) => clausesOverlap(c, clause))) out.push({ clause, document: d.key, title: d.title });
    }
  }
  return out;
}

/** One sentence naming the conflicts, for refusals and reports. */
export function describeConflicts(auditor: string, conflicts: readonly IndependenceConflict[]): string {
  const byDoc = new Map<string, string[]>();
  for (const c of conflicts) byDoc.set(`${c.document} "${c.title}"`, [...(byDoc.get(`${c.document} "${c.title}"`) ?? []), c.clause]);
  return `${auditor} owns ${[...byDoc].map(([d, cs]) => `${d} (clause ${cs.join(', ')})`).join(', ')}`;
}

export interface ProgrammeFinding {
  readonly key: string;
  readonly title: string;
  readonly grade: string;
  readonly clause: string;
  readonly state: string;
  readonly open: boolean;
  readonly dueOn: string | null;
  /** The CAPAs that address it. */
  readonly capas: string[];
}

export interface ProgrammeAudit {
  readonly key: string;
  readonly title: string;
  readonly state: string;
  readonly auditor: string | null;
  readonly plannedOn: string | null;
  readonly heldOn: string | null;
  readonly scope: string[];
  readonly findingsByGrade: Readonly<Record<FindingGrade, number>>;
  readonly findings: ProgrammeFinding[];
  readonly openFindings: number;
  /** Open findings no CAPA addresses. */
  readonly openWithoutCapa: number;
  readonly independence: IndependenceConflict[];
}

export interface ProgrammeClause {
  readonly number: string;
  readonly title: string;
  /** The audits of the cycle whose scope covers it. */
  readonly audits: string[];
}

export interface AuditProgramme {
  /** The cycle looked at, or null for every cycle. */
  readonly cycle: string | null;
  /** The cycles the product's audits name. */
  readonly cycles: string[];
  readonly audits: ProgrammeAudit[];
  /** Every applicable clause with the audits covering it. */
  readonly clauses: ProgrammeClause[];
  readonly uncovered: { readonly number: string; readonly title: string }[];
  readonly notApplicable: { readonly number: string; readonly title: string; readonly reason: string }[];
  readonly coverage: { readonly covered: number; readonly applicable: number };
}

/** The findings of an audit, with their grade, state and the CAPAs addressing them. */
function findingsOf(audit: QmsRecordRow, links: readonly QmsLinkRow[], byId: ReadonlyMap<number, QmsRecordRow>): ProgrammeFinding[] {
  return linked(links, byId, audit.id, 'found_in', 'to')
    .filter((f) => f.type === RECORD_TYPE.AF)
    .map((f) => ({
      key: f.key,
      title: f.title,
      grade: textField(f, 'grade') ?? 'observation',
      clause: textField(f, 'clause') ?? '',
      state: stateOfRecord(f),
      open: !recordClosed(f),
      dueOn: textField(f, 'dueOn') ?? null,
      capas: linked(links, byId, f.id, 'addresses', 'to')
        .filter((c) => c.type === RECORD_TYPE.CAPA && c.status !== 'obsolete')
        .map((c) => c.key),
    }))
    .sort((a, b) => naturalCompare(a.key, b.key));
}

/** An audit with its findings and independence, as the programme and management review list it. */
export function programmeAudit(audit: QmsRecordRow, records: readonly QmsRecordRow[], links: readonly QmsLinkRow[], byId?: ReadonlyMap<number, QmsRecordRow>): ProgrammeAudit {
  const index = byId ?? new Map(records.map((r) => [r.id, r]));
  const findings = findingsOf(audit, links, index);
  const byGrade = { major: 0, minor: 0, observation: 0 };
  for (const f of findings) if (f.grade in byGrade) byGrade[f.grade as FindingGrade]++;
  const open = findings.filter((f) => f.open);
  const scope = Array.isArray(audit.fields['scope']) ? (audit.fields['scope'] as string[]) : [];
  return {
    key: audit.key,
    title: audit.title,
    state: stateOfRecord(audit),
    auditor: textField(audit, 'auditor') ?? null,
    plannedOn: textField(audit, 'plannedOn') ?? null,
    heldOn: textField(audit, 'heldOn') ?? null,
    scope,
    findingsByGrade: byGrade,
    findings,
    openFindings: open.length,
    openWithoutCapa: open.filter((f) => f.capas.length === 0).length,
    independence: independenceConflicts(audit, records),
  };
}

const applicable = (): Iso13485Clause[] => ISO13485_CLAUSES.filter((c) => c.notApplicable === undefined);

/**
 * The audit programme of a cycle (every cycle when null): each applicable clause with the audits whose scope covers
 * it, the clauses no audit covers, and every audit with its findings. A cancelled (obsolete) audit covers nothing.
 */
export function auditProgramme(records: readonly QmsRecordRow[], links: readonly QmsLinkRow[], cycle: string | null): AuditProgramme {
  const byId = new Map(records.map((r) => [r.id, r]));
  const allAudits = records.filter((r) => r.type === RECORD_TYPE.AUD);
  const cycles = [...new Set(allAudits.map((a) => textField(a, 'cycle')).filter((c): c is string => c !== undefined))].sort();
  const audits = allAudits
    .filter((a) => cycle === null || textField(a, 'cycle') === cycle)
    .sort((a, b) => naturalCompare(a.key, b.key));
  const counting = audits.filter((a) => a.status !== 'obsolete');
  const clauses = applicable().map((c) => ({
    number: c.number,
    title: c.title,
    audits: counting.filter((a) => isoNumbers(a.fields['scope']).some((n) => c.number === n || c.number.startsWith(`${n}.`))).map((a) => a.key),
  }));
  const uncovered = clauses.filter((c) => c.audits.length === 0).map(({ number, title }) => ({ number, title }));
  return {
    cycle,
    cycles,
    audits: audits.map((a) => programmeAudit(a, records, links, byId)),
    clauses,
    uncovered,
    notApplicable: ISO13485_CLAUSES.filter((c) => c.notApplicable !== undefined).map((c) => ({ number: c.number, title: c.title, reason: c.notApplicable ?? '' })),
    coverage: { covered: clauses.length - uncovered.length, applicable: clauses.length },
  };
}

/** A document that gives evidence for a clause. */
export interface ChecklistDocument {
  readonly key: string;
  readonly title: string;
  readonly number: string | null;
  readonly status: string;
  /** The version in force, when known (made effective); else null. */
  readonly versionInForce: string | null;
  readonly owner: string | null;
}

export interface ChecklistItem {
  readonly clause: string;
  readonly title: string;
  readonly question: string;
  readonly documents: ChecklistDocument[];
  /** Record types whose catalog clauses name it, with how many active records the product has of each. */
  readonly recordTypes: { readonly type: string; readonly name: string; readonly records: number }[];
}

export interface AuditChecklist {
  readonly audit: string;
  readonly title: string;
  readonly auditor: string | null;
  readonly state: string;
  readonly items: ChecklistItem[];
  /** Scope references that name no clause of the list (another standard, a clause not listed). */
  readonly otherScope: string[];
  readonly independence: IndependenceConflict[];
}

/** What the checklist needs beside the records: the catalog's record types and their counts, versions in force. */
export interface ChecklistContext {
  readonly recordTypes: { readonly key: string; readonly name: string; readonly clauses: readonly string[] }[];
  /** Active (not obsolete) records per type. */
  readonly counts: ReadonlyMap<string, number>;
  /** Version in force per document record ID. */
  readonly versionsInForce: ReadonlyMap<number, string | null>;
}

/**
 * The checklist of one audit: per applicable clause its scope covers, our question, the documents whose clauses
 * overlap it (with the version in force) and the record types the catalog ties to it with their counts.
 */
export function auditChecklist(audit: QmsRecordRow, records: readonly QmsRecordRow[], ctx: ChecklistContext): AuditChecklist {
  const scopeRefs = Array.isArray(audit.fields['scope']) ? (audit.fields['scope'] as string[]) : [];
  const scope = isoNumbers(scopeRefs);
  const clauses = applicable().filter((c) => scope.some((n) => c.number === n || c.number.startsWith(`${n}.`)));
  const otherScope = scopeRefs.filter((ref) => {
    const n = iso13485Number(ref);
    return n === undefined || !ISO13485_CLAUSES.some((c) => c.number === n || c.number.startsWith(`${n}.`));
  });
  const documents = records.filter((r) => r.type === RECORD_TYPE.DOC && r.status !== 'obsolete');
  const items = clauses.map((c) => ({
    clause: c.number,
    title: c.title,
    question: auditQuestion(c.number, c.title),
    documents: documents
      .filter((d) => isoNumbers(d.fields['clauses']).some((n) => clausesOverlap(n, c.number)))
      .map((d) => ({
        key: d.key,
        title: d.title,
        number: textField(d, 'number') ?? null,
        status: d.status,
        versionInForce: ctx.versionsInForce.get(d.id) ?? null,
        owner: textField(d, 'owner') ?? null,
      })),
    recordTypes: ctx.recordTypes
      .filter((t) => isoNumbers(t.clauses).some((n) => clausesOverlap(n, c.number)))
      .map((t) => ({ type: t.key, name: t.name, records: ctx.counts.get(t.key) ?? 0 })),
  }));
  return {
    audit: audit.key,
    title: audit.title,
    auditor: textField(audit, 'auditor') ?? null,
    state: stateOfRecord(audit),
    items,
    otherScope,
    independence: independenceConflicts(audit, records),
  };
}

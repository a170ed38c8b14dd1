import { z } from 'zod';
import { compareDocumentVersions, type Quiz } from './fields.js';

/**
 * Document control and training (ISO 13485 4.2.4, 6.2; 21 CFR 11.10(i)): which version of a controlled document is
 * in force from when, its periodic reviews, who must be trained on it by when, and who was. Every row is written
 * once with its audit event (the whole row) and never changed or deleted: the database refuses it, and
 * `audit verify` proves each row from its event.
 */

/** A document version made effective (the newest row of a document is the version in force). */
export interface EffectivityRow {
  readonly id: number;
  readonly productId: number;
  readonly recordId: number;
  readonly revision: number;
  readonly version: string;
  /** YYYY-MM-DD */
  readonly effectiveOn: string;
  readonly madeAt: string;
  readonly madeBy: string;
}

export const REVIEW_OUTCOMES = ['still_valid', 'revision_needed'] as const;
export const ReviewOutcomeSchema = z.enum(REVIEW_OUTCOMES);
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;

/** A periodic review of the version in force. */
export interface DocumentReviewRow {
  readonly id: number;
  readonly productId: number;
  readonly recordId: number;
  readonly revision: number;
  /** YYYY-MM-DD */
  readonly reviewedOn: string;
  readonly outcome: ReviewOutcome;
  readonly note: string | null;
  readonly reviewedAt: string;
  readonly reviewedBy: string;
}

/** Someone who must be trained on a document version by a date. */
export interface TrainingAssignmentRow {
  readonly id: number;
  readonly productId: number;
  readonly recordId: number;
  readonly revision: number;
  readonly version: string;
  readonly username: string;
  /** The job role (record ID) that brought the assignment, or null (assigned directly). */
  readonly roleRecordId: number | null;
  readonly assignedOn: string;
  readonly dueOn: string;
  readonly assignedAt: string;
  readonly assignedBy: string;
}

export const TRAINING_METHODS = ['read_and_understood', 'quiz'] as const;
export const TrainingMethodSchema = z.enum(TRAINING_METHODS);
export type TrainingMethod = z.infer<typeof TrainingMethodSchema>;

/** One attempt at completing an assignment: a passed one completes it; a failed quiz is kept too. */
export interface TrainingCompletionRow {
  readonly id: number;
  readonly assignmentId: number;
  readonly method: TrainingMethod;
  /** Percent of right answers (quiz), else null. */
  readonly score: number | null;
  readonly passMark: number | null;
  readonly passed: boolean;
  /** The electronic signature of a passed attempt (entity type `training`); null for a failed quiz. */
  readonly signatureId: number | null;
  readonly completedAt: string;
}

/** Audit entity IDs: `RPM/DOC-3/effective/1`, `RPM/DOC-3/review/2`, `RPM/DOC-3/training/7`, `…/training/7/attempt/3`. */
export const effectivityEntityId = (recordKey: string, id: number): string => `${recordKey}/effective/${id}`;
export const documentReviewEntityId = (recordKey: string, id: number): string => `${recordKey}/review/${id}`;
export const assignmentEntityId = (recordKey: string, id: number): string => `${recordKey}/training/${id}`;
export const completionEntityId = (assignmentKey: string, id: number): string => `${assignmentKey}/attempt/${id}`;

/** The four append-only tables, as verification and exports name them. */
export type DocumentControlTable = 'effectivities' | 'reviews' | 'assignments' | 'completions';

/** The audit actions that write one row of these tables each, and the table they write. */
export const DOCUMENT_CONTROL_ACTIONS = {
  DOCUMENT_EFFECTIVE: 'effectivities',
  DOCUMENT_REVIEWED: 'reviews',
  TRAINING_ASSIGNED: 'assignments',
  TRAINING_COMPLETED: 'completions',
  TRAINING_FAILED: 'completions',
} as const satisfies Record<string, DocumentControlTable>;

/** Names the internal IDs a row holds as the audit trail names them (`DOC-3`, `JOB-2`). */
export interface RowNames {
  readonly productKey: string;
  /** `RPM/DOC-3` */
  readonly recordKey: string;
  /** `RPM/JOB-2`, or null. */
  readonly roleKey?: string | null;
}

/** What a DOCUMENT_EFFECTIVE event records: the whole row, named (the trail alone proves it). */
export function effectivityEventValue(r: EffectivityRow, n: RowNames): Record<string, unknown> {
  return { id: r.id, product: n.productKey, record: n.recordKey, revision: r.revision, version: r.version, effectiveOn: r.effectiveOn, madeAt: r.madeAt, madeBy: r.madeBy };
}

/** What a DOCUMENT_REVIEWED event records. */
export function documentReviewEventValue(r: DocumentReviewRow, n: RowNames): Record<string, unknown> {
  return {
    id: r.id,
    product: n.productKey,
    record: n.recordKey,
    revision: r.revision,
    reviewedOn: r.reviewedOn,
    outcome: r.outcome,
    note: r.note,
    reviewedAt: r.reviewedAt,
    reviewedBy: r.reviewedBy,
  };
}

/** What a TRAINING_ASSIGNED event records. */
export function assignmentEventValue(r: TrainingAssignmentRow, n: RowNames): Record<string, unknown> {
  return {
    id: r.id,
    product: n.productKey,
    record: n.recordKey,
    revision: r.revision,
    version: r.version,
    username: r.username,
    role: n.roleKey ?? null,
    assignedOn: r.assignedOn,
    dueOn: r.dueOn,
    assignedAt: r.assignedAt,
    assignedBy: r.assignedBy,
  };
}

/** What a TRAINING_COMPLETED (passed) or TRAINING_FAILED (a failed quiz) event records. */
export function completionEventValue(r: TrainingCompletionRow, n: RowNames & { readonly assignmentKey: string }): Record<string, unknown> {
  return {
    id: r.id,
    product: n.productKey,
    assignment: n.assignmentKey,
    method: r.method,
    score: r.score,
    passMark: r.passMark,
    passed: r.passed,
    signatureId: r.signatureId,
    completedAt: r.completedAt,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

/** `2026-12-15` plus `days` days. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `2026-01-31` plus `months` months, clamped to the month's last day (`2026-02-28`). */
export function addMonths(day: string, months: number): string {
  const [y = 0, m = 1, dd = 1] = day.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(dd, last)).padStart(2, '0')}`;
}

/** Days to complete training once a version becomes effective, unless the document says otherwise. */
export const DEFAULT_TRAINING_DAYS = 30;

// ---------------------------------------------------------------------------------------------------------------
// Versions in force

/** The version of a document in force on `day` (its newest effectivity row effective on or before), or undefined. */
export function versionInForce<T extends Pick<EffectivityRow, 'id' | 'effectiveOn'>>(rows: readonly T[], day?: string): T | undefined {
  let best: T | undefined;
  for (const r of rows) {
    if (day !== undefined && r.effectiveOn > day) continue;
    if (best === undefined || r.id > best.id) best = r;
  }
  return best;
}

/** Why a revision cannot become effective, or null when it may. */
export function makeEffectiveRefusal(
  doc: {
    readonly item: string;
    readonly status: string;
    readonly approvedRevision: number | null;
    readonly version: string | null;
  },
  current: Pick<EffectivityRow, 'revision' | 'version'> | undefined,
): string | null {
  if (doc.status === 'obsolete') return `${doc.item} is obsolete: an obsolete document never becomes effective again`;
  if (doc.approvedRevision === null) return `${doc.item} has no approved revision: a document is approved (signed) before it becomes effective`;
  if (doc.version === null) return `${doc.item} revision ${doc.approvedRevision} has no version field: set version (e.g. 1.0) and approve it again`;
  if (current === undefined) return null;
  if (current.revision === doc.approvedRevision) return `${doc.item} revision ${doc.approvedRevision} (version ${current.version}) is already effective`;
  if (compareDocumentVersions(doc.version, current.version) <= 0) {
    return `${doc.item} version ${doc.version} is not higher than version ${current.version}, which is in force`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Quiz

/** The result of a quiz attempt: percent right and whether it reaches the pass mark. */
export interface QuizResult {
  readonly score: number;
  readonly passMark: number;
  readonly passed: boolean;
  readonly right: number;
  readonly questions: number;
}

/**
 * Scores answers against a quiz (the answers are option indexes, one per question, in order).
 * @throws Error when the number of answers differs from the number of questions (the caller turns it into input)
 */
export function scoreQuiz(quiz: Quiz, answers: readonly number[]): QuizResult {
  if (answers.length !== quiz.questions.length) {
    throw new RangeError(`the quiz has ${quiz.questions.length} questions; ${answers.length} answers were given`);
  }
  const right = quiz.questions.filter((q, i) => answers[i] === q.answer).length;
  const score = Math.floor((right * 100) / quiz.questions.length);
  return { score, passMark: quiz.passMark, passed: score >= quiz.passMark, right, questions: quiz.questions.length };
}

// ---------------------------------------------------------------------------------------------------------------
// Untrained signatures (21 CFR 11.10(i))

/** A procedure version made effective, with the record types it governs. */
export interface GoverningVersion {
  readonly recordId: number;
  /** `DOC-7` */
  readonly documentKey: string;
  readonly revision: number;
  readonly version: string;
  readonly effectiveOn: string;
  /** Effectivity row ID: a later row supersedes an earlier one. */
  readonly order: number;
  readonly governs: readonly string[];
  /**
   * When the version was made effective in Dossier (ISO time). An effective date may lie in the past; a signature
   * made before the version was made effective was not made under it.
   */
  readonly madeAt?: string;
}

/** A training state of one user on one document version. */
export interface TrainingState {
  readonly recordId: number;
  readonly revision: number;
  readonly username: string;
  readonly dueOn: string;
  /** When it was completed (ISO time), or null. */
  readonly completedAt: string | null;
}

/** A signature on a record, reduced to what the training check reads. */
export interface RecordSignatureFact {
  readonly recordId: number;
  readonly recordKey: string;
  readonly recordType: string;
  readonly username: string;
  readonly signedAt: string;
}

/** A signature whose signer was not trained on a procedure governing the record then. */
export interface UntrainedSignature {
  readonly recordId: number;
  readonly recordKey: string;
  readonly username: string;
  readonly signedAt: string;
  /** `DOC-7 v2.0` */
  readonly document: string;
}

/**
 * Flags each record signature made while a procedure governing its record type was in force by someone not trained
 * on that version then: trained means a completion of that version before the signing, or of the version before it
 * while the assignment for the new one was not yet due (people have their training period).
 */
export function untrainedSignatures(
  versions: readonly GoverningVersion[],
  trainings: readonly TrainingState[],
  signatures: readonly RecordSignatureFact[],
): UntrainedSignature[] {
  const byDoc = new Map<number, GoverningVersion[]>();
  for (const v of versions) byDoc.set(v.recordId, [...(byDoc.get(v.recordId) ?? []), v]);
  for (const list of byDoc.values()) list.sort((a, b) => a.order - b.order);
  const completedAt = (recordId: number, revision: number, username: string): string | null => {
    let first: string | null = null;
    for (const t of trainings) {
      if (t.recordId !== recordId || t.revision !== revision || t.username !== username || t.completedAt === null) continue;
      if (first === null || t.completedAt < first) first = t.completedAt;
    }
    return first;
  };
  const dueOn = (recordId: number, revision: number, username: string): string | null => {
    const due = trainings.filter((t) => t.recordId === recordId && t.revision === revision && t.username === username).map((t) => t.dueOn);
    return due.length === 0 ? null : due.sort()[0] ?? null;
  };
  const out: UntrainedSignature[] = [];
  for (const s of signatures) {
    const day = s.signedAt.slice(0, 10);
    for (const list of byDoc.values()) {
      const known = list.filter((v) => v.madeAt === undefined || v.madeAt <= s.signedAt);
      const inForce = versionInForce(known.map((v) => ({ ...v, id: v.order })), day);
      if (inForce === undefined || !inForce.governs.includes(s.recordType)) continue;
      const done = completedAt(inForce.recordId, inForce.revision, s.username);
      if (done !== null && done <= s.signedAt) continue;
      const previous = [...known].reverse().find((v) => v.order < inForce.order);
      if (previous !== undefined) {
        const prevDone = completedAt(previous.recordId, previous.revision, s.username);
        const due = dueOn(inForce.recordId, inForce.revision, s.username);
        if (prevDone !== null && prevDone <= s.signedAt && due !== null && day <= due) continue;
      }
      out.push({ recordId: s.recordId, recordKey: s.recordKey, username: s.username, signedAt: s.signedAt, document: `${inForce.documentKey} v${inForce.version}` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Training status

export const TRAINING_STATUSES = ['completed', 'open', 'overdue', 'superseded'] as const;
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];

/** An assignment with what became of it. */
export interface AssignmentState {
  readonly assignment: TrainingAssignmentRow;
  /** The passed completion, if any. */
  readonly completion: TrainingCompletionRow | null;
  /** Failed quiz attempts. */
  readonly failedAttempts: number;
  /** A newer version of the document is in force: this assignment no longer counts (completed or not). */
  readonly superseded: boolean;
  readonly status: TrainingStatus;
}

/**
 * The state of every assignment on `today`: completed (a passed completion), superseded (a newer version of its
 * document is in force and it was not completed), overdue (open past its due date) or open.
 */
export function assignmentStates(
  assignments: readonly TrainingAssignmentRow[],
  completions: readonly TrainingCompletionRow[],
  effectivities: readonly EffectivityRow[],
  today: string,
): AssignmentState[] {
  const inForce = new Map<number, EffectivityRow>();
  for (const e of effectivities) {
    const cur = inForce.get(e.recordId);
    if (cur === undefined || e.id > cur.id) inForce.set(e.recordId, e);
  }
  const passed = new Map<number, TrainingCompletionRow>();
  const failed = new Map<number, number>();
  for (const c of completions) {
    if (c.passed) {
      if (!passed.has(c.assignmentId)) passed.set(c.assignmentId, c);
    } else failed.set(c.assignmentId, (failed.get(c.assignmentId) ?? 0) + 1);
  }
  return assignments.map((a) => {
    const completion = passed.get(a.id) ?? null;
    const current = inForce.get(a.recordId);
    const superseded = current !== undefined && current.revision !== a.revision;
    const status: TrainingStatus = completion !== null ? 'completed' : superseded ? 'superseded' : a.dueOn < today ? 'overdue' : 'open';
    return { assignment: a, completion, failedAttempts: failed.get(a.id) ?? 0, superseded, status };
  });
}

/** The next periodic review of a version in force: its interval after the last review, or after it became effective. */
export function nextReviewDue(effectiveOn: string, lastReviewedOn: string | null, intervalMonths: number | null): string | null {
  if (intervalMonths === null) return null;
  return addMonths(lastReviewedOn ?? effectiveOn, intervalMonths);
}

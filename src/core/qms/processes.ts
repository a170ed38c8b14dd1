import type { RecordStatus } from '../catalog/lifecycle.js';
import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import { RECORD_TYPES } from '../catalog/record-types.js';
import { AUDIT_STATES, CAPA_STATES, CHANGE_STATES, COMPLAINT_STATES, FINDING_STATES, NC_STATES, REVIEW_STATES, SUPPLIER_STATES } from './fields.js';

/**
 * The quality processes as data: each process record type has a `state` field, the moves between states, what a
 * state needs before a record may enter it, and what its closing (or approving) signature needs. The record's own
 * lifecycle (draft → in review → approved) runs beside it: a process is closed, or a change approved, by the
 * electronic signatures of the record's workflow, so closure is always signed and its approval bound to the exact
 * content. The QMS record hooks check all of this on every write, whichever command makes it.
 */

type Fields = Readonly<Record<string, unknown>>;

/** What a state, or the approval, still needs: the missing things in words, or an empty list. */
export type Needs = (fields: Fields) => readonly string[];

export interface ProcessDef {
  readonly type: string;
  /** The process's name for messages: `CAPA`, `complaint`. */
  readonly name: string;
  readonly states: readonly string[];
  /** Allowed moves `from → to`; staying in a state is always allowed. */
  readonly moves: readonly (readonly [string, string])[];
  /** What entering a state needs. */
  readonly needs: Readonly<Record<string, Needs>>;
  /** What every revision needs, whatever its state (a decision always carries its reason). */
  readonly always?: Needs;
  /** The signature that completes the record's workflow: the states it may be given in, what it needs, and what the
   * process is called once approved in such a state (`closed`, `approved`). */
  readonly approval: { readonly states: readonly string[]; readonly label: string; readonly needs?: Needs };
}

/** Each state may move to the next, and back to the one before (a reopened investigation). */
function linear(states: readonly string[]): (readonly [string, string])[] {
  const out: (readonly [string, string])[] = [];
  for (let i = 0; i + 1 < states.length; i++) {
    const a = states[i] as string;
    const b = states[i + 1] as string;
    out.push([a, b], [b, a]);
  }
  return out;
}

const has = (f: Fields, key: string): boolean => f[key] !== undefined && f[key] !== null && !(Array.isArray(f[key]) && (f[key] as unknown[]).length === 0);

/** Lists each named field that is missing, as `rootCause (the root cause)`. */
function fieldsNeeded(required: Readonly<Record<string, string>>): Needs {
  return (f) => Object.entries(required).filter(([k]) => !has(f, k)).map(([k, what]) => `${k} (${what})`);
}

const both = (...needs: Needs[]): Needs => (f) => needs.flatMap((n) => n(f));

const capaActionsDone: Needs = (f) => {
  const actions = (f['actions'] ?? []) as readonly { description: string; doneOn?: string }[];
  const open = actions.filter((a) => a.doneOn === undefined);
  return open.length === 0 ? [] : open.map((a) => `the action "${a.description}" done (doneOn)`);
};

const CAPA_CORE = CAPA_STATES.filter((s) => s !== 'rejected');

export const CAPA_PROCESS: ProcessDef = {
  type: RECORD_TYPE.CAPA,
  name: 'CAPA',
  states: CAPA_STATES,
  moves: [...linear(CAPA_CORE), ['open', 'rejected'], ['investigation', 'rejected'], ['rejected', 'open']],
  needs: {
    investigation: fieldsNeeded({ problem: 'the problem statement' }),
    planned: fieldsNeeded({ rootCause: 'the root cause', causeCategory: 'the cause category' }),
    implementation: fieldsNeeded({ actions: 'at least one action with its owner and due date' }),
    verification: capaActionsDone,
    effectiveness_check: both(
      fieldsNeeded({ implementationVerification: 'how the implemented actions were checked', effectivenessCriteria: 'the effectiveness criteria', effectivenessDueOn: 'when effectiveness is checked' }),
      capaActionsDone,
    ),
    rejected: fieldsNeeded({ rejectionRationale: 'why the CAPA is rejected' }),
  },
  approval: {
    states: ['effectiveness_check', 'rejected'],
    label: 'closed',
    needs: (f) => {
      if (f['state'] === 'rejected') return [];
      if (f['effectivenessResult'] === undefined) return ['effectivenessResult (the result of the effectiveness check: effective or not_effective)'];
      if (f['effectivenessResult'] === 'not_effective') {
        return ['an effective result: the check found the actions not effective, so move the CAPA back to investigation or planned'];
      }
      return [];
    },
  },
};

export const COMPLAINT_PROCESS: ProcessDef = {
  type: RECORD_TYPE.CMP,
  name: 'complaint',
  states: COMPLAINT_STATES,
  moves: [...linear(COMPLAINT_STATES), ['triage', 'reportability_decided']],
  needs: {
    triage: fieldsNeeded({ category: 'the complaint category' }),
    investigation: fieldsNeeded({ investigate: 'whether it is investigated (true)' }),
    reportability_decided: (f) => [
      ...(f['investigate'] === false && !has(f, 'noInvestigationReason') ? ['noInvestigationReason (why no investigation is needed)'] : []),
      ...(f['investigate'] === true && !has(f, 'investigation') ? ['investigation (what the investigation found)'] : []),
      ...fieldsNeeded({ awareOn: 'the day the company became aware', fdaReportability: 'the FDA (21 CFR 803) decision', euReportability: 'the EU MDR Art. 87 decision' })(f),
    ],
    action: fieldsNeeded({ correction: 'the correction or action taken' }),
    reply_sent: fieldsNeeded({ replySentOn: 'when the reply was sent' }),
  },
  // A reportability decision, either way, is justified (21 CFR 803.17 procedures; EU MDR Art. 87).
  always: (f) =>
    (has(f, 'fdaReportability') || has(f, 'euReportability')) && !has(f, 'reportabilityRationale')
      ? ['reportabilityRationale (why the event is or is not reportable) with its reportability decision']
      : [],
  approval: { states: ['reply_sent'], label: 'closed' },
};

export const NONCONFORMANCE_PROCESS: ProcessDef = {
  type: RECORD_TYPE.NC,
  name: 'nonconformance',
  states: NC_STATES,
  moves: linear(NC_STATES),
  needs: {
    evaluated: fieldsNeeded({ requirement: 'the requirement not met', evaluation: 'the evaluation' }),
    disposition_proposed: fieldsNeeded({ disposition: 'the disposition', dispositionJustification: 'why that disposition' }),
    actions_done: (f) => [
      ...fieldsNeeded({ actions: 'the actions taken' })(f),
      ...(f['capaNeeded'] === undefined ? ['capaNeeded (whether a CAPA is needed)'] : []),
      ...(f['capaNeeded'] === false && !has(f, 'noCapaReason') ? ['noCapaReason (why no CAPA is needed)'] : []),
    ],
  },
  // ISO 13485 8.3: a disposition is justified, and so is a decision that no CAPA is needed.
  always: (f) => [
    ...(has(f, 'disposition') && !has(f, 'dispositionJustification') ? ['dispositionJustification (why that disposition) with its disposition'] : []),
    ...(f['capaNeeded'] === false && !has(f, 'noCapaReason') ? ['noCapaReason (why no CAPA is needed) when capaNeeded is false'] : []),
  ],
  approval: { states: ['actions_done'], label: 'closed' },
};

export const AUDIT_PROCESS: ProcessDef = {
  type: RECORD_TYPE.AUD,
  name: 'internal audit',
  states: AUDIT_STATES,
  moves: linear(AUDIT_STATES),
  needs: {
    in_progress: fieldsNeeded({ auditor: 'the auditor', plannedOn: 'the planned day' }),
    reported: fieldsNeeded({ heldOn: 'the day it was held', summary: 'a summary of the evidence seen' }),
  },
  approval: { states: ['reported'], label: 'closed' },
};

export const FINDING_PROCESS: ProcessDef = {
  type: RECORD_TYPE.AF,
  name: 'audit finding',
  states: FINDING_STATES,
  moves: [...linear(FINDING_STATES), ['open', 'corrected']],
  needs: {},
  approval: { states: ['corrected'], label: 'closed' },
};

export const REVIEW_PROCESS: ProcessDef = {
  type: RECORD_TYPE.MREV,
  name: 'management review',
  states: REVIEW_STATES,
  moves: linear(REVIEW_STATES),
  needs: {
    inputs_compiled: fieldsNeeded({ inputsDigest: 'the compiled inputs (dossier qms review inputs)' }),
    held: fieldsNeeded({ heldOn: 'the day it was held', attendees: 'who attended', outputs: 'the outputs and decisions' }),
  },
  // The signature on a held review signs its minutes.
  approval: { states: ['held'], label: 'minutes signed' },
};

export const SUPPLIER_PROCESS: ProcessDef = {
  type: RECORD_TYPE.SUP,
  name: 'supplier',
  states: SUPPLIER_STATES,
  moves: [
    ['proposed', 'evaluating'],
    ['evaluating', 'approved'],
    ['evaluating', 'conditional'],
    ['evaluating', 'blocked'],
    ['approved', 'evaluating'],
    ['conditional', 'evaluating'],
    ['blocked', 'evaluating'],
    ['approved', 'blocked'],
    ['conditional', 'blocked'],
  ],
  needs: {
    approved: fieldsNeeded({ evaluation: 'the evaluation', evaluatedOn: 'when it was evaluated' }),
    conditional: fieldsNeeded({ evaluation: 'the evaluation and its conditions', evaluatedOn: 'when it was evaluated' }),
    blocked: fieldsNeeded({ evaluation: 'why it is blocked' }),
  },
  approval: { states: ['approved', 'conditional', 'blocked'], label: 'evaluation approved' },
};

export const CHANGE_PROCESS: ProcessDef = {
  type: RECORD_TYPE.CR,
  name: 'change request',
  states: CHANGE_STATES,
  moves: linear(CHANGE_STATES),
  needs: {
    assessed: fieldsNeeded({ safetyImpact: 'the safety impact', regulatorySignificance: 'the regulatory significance' }),
    verified: fieldsNeeded({ verification: 'how the change was verified' }),
    released: fieldsNeeded({ release: 'the release that ships it' }),
  },
  approval: { states: ['assessed'], label: 'approved' },
};

export const PROCESSES: readonly ProcessDef[] = [
  CAPA_PROCESS,
  COMPLAINT_PROCESS,
  NONCONFORMANCE_PROCESS,
  AUDIT_PROCESS,
  FINDING_PROCESS,
  REVIEW_PROCESS,
  SUPPLIER_PROCESS,
  CHANGE_PROCESS,
];

const BY_TYPE = new Map(PROCESSES.map((p) => [p.type, p]));

export function processOf(type: string): ProcessDef | undefined {
  return BY_TYPE.get(type);
}

/** The `state` field of a process record (its first state when absent). */
export function stateOf(def: ProcessDef, fields: Fields): string {
  const s = fields['state'];
  return typeof s === 'string' ? s : (def.states[0] ?? '');
}

/** What a state needs that the fields lack (empty: nothing). */
export function missingFor(def: ProcessDef, state: string, fields: Fields): readonly string[] {
  return def.needs[state]?.(fields) ?? [];
}

/** What any revision of the process needs that the fields lack (empty: nothing). */
export function missingAlways(def: ProcessDef, fields: Fields): readonly string[] {
  return def.always?.(fields) ?? [];
}

/** True when `from → to` is allowed (staying put always is). */
export function canMove(def: ProcessDef, from: string, to: string): boolean {
  return from === to || def.moves.some(([a, b]) => a === from && b === to);
}

/** The states reachable from `from` in one move. */
export function movesFrom(def: ProcessDef, from: string): readonly string[] {
  return def.moves.filter(([a]) => a === from).map(([, b]) => b);
}

/**
 * Where a process record stands, as people say it: its state, or the approval label (`closed`) when its record is
 * approved in a state the approval may be given in. An obsolete record is `cancelled`.
 */
export function processState(def: ProcessDef, fields: Fields, status: RecordStatus): string {
  const state = stateOf(def, fields);
  if (status === 'obsolete') return 'cancelled';
  if (status === 'approved' && def.approval.states.includes(state)) return def.approval.label;
  return state;
}

/** True when the process is finished: closed by its signature (or cancelled). Suppliers and changes carry on. */
export function isClosed(def: ProcessDef, fields: Fields, status: RecordStatus): boolean {
  const s = processState(def, fields, status);
  return s === 'closed' || s === 'cancelled' || s === 'minutes signed';
}

/** Record types of the quality system itself (not of the product's design file): the catalog's `quality` group. */
const QUALITY_SYSTEM_TYPES: ReadonlySet<string> = new Set(RECORD_TYPES.filter((t) => t.group === 'quality').map((t) => t.key));

/** Document kinds of the quality system (as against a product's plans, reports, specifications and labeling). */
const QUALITY_SYSTEM_DOCUMENTS: ReadonlySet<string> = new Set(['quality_manual', 'policy', 'procedure', 'work_instruction', 'form']);

/**
 * True for a record of the quality system rather than of the product's design file: a process record (an open CAPA,
 * a complaint under investigation), a job role or competence record, or a QMS document (an SOP in review). A release
 * ships the design file; these run on their own lifecycle and do not hold up a release baseline.
 */
export function isQualitySystemRecord(type: string, fields: Fields): boolean {
  return QUALITY_SYSTEM_TYPES.has(type) || (type === RECORD_TYPE.DOC && QUALITY_SYSTEM_DOCUMENTS.has(String(fields['docType'])));
}

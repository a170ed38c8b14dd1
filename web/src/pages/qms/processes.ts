/**
 * The quality processes as the overview page shows them: their tabs (`qms?tab=capa`), their states and the moves a
 * person may make from each (the server's process definitions, checked equal by the test beside this file).
 */

/** The process kinds `qms.list` takes. */
export type ProcessKind = 'capa' | 'complaint' | 'nc' | 'audit' | 'finding' | 'review' | 'supplier' | 'change';

export interface ProcessInfo {
  readonly kind: ProcessKind;
  /** The tab's label. */
  readonly label: string;
  /** One record, in words. */
  readonly noun: string;
  readonly type: string;
  readonly states: readonly string[];
  readonly moves: readonly (readonly [string, string])[];
}

function linear(states: readonly string[]): (readonly [string, string])[] {
  const out: (readonly [string, string])[] = [];
  for (let i = 0; i + 1 < states.length; i++) out.push([states[i] ?? '', states[i + 1] ?? ''], [states[i + 1] ?? '', states[i] ?? '']);
  return out;
}

const CAPA_CORE = ['open', 'investigation', 'planned', 'implementation', 'verification', 'effectiveness_check'];
const COMPLAINT = ['received', 'triage', 'investigation', 'reportability_decided', 'action', 'reply_sent'];

export const PROCESSES: readonly ProcessInfo[] = [
  {
    kind: 'capa',
    label: 'CAPA',
    noun: 'CAPA',
    type: 'CAPA',
    states: [...CAPA_CORE, 'rejected'],
    moves: [...linear(CAPA_CORE), ['open', 'rejected'], ['investigation', 'rejected'], ['rejected', 'open']],
  },
  { kind: 'complaint', label: 'Complaints', noun: 'complaint', type: 'CMP', states: COMPLAINT, moves: [...linear(COMPLAINT), ['triage', 'reportability_decided']] },
  { kind: 'nc', label: 'Nonconformances', noun: 'nonconformance', type: 'NC', states: ['reported', 'evaluated', 'disposition_proposed', 'actions_done'], moves: linear(['reported', 'evaluated', 'disposition_proposed', 'actions_done']) },
  { kind: 'change', label: 'Change requests', noun: 'change request', type: 'CR', states: ['submitted', 'assessed', 'implemented', 'verified', 'released'], moves: linear(['submitted', 'assessed', 'implemented', 'verified', 'released']) },
  { kind: 'audit', label: 'Audits', noun: 'internal audit', type: 'AUD', states: ['planned', 'in_progress', 'reported'], moves: linear(['planned', 'in_progress', 'reported']) },
  { kind: 'finding', label: 'Audit findings', noun: 'audit finding', type: 'AF', states: ['open', 'capa_raised', 'corrected'], moves: [...linear(['open', 'capa_raised', 'corrected']), ['open', 'corrected']] },
  { kind: 'review', label: 'Management reviews', noun: 'management review', type: 'MREV', states: ['planned', 'inputs_compiled', 'held'], moves: linear(['planned', 'inputs_compiled', 'held']) },
  {
    kind: 'supplier',
    label: 'Suppliers',
    noun: 'supplier',
    type: 'SUP',
    states: ['proposed', 'evaluating', 'approved', 'conditional', 'blocked'],
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
  },
];

/** The page's tabs: each process, then readiness and document control. */
export const TABS = [...PROCESSES.map((p) => ({ value: p.kind, label: p.label })), { value: 'readiness', label: 'ISO 13485 readiness' }, { value: 'documents', label: 'Document control' }];

/** The tab a URL names (`?tab=capa`), or the first. */
export function tabOf(param: string | null): string {
  return TABS.some((t) => t.value === param) ? (param ?? 'capa') : 'capa';
}

export function processInfo(kind: string): ProcessInfo | undefined {
  return PROCESSES.find((p) => p.kind === kind);
}

/**
 * The states a record may move to from the state the list shows. A list state that is not a process state (`closed`,
 * `cancelled`, `minutes signed`: the record's signature closed it) allows no move here.
 */
export function nextStates(info: ProcessInfo, shown: string): string[] {
  if (!info.states.includes(shown)) return [];
  return info.moves.filter(([a]) => a === shown).map(([, b]) => b);
}

/** A state as people read it: `effectiveness_check` → `effectiveness check`. */
export function stateLabel(state: string): string {
  return state.replaceAll('_', ' ');
}

/**
 * Badge colours dark enough for white text at 4.5:1 and more (Mantine's green 9, orange 9 and yellow 9 are not).
 */
export const TONE = {
  good: '#1e6b32',
  bad: '#b02525',
  warn: '#9a3f00',
  pending: '#6b4f00',
  info: '#1f4f99',
  neutral: '#495057',
} as const;

/** The colour of a state's badge: closed green, cancelled or rejected grey, blocked red, the rest blue. */
export function stateColor(state: string): string {
  if (['closed', 'minutes signed', 'evaluation approved', 'approved', 'released', 'corrected'].includes(state)) return TONE.good;
  if (['cancelled', 'rejected', 'obsolete'].includes(state)) return TONE.neutral;
  if (state === 'blocked') return TONE.bad;
  if (state === 'in_review') return TONE.pending;
  return TONE.info;
}

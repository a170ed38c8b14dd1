import { TONE as SHARED } from '../../components/tones';

/**
 * The quality processes as the overview page shows them: their tabs (`qms?tab=capa`), their states and the moves a
 * person may make from each (the server's process definitions, checked equal by the test beside this file).
 */

/** The process kinds `qms.list` takes. */
export type ProcessKind = 'capa' | 'complaint' | 'nc' | 'audit' | 'finding' | 'review' | 'supplier' | 'change';

/** How the page names a process; its states and moves come from the server with its records (`qms.list`). */
export interface ProcessInfo {
  readonly kind: ProcessKind;
  /** The tab's label. */
  readonly label: string;
  /** One record, in words. */
  readonly noun: string;
  readonly type: string;
}

export const PROCESSES: readonly ProcessInfo[] = [
  { kind: 'capa', label: 'CAPA', noun: 'CAPA', type: 'CAPA' },
  { kind: 'complaint', label: 'Complaints', noun: 'complaint', type: 'CMP' },
  { kind: 'nc', label: 'Nonconformances', noun: 'nonconformance', type: 'NC' },
  { kind: 'change', label: 'Change requests', noun: 'change request', type: 'CR' },
  { kind: 'audit', label: 'Audits', noun: 'internal audit', type: 'AUD' },
  { kind: 'finding', label: 'Audit findings', noun: 'audit finding', type: 'AF' },
  { kind: 'review', label: 'Management reviews', noun: 'management review', type: 'MREV' },
  { kind: 'supplier', label: 'Suppliers', noun: 'supplier', type: 'SUP' },
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
export function nextStates(process: { readonly states: readonly string[]; readonly moves: readonly (readonly [string, string])[] }, shown: string): string[] {
  if (!process.states.includes(shown)) return [];
  return process.moves.filter(([a]) => a === shown).map(([, b]) => b);
}

/** A state as people read it: `effectiveness_check` → `effectiveness check`. */
export function stateLabel(state: string): string {
  return state.replaceAll('_', ' ');
}

/** The badge tones of the processes' states, from the shared tones. */
export const TONE = { good: SHARED.green, bad: SHARED.red, warn: SHARED.orange, pending: SHARED.amber, info: SHARED.blue, neutral: SHARED.gray } as const;

/** The colour of a state's badge: closed green, cancelled or rejected grey, blocked red, the rest blue. */
export function stateColor(state: string): string {
  if (['closed', 'minutes signed', 'evaluation approved', 'approved', 'released', 'corrected'].includes(state)) return TONE.good;
  if (['cancelled', 'rejected', 'obsolete'].includes(state)) return TONE.neutral;
  if (state === 'blocked') return TONE.bad;
  if (state === 'in_review') return TONE.pending;
  return TONE.info;
}

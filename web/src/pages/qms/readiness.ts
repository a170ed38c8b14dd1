/** How the readiness tab words and colours a clause's status. */
import { TONE } from './processes';

const LABEL: Readonly<Record<string, string>> = {
  met: 'met',
  overdue: 'overdue',
  draft_only: 'draft only',
  missing: 'missing',
  not_applicable: 'not applicable',
};

const COLOR: Readonly<Record<string, string>> = {
  met: TONE.good,
  overdue: TONE.bad,
  draft_only: TONE.pending,
  missing: TONE.warn,
  not_applicable: TONE.neutral,
};

export function readinessLabel(status: string): string {
  return LABEL[status] ?? status.replaceAll('_', ' ');
}

export function readinessColor(status: string): string {
  return COLOR[status] ?? TONE.neutral;
}

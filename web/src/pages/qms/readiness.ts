/** How the readiness tab words and colours a clause's status. */

const LABEL: Readonly<Record<string, string>> = {
  met: 'met',
  overdue: 'overdue',
  draft_only: 'draft only',
  missing: 'missing',
  not_applicable: 'not applicable',
};

const COLOR: Readonly<Record<string, string>> = {
  met: 'green.9',
  overdue: 'red.8',
  draft_only: 'yellow.9',
  missing: 'orange.9',
  not_applicable: 'gray.7',
};

export function readinessLabel(status: string): string {
  return LABEL[status] ?? status.replaceAll('_', ' ');
}

export function readinessColor(status: string): string {
  return COLOR[status] ?? 'gray.7';
}

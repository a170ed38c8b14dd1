import type { AuditExport } from '../core/audit-export.js';
import { toCsv } from './csv.js';

/** The columns of an audit CSV: every field of an event, in the trail's own order, then the actor's printed name. */
export const AUDIT_CSV_HEAD = [
  'seq',
  'occurredAt',
  'actor',
  'action',
  'entityType',
  'entityId',
  'productKey',
  'oldValue',
  'newValue',
  'reason',
  'prevHash',
  'hash',
  'actorName',
] as const;

/** The first cell of the last row, which carries the verification result instead of an event. */
export const AUDIT_CSV_VERIFICATION = '#verification';

/**
 * An audit export as CSV: a header row, one row per event with every column (an empty cell for a null), and a
 * last row that starts with `#verification` and holds the verification result as `name=value` cells (`ok=true`,
 * `headSeq=…`, `headHash=…`, counts, `exportedAt=…`, the filters), padded to the same width so any spreadsheet
 * or CSV reader opens it; a program reading the events stops at that row. Cells go through {@link toCsv}, so text
 * that starts like a formula is neutralised.
 */
export function auditCsv(exp: AuditExport): string {
  const rows: string[][] = [[...AUDIT_CSV_HEAD]];
  const names = new Map(exp.actors.map((a) => [a.username, a.printedName]));
  for (const e of exp.events) {
    rows.push([
      String(e.seq),
      e.occurredAt,
      e.actor,
      e.action,
      e.entityType,
      e.entityId,
      e.productKey ?? '',
      e.oldValue ?? '',
      e.newValue ?? '',
      e.reason ?? '',
      e.prevHash,
      e.hash,
      names.get(e.actor) ?? '',
    ]);
  }
  const v = exp.verification;
  const first = v.problems[0];
  const last = [
    AUDIT_CSV_VERIFICATION,
    `ok=${String(v.ok)}`,
    `headSeq=${v.head === null ? '' : String(v.head.seq)}`,
    `headHash=${v.head?.hash ?? ''}`,
    `eventsChecked=${v.eventsChecked}`,
    `revisionsChecked=${v.revisionsChecked}`,
    `problems=${v.problemCount}`,
    `firstProblem=${first === undefined ? '' : (first.message ?? `${first.kind}${first.seq === undefined ? '' : ` at event ${first.seq}`}`)}`,
    `exportedAt=${exp.exportedAt}`,
    `events=${exp.total}`,
    `filter=${Object.entries(exp.filter)
      .map(([k, x]) => `${k}:${Array.isArray(x) ? x.join('|') : String(x)}`)
      .join(' ')}`,
  ];
  while (last.length < AUDIT_CSV_HEAD.length) last.push('');
  rows.push(last);
  return toCsv(rows);
}

import { toCsv } from './csv.js';

/** What a record's history export reads: the `record.history` output (structurally, so export needs no app import). */
export interface RecordHistoryDoc {
  readonly productKey: string;
  readonly key: string;
  readonly head: { readonly type: string; readonly status: string; readonly latestRevision: number; readonly approvedRevision: number | null };
  readonly approval: string | null;
  readonly revisions: readonly {
    readonly revision: number;
    readonly title: string;
    readonly hash: string;
    readonly createdAt: string;
    readonly createdBy: string;
    readonly signatures: readonly {
      readonly id: number;
      readonly meaning: string;
      readonly username: string;
      readonly printedName: string;
      readonly signedAt: string;
      readonly signedAtText: string;
      readonly contentHash: string;
      readonly superseded: boolean;
      readonly manifestation: string;
    }[];
  }[];
  readonly events: readonly {
    readonly seq: number;
    readonly occurredAt: string;
    readonly actor: string;
    readonly action: string;
    readonly entityId: string;
    readonly newValue: string | null;
    readonly reason: string | null;
  }[];
}

/** One line of a record's history: a revision, a signature on it, or an audit event; in the order of the trail. */
export interface HistoryLine {
  readonly kind: 'revision' | 'signature' | 'event';
  readonly at: string;
  readonly who: string;
  readonly revision: string;
  readonly what: string;
  /** The hash signed or written (and `superseded` for a signature on an older revision). */
  readonly detail: string;
  /** The audit event's sequence number; empty for revisions and signatures. */
  readonly seq: string;
  readonly reason: string;
}

/** A short human description of an audit event about a record. */
export function describeRecordEvent(action: string, newValue: string | null): string {
  const v = newValue === null ? {} : (JSON.parse(newValue) as Record<string, unknown>);
  switch (action) {
    case 'RECORD_CREATED':
      return `created revision ${String(v['revision'])}`;
    case 'RECORD_REVISED':
      return `revised to revision ${String(v['revision'])}`;
    case 'RECORD_STATUS_CHANGED':
      return `status → ${String(v['status'])}`;
    case 'SIGNATURE_APPLIED':
      return `signed as ${String(v['meaning'])} (revision ${String(v['revision'])})`;
    default:
      return action;
  }
}

/**
 * The one model both the human-readable and the machine-readable history come from (21 CFR 11.10(b)): each
 * revision with its hash, each signature's manifestation under the revision it signed, then the audit events.
 */
export function recordHistoryLines(h: RecordHistoryDoc): HistoryLine[] {
  const lines: HistoryLine[] = [];
  for (const r of h.revisions) {
    lines.push({ kind: 'revision', at: r.createdAt, who: r.createdBy, revision: String(r.revision), what: r.title, detail: `sha256 ${r.hash}`, seq: '', reason: '' });
    for (const s of r.signatures) {
      lines.push({ kind: 'signature', at: s.signedAt, who: s.username, revision: String(r.revision), what: s.manifestation, detail: `sha256 ${s.contentHash}${s.superseded ? ' superseded' : ''}`, seq: '', reason: '' });
    }
  }
  for (const e of h.events) {
    lines.push({ kind: 'event', at: e.occurredAt, who: e.actor, revision: '', what: describeRecordEvent(e.action, e.newValue), detail: e.action, seq: String(e.seq), reason: e.reason ?? '' });
  }
  return lines;
}

/** The approval line: how the record's approval was given. */
export function approvalText(h: RecordHistoryDoc): string {
  if (h.approval === null) return `${h.productKey}/${h.key} is ${h.head.status}`;
  return h.approval === 'electronic'
    ? `${h.productKey}/${h.key} is approved (revision ${String(h.head.approvedRevision)}) with electronic signatures`
    : `${h.productKey}/${h.key} is approved (revision ${String(h.head.approvedRevision)}) without electronic signature`;
}

export const RECORD_HISTORY_CSV_HEAD = ['product', 'record', 'kind', 'seq', 'at', 'who', 'revision', 'what', 'detail', 'reason'] as const;

/** A record's history as CSV: one row per line of {@link recordHistoryLines}, cells made inert for spreadsheets. */
export function recordHistoryCsv(h: RecordHistoryDoc): string {
  return toCsv([
    [...RECORD_HISTORY_CSV_HEAD],
    ...recordHistoryLines(h).map((l) => [h.productKey, h.key, l.kind, l.seq, l.at, l.who, l.revision, l.what, l.detail, l.reason]),
  ]);
}

/** A record's history for people: the same lines as the CSV, grouped, with the approval at the top. */
export function recordHistoryText(h: RecordHistoryDoc, table: (head: readonly string[], rows: readonly (readonly string[])[]) => string): string {
  const lines = recordHistoryLines(h);
  const revs = lines.filter((l) => l.kind !== 'event');
  const events = lines.filter((l) => l.kind === 'event');
  return [
    approvalText(h),
    '',
    'Revisions and signatures:',
    ...revs.map((l) => (l.kind === 'revision' ? `  revision ${l.revision}  ${l.at} by ${l.who}  "${l.what}"  ${l.detail}` : `    ${l.what}`)),
    '',
    'Audit events:',
    table(['SEQ', 'WHEN (UTC)', 'WHO', 'WHAT', 'REASON'], events.map((l) => [l.seq, l.at, l.who, l.what, l.reason])),
  ].join('\n');
}

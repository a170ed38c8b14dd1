/**
 * The regulatory report deadlines of a complaint (ISO 13485 8.2.3), as data: days after the company became aware
 * (`awareOn`), per jurisdiction and event kind. Kept minimal for the computed value `overdue` of a complaint; the
 * vigilance module (`vigilance.ts`, complaint deadlines) is the fuller source and should replace this at merge.
 */

type Fields = Readonly<Record<string, unknown>>;

/** Calendar days to report, per FDA event kind (21 CFR 803: 30 days; a remedial-action event, 5 work days, counted here as 5 days). */
export const FDA_REPORT_DAYS: Readonly<Record<string, number>> = { death: 30, serious_injury: 30, malfunction: 30, remedial_action: 5 };

/** Calendar days to report, per EU MDR Art. 87 event kind. */
export const EU_REPORT_DAYS: Readonly<Record<string, number>> = { serious_public_health_threat: 2, death_or_serious_deterioration: 10, serious_incident: 15 };

/** One report a complaint needs. */
export interface ReportDeadline {
  readonly authority: 'FDA' | 'EU';
  readonly eventKind: string;
  /** YYYY-MM-DD */
  readonly dueOn: string;
  readonly sentOn?: string;
}

function plusDays(day: string, days: number): string {
  const [y = 0, m = 1, d = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The reports a complaint's reportability decisions call for, with their due days (none before `awareOn` is known). */
export function reportDeadlines(fields: Fields): ReportDeadline[] {
  const aware = fields['awareOn'];
  if (typeof aware !== 'string') return [];
  const out: ReportDeadline[] = [];
  const one = (authority: 'FDA' | 'EU', kind: unknown, table: Readonly<Record<string, number>>, sent: unknown): void => {
    if (typeof kind !== 'string') return;
    const days = table[kind];
    if (days === undefined) return;
    out.push({ authority, eventKind: kind, dueOn: plusDays(aware, days), ...(typeof sent === 'string' ? { sentOn: sent } : {}) });
  };
  one('FDA', fields['fdaReportability'], FDA_REPORT_DAYS, fields['fdaReportedOn']);
  one('EU', fields['euReportability'], EU_REPORT_DAYS, fields['euReportedOn']);
  return out;
}

/** The audit page's filters, as they live in the URL (`?actor=ada&action=USER_CREATED&from=2026-03-01`). */
export interface AuditFilters {
  readonly productKey?: string;
  readonly actor?: string;
  readonly action?: string;
  readonly record?: string;
  /** First day shown (YYYY-MM-DD). */
  readonly from?: string;
  /** Last day shown, inclusive (YYYY-MM-DD). */
  readonly until?: string;
}

export const FILTER_KEYS = ['productKey', 'actor', 'action', 'record', 'from', 'until'] as const;

/** The filters named in the URL (blank ones left out). */
export function filtersFromParams(params: URLSearchParams): AuditFilters {
  const out: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

/** The URL's search string for the filters (other parameters kept). */
export function paramsWithFilters(params: URLSearchParams, f: AuditFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const k of FILTER_KEYS) {
    const v = f[k]?.trim();
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  return next;
}

/** The day after a YYYY-MM-DD date (the API's `to` is exclusive); undefined for anything else. */
export function dayAfter(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : new Date(t + 86_400_000).toISOString().slice(0, 10);
}

/** The API's query for the filters: `until` (inclusive day) becomes `to` (exclusive), upper-case event kinds. */
export function apiQuery(f: AuditFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.productKey !== undefined) q['productKey'] = f.productKey.toUpperCase();
  if (f.actor !== undefined) q['actor'] = f.actor;
  if (f.action !== undefined) q['action'] = f.action.toUpperCase();
  if (f.record !== undefined) q['record'] = f.record;
  if (f.from !== undefined) q['from'] = f.from;
  if (f.until !== undefined) q['to'] = dayAfter(f.until) ?? f.until;
  return q;
}

/** The link that downloads the filtered trail as CSV (the server's own rendering, with the verification). */
export function csvExportHref(f: AuditFilters): string {
  const qs = new URLSearchParams({ ...apiQuery(f), format: 'csv' });
  return `/api/v1/audit/export?${qs.toString()}`;
}

/** A value of an event (canonical JSON text) shortened for a table cell. */
export function shortValue(json: string | null, max = 120): string {
  if (json === null) return '';
  return json.length > max ? `${json.slice(0, max - 1)}…` : json;
}

/** Event kinds people filter by most (the field takes any kind). */
export const COMMON_ACTIONS: readonly string[] = [
  'USER_CREATED',
  'USER_DEACTIVATED',
  'USER_LOCKED',
  'USER_UNLOCKED',
  'ROLE_GRANTED',
  'ROLE_REVOKED',
  'PASSWORD_CHANGED',
  'PASSWORD_RESET_ISSUED',
  'TOKEN_CREATED',
  'TOKEN_REVOKED',
  'ACCESS_DENIED',
  'PRODUCT_CREATED',
  'RECORD_CREATED',
  'RECORD_REVISED',
  'RECORD_STATUS_CHANGED',
  'LINK_CREATED',
  'LINK_REMOVED',
  'LINK_CONFIRMED',
  'SIGNATURE_APPLIED',
  'SIGNATURE_REFUSED',
  'RULE_DISABLED',
  'RULE_ENABLED',
  'RULE_SEVERITY_SET',
  'RISK_REEVALUATED',
  'RELEASE_CREATED',
  'RELEASE_RELEASED',
  'EVIDENCE_IMPORTED',
];

/**
 * Pure logic of the evidence and release pages: the content hash a test run upload announces, where a refused JUnit
 * file broke, the SOUP list joined from records and SBOM evidence, and the gate's findings by severity.
 */

/** The test run upload route (`TEST_RUN_UPLOAD_PATH` in src/server/upload-paths.ts; a test checks they agree). */
export const TEST_RUN_UPLOAD = '/api/v1/products/:productKey/evidence/test-runs/upload';

/** One file's line of the upload's content hash: `<size>:<sha256 hex>\n` (as the server and the CLI compute it). */
export function fileHashLine(size: number, sha256Hex: string): string {
  return `${size}:${sha256Hex}\n`;
}

function hex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 (hex) of bytes, with the platform's Web Crypto (the browser's, or Node's in tests). */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return hex(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
}

/** The content hash of a test run upload: SHA-256 over the files' sorted hash lines. */
export async function uploadContentHash(files: readonly (ArrayBuffer | Uint8Array)[]): Promise<string> {
  const lines: string[] = [];
  for (const f of files) lines.push(fileHashLine(f.byteLength, await sha256Hex(f)));
  return sha256Hex(new TextEncoder().encode([...lines].sort().join('')));
}

/** Where the server said a JUnit file is broken: `run.xml:12:5: unexpected close tag` → file, line, column, what. */
export interface ErrorLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly what: string;
}

/** The file, line and column at the start of a JUnit reader's message (after any `invalid …:` prefix), if any. */
export function errorLocation(message: string): ErrorLocation | undefined {
  const m = /(?:^|: )([^:\n]+?):(\d+):(\d+): ([\s\S]*)$/.exec(message);
  if (m === null) return undefined;
  return { file: m[1] ?? '', line: Number(m[2]), column: Number(m[3]), what: m[4] ?? '' };
}

/** A test run's totals from its facts (`meta.totals`), zero for outcomes it does not state. */
export function runTotals(meta: Readonly<Record<string, unknown>>): { passed: number; failed: number; error: number; skipped: number; flaky: number; total: number } {
  const t = (meta['totals'] ?? {}) as Record<string, unknown>;
  const n = (k: string): number => (typeof t[k] === 'number' ? t[k] : 0);
  const out = { passed: n('passed'), failed: n('failed'), error: n('error'), skipped: n('skipped'), flaky: n('flaky') };
  return { ...out, total: out.passed + out.failed + out.error + out.skipped + out.flaky };
}

/** A failed or errored result (what "failures only" keeps). */
export function isFailure(outcome: string | null): boolean {
  return outcome === 'failed' || outcome === 'error';
}

/** A meta value as display text (absent → em dash). */
export function metaText(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** An SBOM component as the SOUP page reads it (from an evidence item of kind `component`). */
export interface SbomComponent {
  readonly name: string;
  readonly version: string | null;
  readonly licence: string | null;
  readonly purl: string | null;
  readonly direct: boolean;
  /** The SOUP record it is recorded as (`SOUP-3`), if any. */
  readonly record: string | null;
}

/** A known vulnerability of a SOUP record, with its triage state (`untriaged` when the record states none). */
export interface SoupVulnerability {
  readonly record: string;
  readonly advisory: string;
  readonly severity: string;
  readonly triage: string;
}

/** One row of the SOUP list. */
export interface SoupRow {
  /** The SOUP record, or null for an SBOM component no record covers. */
  readonly record: string | null;
  readonly status: string | null;
  readonly name: string;
  readonly version: string | null;
  readonly licence: string | null;
  readonly purl: string | null;
  /** From the SBOM (direct dependency), the record, or unknown. */
  readonly direct: boolean | null;
  readonly inSbom: boolean;
  readonly vulnerabilities: readonly SoupVulnerability[];
}

/** A SOUP record with the fields the list shows (from `record.get`, or only its title while those load). */
export interface SoupRecord {
  readonly key: string;
  readonly title: string;
  readonly status: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * The SOUP list: every SOUP record (with the SBOM's facts where the SBOM names it, the record's own otherwise), then
 * the SBOM's components no record covers; each with its known vulnerabilities. Ordered by name.
 */
export function soupRows(records: readonly SoupRecord[], components: readonly SbomComponent[], vulns: readonly (SoupVulnerability & { readonly soup: string })[]): SoupRow[] {
  const byRecord = new Map<string, SbomComponent>();
  for (const c of components) if (c.record !== null && !byRecord.has(c.record)) byRecord.set(c.record, c);
  const vulnsOf = (soup: string | null): SoupVulnerability[] =>
    soup === null ? [] : vulns.filter((v) => v.soup === soup).map(({ record, advisory, severity, triage }) => ({ record, advisory, severity, triage }));
  const rows: SoupRow[] = records.map((r) => {
    const c = byRecord.get(r.key);
    const f = r.fields ?? {};
    return {
      record: r.key,
      status: r.status,
      name: c?.name ?? str(f['package']) ?? r.title,
      version: c?.version ?? str(f['version']),
      licence: c?.licence ?? str(f['licence']),
      purl: c?.purl ?? str(f['purl']),
      direct: c?.direct ?? (typeof f['direct'] === 'boolean' ? f['direct'] : null),
      inSbom: c !== undefined,
      vulnerabilities: vulnsOf(r.key),
    };
  });
  const known = new Set(records.map((r) => r.key));
  for (const c of components) {
    if (c.record !== null && known.has(c.record)) continue;
    rows.push({ record: c.record, status: null, name: c.name, version: c.version, licence: c.licence, purl: c.purl, direct: c.direct, inSbom: true, vulnerabilities: vulnsOf(c.record) });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.version ?? '').localeCompare(b.version ?? '', 'en'));
}

/** The SOUP list's filters (from the URL): a licence (`none` for rows without one), only rows with open vulnerabilities. */
export interface SoupFilter {
  readonly licence?: string | undefined;
  readonly vulnerable?: boolean | undefined;
  readonly text?: string | undefined;
}

/** A vulnerability still open: not triaged, or triaged as affecting the product. */
export function isOpenVulnerability(v: SoupVulnerability): boolean {
  return v.triage !== 'not_affected';
}

export function filterSoup(rows: readonly SoupRow[], f: SoupFilter): SoupRow[] {
  const text = f.text?.trim().toLowerCase() ?? '';
  return rows.filter(
    (r) =>
      (f.licence === undefined || f.licence === '' || (f.licence === 'none' ? r.licence === null : r.licence === f.licence)) &&
      (f.vulnerable !== true || r.vulnerabilities.some(isOpenVulnerability)) &&
      (text === '' || [r.name, r.record ?? '', r.purl ?? ''].some((s) => s.toLowerCase().includes(text))),
  );
}

/** The licences of the rows, most used first (`none` last when some rows state none). */
export function licences(rows: readonly SoupRow[]): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.licence ?? 'none', (counts.get(r.licence ?? 'none') ?? 0) + 1);
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => (a.value === 'none' ? 1 : 0) - (b.value === 'none' ? 1 : 0) || b.count - a.count || a.value.localeCompare(b.value, 'en'));
}

/** The record a vulnerability advisory item names (`GHSA-…|SOUP-7` → `SOUP-7`). */
export function advisorySoup(key: string): string | null {
  const i = key.lastIndexOf('|');
  return i < 0 ? null : key.slice(i + 1);
}

export const SEVERITIES = ['error', 'warning', 'info'] as const;

/** Findings grouped by severity, most severe first; a severity with none is left out. */
export function bySeverity<F extends { readonly severity: string }>(findings: readonly F[]): { severity: string; findings: F[] }[] {
  const order = [...SEVERITIES, ...new Set(findings.map((f) => f.severity).filter((s) => !(SEVERITIES as readonly string[]).includes(s)))];
  return order.map((severity) => ({ severity, findings: findings.filter((f) => f.severity === severity) })).filter((g) => g.findings.length > 0);
}

/** The anchor of a finding on its record's page (`records/SRS-3#finding-RULE-ID`). */
export function findingAnchor(ruleId: string): string {
  return `finding-${ruleId}`;
}

/** Release versions, newest first by their numeric parts (`1.10.0` after `1.9.2`), then as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx - ny;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

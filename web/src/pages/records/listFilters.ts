/** The record list's filters, as they live in the URL (`?type=SRS&status=draft&q=alarm&findings=1`). */
export interface RecordFilters {
  readonly type?: string;
  readonly status?: 'draft' | 'in_review' | 'approved' | 'obsolete';
  readonly q?: string;
  readonly findings: boolean;
}

const STATUSES = ['draft', 'in_review', 'approved', 'obsolete'] as const;

export function filtersFrom(params: URLSearchParams): RecordFilters {
  const type = params.get('type')?.trim().toUpperCase();
  const status = params.get('status');
  const q = params.get('q')?.trim();
  return {
    ...(type === undefined || type === '' ? {} : { type }),
    ...(STATUSES.includes(status as RecordFilters['status'] & string) ? { status: status as RecordFilters['status'] } : {}),
    ...(q === undefined || q === '' ? {} : { q: q.slice(0, 200) }),
    findings: params.get('findings') === '1',
  };
}

/** The URL search of a set of filters (unset ones left out, so the plain list has a plain URL). */
export function paramsOf(f: RecordFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.type !== undefined) p.set('type', f.type);
  if (f.status !== undefined) p.set('status', f.status);
  if (f.q !== undefined && f.q !== '') p.set('q', f.q);
  if (f.findings) p.set('findings', '1');
  return p;
}

/** How many findings each record has (`SRS-3` → 2), from a check's findings (`RPM/SRS-3` is read as `SRS-3`). */
export function findingCounts(findings: readonly { readonly record: string | null }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) {
    if (f.record === null) continue;
    const key = f.record.includes('/') ? f.record.slice(f.record.lastIndexOf('/') + 1) : f.record;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** A search that names a record (`srs-12`, `RPM/SRS-12`): the key to offer a direct link to. */
export function keyInSearch(q: string | undefined): string | undefined {
  const m = q === undefined ? null : /^(?:[A-Za-z0-9_-]+\/)?([A-Za-z]+)-(\d+)$/.exec(q.trim());
  return m === null ? undefined : `${(m[1] ?? '').toUpperCase()}-${m[2] ?? ''}`;
}

/** The pages after the first that load the rest of a list: `{offset, limit}` up to `total`. */
export function restPages(total: number, loaded: number, size: number): { offset: number; limit: number }[] {
  const out: { offset: number; limit: number }[] = [];
  for (let offset = loaded; offset < total; offset += size) out.push({ offset, limit: Math.min(size, total - offset) });
  return out;
}

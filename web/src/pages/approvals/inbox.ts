/**
 * The approvals inbox's pure logic: filtering by the URL's search params, and whether the rows selected can be
 * signed in one go (the server signs a batch on one product with one meaning).
 */

/** One item of `signature.inbox`, as much as this logic reads. */
export interface InboxItemLike {
  readonly productKey: string;
  /** `RPM/SRS-12`. */
  readonly record: string;
  readonly key: string;
  readonly title: string;
  readonly revision: number;
  readonly meaning: string;
}

/** The items the filters keep (empty or absent filters keep everything). */
export function filterInbox<T extends InboxItemLike>(items: readonly T[], filters: { product?: string | null; meaning?: string | null; q?: string | null }): T[] {
  const q = (filters.q ?? '').trim().toLowerCase();
  return items.filter(
    (i) =>
      (filters.product == null || filters.product === '' || i.productKey === filters.product) &&
      (filters.meaning == null || filters.meaning === '' || i.meaning === filters.meaning) &&
      (q === '' || i.key.toLowerCase().includes(q) || i.title.toLowerCase().includes(q)),
  );
}

/** The selection as kept in the URL: `RPM/SRS-1,RPM/SRS-2`. */
export function parseSelection(param: string | null): string[] {
  return (param ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function formatSelection(selected: readonly string[]): string {
  return [...new Set(selected)].join(',');
}

/** A batch that can be signed in one go, or why not. */
export type Batch<T> =
  | { readonly ok: true; readonly productKey: string; readonly meaning: string; readonly items: readonly T[] }
  | { readonly ok: false; readonly reason: string };

/** Whether the selected items (still in the inbox) form one batch: one product, one meaning. */
export function batchOf<T extends InboxItemLike>(items: readonly T[], selected: readonly string[]): Batch<T> {
  const chosen = items.filter((i) => selected.includes(i.record));
  const first = chosen[0];
  if (first === undefined) return { ok: false, reason: 'Select the records to sign together' };
  if (chosen.some((i) => i.productKey !== first.productKey)) return { ok: false, reason: 'Records of different products are signed separately' };
  if (chosen.some((i) => i.meaning !== first.meaning)) return { ok: false, reason: 'One signing gives one meaning: select records that wait for the same one' };
  return { ok: true, productKey: first.productKey, meaning: first.meaning, items: chosen };
}

/** How long ago, in words, from two ISO times: `3 days`, `5 hours`, `just now`. */
export function waitedFor(since: string, now: string): string {
  const ms = Date.parse(now) - Date.parse(since);
  if (!Number.isFinite(ms) || ms < 60_000) return 'just now';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'}`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

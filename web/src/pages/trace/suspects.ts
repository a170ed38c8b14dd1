/**
 * The suspect links page's pure logic: which revisions of which record to compare to show what changed, the
 * reasons in words, and the selection as the URL holds it. No DOM, no React.
 */

/** A suspect link as `trace.suspects` serves it. */
export interface Suspect {
  readonly linkId: number;
  readonly from: string;
  readonly type: string;
  readonly to: string;
  readonly reason: 'upstream_changed' | 'downstream_changed' | 'upstream_chain_changed';
  readonly cause: string;
  readonly changedAt: string;
}

/** The revisions a link was made or last confirmed against (`link.list`). */
export interface PinnedLink {
  readonly id: number;
  readonly fromRevision: number;
  readonly toRevision: number;
}

/** `CMP-1@4` → the changed record and the revision that changed it; undefined when it does not read so. */
export function parseCause(cause: string): { record: string; revision: number } | undefined {
  const m = /^(.+)@(\d+)$/.exec(cause);
  if (m === null) return undefined;
  return { record: m[1] ?? '', revision: Number(m[2]) };
}

/**
 * What to compare to show a reviewer what changed: the changed record (the cause), from the revision the link was
 * confirmed against (for a changed end of the link) or the revision before the change (for a record further up
 * the chain, which the link does not pin), to the latest. `from` is left out when the link was never reviewed
 * against that end (imported as unreviewed): the diff then shows the last change.
 */
export function diffRange(s: Suspect, link: PinnedLink | undefined): { record: string; from?: number } | undefined {
  const c = parseCause(s.cause);
  if (c === undefined) return undefined;
  const pinned = link === undefined ? 0 : c.record === s.from ? link.fromRevision : c.record === s.to ? link.toRevision : 0;
  const from = pinned > 0 ? pinned : c.revision > 1 && s.reason === 'upstream_chain_changed' ? c.revision - 1 : undefined;
  return from === undefined ? { record: c.record } : { record: c.record, from };
}

const REASONS: Record<Suspect['reason'], string> = {
  upstream_changed: 'The upstream record changed since the link was confirmed',
  downstream_changed: 'The downstream record changed since the link was confirmed',
  upstream_chain_changed: 'A record further up the chain changed since the link was confirmed',
};

/** Why a link is suspect, in words. */
export function reasonText(reason: Suspect['reason']): string {
  return REASONS[reason];
}

/** The selected link IDs from the URL (`?selected=17,46`): positive integers, each once, in order. */
export function readSelection(value: string | null): number[] {
  if (value === null) return [];
  const out: number[] = [];
  for (const p of value.split(',')) {
    if (!/^\d{1,12}$/.test(p.trim())) continue;
    const n = Number(p.trim());
    if (n > 0 && !out.includes(n)) out.push(n);
  }
  return out;
}

/** The selection as the URL holds it, or null for none. */
export function writeSelection(ids: readonly number[]): string | null {
  return ids.length === 0 ? null : [...ids].sort((a, b) => a - b).join(',');
}

/** The selection kept to links still listed (after a confirmation, the confirmed ones drop out). */
export function keepListed(selected: readonly number[], suspects: readonly Pick<Suspect, 'linkId'>[]): number[] {
  const listed = new Set(suspects.map((s) => s.linkId));
  return selected.filter((id) => listed.has(id));
}

/** A field value as text for the diff view: strings as they are, anything else as JSON, absence as `(not set)`. */
export function valueText(v: unknown): string {
  if (v === undefined || v === null) return '(not set)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The suspects with `record` at either end (case-insensitive; `RPM/SRS-3` reads as `SRS-3`), or all for none. */
export function suspectsOf<T extends Pick<Suspect, 'from' | 'to'>>(list: readonly T[], record: string): readonly T[] {
  const k = record.trim().toUpperCase().replace(/^[A-Z0-9]+\//, '');
  return k === '' ? list : list.filter((s) => s.from === k || s.to === k);
}

const SHORT: Record<Suspect['reason'], string> = {
  upstream_changed: 'upstream changed',
  downstream_changed: 'downstream changed',
  upstream_chain_changed: 'chain above changed',
};

/** The reason as a short tag. */
export function reasonTag(reason: Suspect['reason']): string {
  return SHORT[reason];
}

/** A record's link as `record.get` gives it. */
export interface LinkLike {
  readonly id: number;
  readonly type: string;
  readonly fromKey: string;
  readonly fromType: string;
  readonly toKey: string;
  readonly toType: string;
  readonly confirmedAt: string | null;
}

/** A link type as the catalog describes it: its label from each end, and which end is upstream. */
export interface LinkTypeLike {
  readonly key: string;
  readonly label: string;
  readonly inverse: string;
  readonly upstream: 'from' | 'to';
}

/** A link seen from one record: the other end, and why it is suspect when it is. */
export interface LinkFromHere {
  readonly id: number;
  readonly other: string;
  readonly otherType: string;
  readonly confirmedAt: string | null;
  readonly suspect?: string;
}

export interface LinkGroup {
  readonly label: string;
  readonly links: readonly LinkFromHere[];
}

/**
 * A record's links, upstream (where it comes from: the need a requirement refines) and downstream (what comes from
 * it), grouped by what the link says read from this record (`implements`, or the inverse `implemented by`), each
 * group sorted by the other record's key; suspect links carry their cause.
 */
export function groupLinks(
  key: string,
  links: readonly LinkLike[],
  linkTypes: readonly LinkTypeLike[],
  suspects: readonly { readonly linkId: number; readonly cause: string }[],
): { upstream: LinkGroup[]; downstream: LinkGroup[] } {
  const types = new Map(linkTypes.map((t) => [t.key, t]));
  const suspect = new Map(suspects.map((s) => [s.linkId, s.cause]));
  const out = { upstream: new Map<string, LinkFromHere[]>(), downstream: new Map<string, LinkFromHere[]>() };
  for (const l of links) {
    const here = l.fromKey === key ? 'from' : 'to';
    const t = types.get(l.type);
    const otherIsUpstream = t === undefined ? here === 'from' : t.upstream !== here;
    const label = t === undefined ? l.type : here === 'from' ? t.label : t.inverse;
    const dir = otherIsUpstream ? out.upstream : out.downstream;
    const cause = suspect.get(l.id);
    const item: LinkFromHere = {
      id: l.id,
      other: here === 'from' ? l.toKey : l.fromKey,
      otherType: here === 'from' ? l.toType : l.fromType,
      confirmedAt: l.confirmedAt,
      ...(cause === undefined ? {} : { suspect: cause }),
    };
    dir.set(label, [...(dir.get(label) ?? []), item]);
  }
  const byKey = (a: LinkFromHere, b: LinkFromHere): number => a.other.localeCompare(b.other, 'en', { numeric: true });
  const list = (m: Map<string, LinkFromHere[]>): LinkGroup[] =>
    [...m].sort(([a], [b]) => a.localeCompare(b)).map(([label, ls]) => ({ label, links: ls.sort(byKey) }));
  return { upstream: list(out.upstream), downstream: list(out.downstream) };
}

import type { TraceGraph } from './trace-graph.js';

/** Why a link is suspect. */
export type SuspectReason =
  /** The upstream end has a newer revision than the link was confirmed against. */
  | 'upstream_changed'
  /** The downstream end has a newer revision (e.g. a test was rewritten): check it still fits. */
  | 'downstream_changed'
  /** An upstream record further up the chain changed after this link was last confirmed. */
  | 'upstream_chain_changed';

/** A suspect link and the change that made it so. */
export interface SuspectLink {
  readonly linkId: number;
  readonly from: string;
  readonly type: string;
  readonly to: string;
  readonly reason: SuspectReason;
  /** The changed record and its revision, e.g. `UN-1@3`. */
  readonly cause: string;
  /** When the cause's revision was written. */
  readonly changedAt: string;
}

/**
 * The newest revision of a record after `pinned` whose change reaches a link of `linkType`, or undefined. Records
 * loaded with their revision changes skip revisions that changed only local fields (the catalog's `localFields`:
 * a risk's rationale, a test's automation ID); without them every newer revision counts.
 */
function changeAfter(graph: TraceGraph, node: number, pinned: number, linkType: string): { revision: number; at: string } | undefined {
  // Pinned to no revision: the link was never reviewed against this end (imported as unreviewed), so it is suspect.
  if (pinned === 0) return { revision: graph.revision(node), at: graph.revisedAt(node) };
  const changes = graph.changes(node);
  if (changes === undefined) return graph.revision(node) > pinned ? { revision: graph.revision(node), at: graph.revisedAt(node) } : undefined;
  for (let k = changes.length - 1; k >= 0; k--) {
    const c = changes[k];
    if (c === undefined || c.revision <= pinned) return undefined;
    if (c.linkTypes === null || c.linkTypes.includes(linkType)) return { revision: c.revision, at: c.at };
  }
  return undefined;
}

/**
 * Finds suspect links, computed from the graph (nothing is stored):
 * - a link is suspect when either end has a newer revision than the one the link was made or confirmed against,
 *   and that revision changed something the link relies on (its title, body or a field that is not local to it);
 * - a change flows down the chain: below a record whose upstream end changed, every link not confirmed since that
 *   change is suspect too (a changed user need makes its requirements' tests suspect), until a review confirms a
 *   link on the way — if the record in between did not need to change, nothing below it did either.
 */
export function findSuspectLinks(graph: TraceGraph): SuspectLink[] {
  const out = new Map<number, SuspectLink>();
  // Latest change time known to have reached each node from above, so a node is expanded again only for a later one.
  const reached = new Map<number, number>();
  const queue: { node: number; at: number; changedAt: string; cause: string }[] = [];

  for (let e = 0; e < graph.edgeCount; e++) {
    const up = graph.edgeUp[e] ?? 0;
    const down = graph.edgeDown[e] ?? 0;
    const linkType = graph.linkType(e);
    const upChange = changeAfter(graph, up, graph.edgeUpRevision[e] ?? 0, linkType);
    const downChange = upChange === undefined ? changeAfter(graph, down, graph.edgeDownRevision[e] ?? 0, linkType) : undefined;
    if (upChange !== undefined) {
      const cause = `${graph.key(up)}@${upChange.revision}`;
      out.set(e, suspect(graph, e, 'upstream_changed', cause, upChange.at));
      queue.push({ node: down, at: Date.parse(upChange.at), changedAt: upChange.at, cause });
    } else if (downChange !== undefined) {
      out.set(e, suspect(graph, e, 'downstream_changed', `${graph.key(down)}@${downChange.revision}`, downChange.at));
    }
  }
  while (queue.length > 0) {
    const item = queue.pop();
    if (item === undefined) break;
    const { node, at, changedAt, cause } = item;
    const seen = reached.get(node);
    if (seen !== undefined && seen >= at) continue;
    reached.set(node, at);
    graph.forEachDown(node, (e, below) => {
      if ((graph.edgeCheckedAt[e] ?? 0) >= at) return;
      if (!out.has(e)) out.set(e, suspect(graph, e, 'upstream_chain_changed', cause, changedAt));
      queue.push({ node: below, at, changedAt, cause });
    });
  }
  return [...out.values()].sort((a, b) => a.linkId - b.linkId);
}

function suspect(graph: TraceGraph, e: number, reason: SuspectReason, cause: string, changedAt: string): SuspectLink {
  return {
    linkId: graph.linkIds[e] ?? 0,
    from: graph.key(graph.edgeFrom[e] ?? 0),
    type: graph.linkType(e),
    to: graph.key(graph.edgeTo(e)),
    reason,
    cause,
    changedAt,
  };
}

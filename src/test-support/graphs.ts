import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import type { TraceRecordRow } from '../core/ports.js';
import { TraceLinkColumnsBuilder } from '../core/trace/link-columns.js';
import { TraceGraph } from '../core/trace/trace-graph.js';

/** One record of a hand-made graph: `key` like `HAZ-1`; the rest defaults to an approved first revision. */
export interface NodeSpec extends Partial<Omit<TraceRecordRow, 'id' | 'type' | 'number'>> {
  readonly key: string;
}

/** One link: `[from, type, to]`, optionally with the revisions it was made against and when. */
export type LinkSpec = readonly [string, string, string] | readonly [string, string, string, { fromRevision?: number; toRevision?: number; at?: string }];

const T0 = '2026-01-01T00:00:00.000Z';

/**
 * Builds a TraceGraph from a few records and links written by hand, for unit tests of the pure engines (rules,
 * risk file, suspect links) without a database.
 */
export function graphOf(nodes: readonly NodeSpec[], links: readonly LinkSpec[]): TraceGraph {
  const rows: TraceRecordRow[] = nodes.map((n, i) => {
    const dash = n.key.lastIndexOf('-');
    return {
      id: i + 1,
      type: n.key.slice(0, dash),
      number: Number(n.key.slice(dash + 1)),
      status: n.status ?? 'approved',
      latestRevision: n.latestRevision ?? 1,
      revisedAt: n.revisedAt ?? T0,
      title: n.title ?? `${n.key} title`,
      fields: n.fields ?? {},
      ...(n.changes === undefined ? {} : { changes: n.changes }),
      ...(n.approvedBy === undefined ? {} : { approvedBy: n.approvedBy }),
      ...(n.revisedBy === undefined ? {} : { revisedBy: n.revisedBy }),
    };
  });
  const idOf = new Map(nodes.map((n, i) => [n.key, i + 1]));
  const id = (key: string): number => {
    const v = idOf.get(key);
    if (v === undefined) throw new Error(`graphOf: no node ${key}`);
    return v;
  };
  const cols = new TraceLinkColumnsBuilder();
  links.forEach((l, k) => {
    const opts = l[3] ?? {};
    cols.add(k + 1, l[1], id(l[0]), id(l[2]), opts.fromRevision ?? 1, opts.toRevision ?? 1, opts.at ?? T0);
  });
  return TraceGraph.build(DEFAULT_CATALOG, rows, cols.build());
}

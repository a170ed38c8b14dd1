import type { TraceGraph } from './trace-graph.js';

/** One record reached by impact analysis, with the link that reached it and what lies beyond. */
export interface ImpactNode {
  readonly key: string;
  readonly title: string;
  readonly status: string;
  /** The link type by which it was reached from its parent, read from the link's own direction. */
  readonly linkType: string;
  readonly children: readonly ImpactNode[];
}

/** Everything upstream and downstream of a record. */
export interface Impact {
  readonly key: string;
  readonly title: string;
  readonly upstream: readonly ImpactNode[];
  readonly downstream: readonly ImpactNode[];
  /** Every edge walked, for drawing: `[from, linkType, to]` as the links read. */
  readonly edges: readonly (readonly [string, string, string])[];
}

/**
 * Impact analysis: the records above a record (what it derives from, down to the user needs or hazards) and below
 * it (what derives from it, down to the tests), as trees of first visits (each record appears once per direction).
 */
export function impactOf(graph: TraceGraph, start: number, maxDepth = 12): Impact {
  const edges: (readonly [string, string, string])[] = [];
  const walk = (direction: 'up' | 'down'): ImpactNode[] => {
    const seen = new Set<number>([start]);
    const expand = (node: number, depth: number): ImpactNode[] => {
      if (depth >= maxDepth) return [];
      const found: { e: number; other: number }[] = [];
      const visit = (e: number, other: number): void => {
        if (seen.has(other)) return;
        seen.add(other);
        found.push({ e, other });
      };
      if (direction === 'down') graph.forEachDown(node, visit);
      else graph.forEachUp(node, visit);
      return found.map(({ e, other }) => {
        const type = graph.linkType(e);
        edges.push([graph.key(graph.edgeFrom[e] ?? 0), type, graph.key(graph.edgeTo(e))]);
        return { key: graph.key(other), title: graph.title(other), status: graph.status(other), linkType: type, children: expand(other, depth + 1) };
      });
    };
    return expand(start, 0);
  };
  const upstream = walk('up');
  const downstream = walk('down');
  return { key: graph.key(start), title: graph.title(start), upstream, downstream, edges };
}

/** The impact as a Graphviz DOT digraph (links drawn in their own direction; the start record highlighted). */
export function impactToDot(impact: Impact): string {
  const q = (s: string): string => JSON.stringify(s);
  const lines = ['digraph impact {', '  rankdir=BT;', '  node [shape=box, fontname="Helvetica"];', `  ${q(impact.key)} [style=filled, fillcolor="#ffe08a"];`];
  for (const [from, type, to] of impact.edges) lines.push(`  ${q(from)} -> ${q(to)} [label=${q(type)}];`);
  lines.push('}');
  return lines.join('\n');
}

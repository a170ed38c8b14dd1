/**
 * The trace graph page's pure logic: the neighbourhood of a record within N hops (from `trace.impact`), suspect
 * links marked, the ELK input (layered, upstream records above downstream ones), and the drawing read back from
 * ELK's result. No DOM, no React; ELK itself is passed in, so tests run it in Node.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';

/** An impact tree node, as `trace.impact` serves it. */
export interface ImpactNodeData {
  readonly key: string;
  readonly title: string;
  readonly status: string;
  readonly linkType: string;
  readonly children: readonly ImpactNodeData[];
}

/** `trace.impact`'s answer, reduced to what the graph reads. */
export interface ImpactData {
  readonly key: string;
  readonly title: string;
  readonly upstream: readonly ImpactNodeData[];
  readonly downstream: readonly ImpactNodeData[];
  readonly edges: readonly (readonly [string, string, string])[];
}

/** A suspect link as `trace.suspects` serves it (the parts the graph reads). */
export interface SuspectData {
  readonly linkId: number;
  readonly from: string;
  readonly type: string;
  readonly to: string;
  readonly cause: string;
}

export interface GraphNode {
  readonly key: string;
  readonly title: string;
  readonly status: string;
  /** Hops from the centre record (0 for the record itself). */
  readonly hops: number;
  /** Above the record (what it derives from), below it (what derives from it), or the record itself. */
  readonly side: 'centre' | 'upstream' | 'downstream';
}

export interface GraphEdge {
  /** `from|type|to`, as the link reads. */
  readonly id: string;
  readonly from: string;
  readonly type: string;
  readonly to: string;
  /** The upstream end and the downstream end (the layout draws upstream above downstream). */
  readonly up: string;
  readonly down: string;
  readonly suspect: boolean;
  readonly cause?: string;
}

export interface Neighbourhood {
  readonly centre: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** True when records lie beyond the hop limit (the page offers more hops). */
  readonly truncated: boolean;
}

/** Which end of each link type is upstream (`catalog.show`'s link types: `upstream: 'from' | 'to'`). */
export type UpstreamEnds = ReadonlyMap<string, 'from' | 'to'>;

export const MIN_HOPS = 1;
export const MAX_HOPS = 6;
export const DEFAULT_HOPS = 2;

/** The hop depth from the URL (`?hops=3`), clamped to 1…6; 2 when missing or malformed. */
export function readHops(value: string | null): number {
  const n = value === null || !/^\d{1,2}$/.test(value) ? DEFAULT_HOPS : Number(value);
  return Math.max(MIN_HOPS, Math.min(MAX_HOPS, n));
}

export const edgeId = (from: string, type: string, to: string): string => `${from}|${type}|${to}`;

/**
 * The records and links within `hops` links of the centre record, walking the impact analysis's edges in both
 * directions (breadth first, so each record gets its shortest distance), with suspect links marked.
 */
export function neighbourhood(impact: ImpactData, suspects: readonly SuspectData[], upstreamEnds: UpstreamEnds, hops: number): Neighbourhood {
  const info = new Map<string, { title: string; status: string; side: GraphNode['side'] }>();
  info.set(impact.key, { title: impact.title, status: '', side: 'centre' });
  const collect = (ns: readonly ImpactNodeData[], side: 'upstream' | 'downstream'): void => {
    const stack = [...ns];
    while (stack.length > 0) {
      const n = stack.pop();
      if (n === undefined) break;
      if (!info.has(n.key)) info.set(n.key, { title: n.title, status: n.status, side });
      stack.push(...n.children);
    }
  };
  collect(impact.upstream, 'upstream');
  collect(impact.downstream, 'downstream');

  const uniq = new Map<string, readonly [string, string, string]>();
  for (const e of impact.edges) uniq.set(edgeId(e[0], e[1], e[2]), e);
  const adjacent = new Map<string, string[]>();
  const add = (a: string, b: string): void => {
    const l = adjacent.get(a);
    if (l === undefined) adjacent.set(a, [b]);
    else l.push(b);
  };
  for (const [a, , b] of uniq.values()) {
    add(a, b);
    add(b, a);
  }
  const dist = new Map<string, number>([[impact.key, 0]]);
  let frontier = [impact.key];
  let truncated = false;
  for (let d = 1; frontier.length > 0; d++) {
    const next: string[] = [];
    for (const k of frontier) {
      for (const o of adjacent.get(k) ?? []) {
        if (dist.has(o)) continue;
        if (d > hops) {
          truncated = true;
          continue;
        }
        dist.set(o, d);
        next.push(o);
      }
    }
    if (d > hops) break;
    frontier = next;
  }

  const suspectBy = new Map(suspects.map((s) => [edgeId(s.from, s.type, s.to), s]));
  const nodes: GraphNode[] = [...dist].map(([key, hopsAway]) => {
    const i = info.get(key);
    return { key, title: i?.title ?? key, status: i?.status ?? '', hops: hopsAway, side: i?.side ?? 'downstream' };
  });
  const edges: GraphEdge[] = [];
  for (const [id, [from, type, to]] of uniq) {
    if (!dist.has(from) || !dist.has(to)) continue;
    const upIsTo = (upstreamEnds.get(type) ?? 'to') === 'to';
    const s = suspectBy.get(id);
    edges.push({ id, from, type, to, up: upIsTo ? to : from, down: upIsTo ? from : to, suspect: s !== undefined, ...(s === undefined ? {} : { cause: s.cause }) });
  }
  return { centre: impact.key, nodes, edges, truncated };
}

export const NODE_WIDTH = 188;
export const NODE_HEIGHT = 58;

/** A label's box for ELK: a rough width from its length (the drawing uses a 11 px sans-serif font). */
const labelBox = (text: string): { width: number; height: number } => ({ width: Math.ceil(text.length * 6.4) + 8, height: 16 });

/** The shown name of a link type: its catalog label, or the key with spaces. */
export type LinkLabels = ReadonlyMap<string, string>;

/** The ELK graph of a neighbourhood: layered, top to bottom, every edge from its upstream to its downstream end. */
export function elkGraph(n: Neighbourhood, labels: LinkLabels): ElkNode {
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'POLYLINE',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '36',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.inline': 'false',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children: n.nodes.map((x) => ({ id: x.key, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: n.edges.map(
      (e): ElkExtendedEdge => ({
        id: e.id,
        sources: [e.up],
        targets: [e.down],
        labels: [{ text: edgeLabel(e, labels), ...labelBox(edgeLabel(e, labels)) }],
      }),
    ),
  };
}

/** The text on an edge: the link type's label, and `suspect` when it is. */
export function edgeLabel(e: Pick<GraphEdge, 'type' | 'suspect'>, labels: LinkLabels): string {
  const name = labels.get(e.type) ?? e.type.replaceAll('_', ' ');
  return e.suspect ? `${name} · suspect` : name;
}

export interface PlacedNode extends GraphNode {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge extends GraphEdge {
  /** SVG path data (`M x y L x y …`). */
  readonly d: string;
  readonly label: { readonly text: string; readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

export interface Drawing {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly PlacedEdge[];
}

const r1 = (v: number | undefined): number => Math.round((v ?? 0) * 10) / 10;

/**
 * The drawing read back from ELK's laid-out graph: node boxes, each edge as a polyline path, its label box. An edge
 * ELK gave no route is drawn straight from the bottom of its upstream box to the top of its downstream box.
 */
export function drawing(n: Neighbourhood, laid: ElkNode, labels: LinkLabels): Drawing {
  const boxes = new Map((laid.children ?? []).map((c) => [c.id, c]));
  const nodes: PlacedNode[] = n.nodes.map((x) => {
    const b = boxes.get(x.key);
    return { ...x, x: r1(b?.x), y: r1(b?.y), width: b?.width ?? NODE_WIDTH, height: b?.height ?? NODE_HEIGHT };
  });
  const placed = new Map(nodes.map((x) => [x.key, x]));
  const laidEdges = new Map((laid.edges ?? []).map((e) => [e.id, e]));
  const edges: PlacedEdge[] = n.edges.map((e) => {
    const l = laidEdges.get(e.id);
    const s = l?.sections?.[0];
    let points: { x: number; y: number }[];
    if (s !== undefined) {
      points = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
    } else {
      const a = placed.get(e.up);
      const b = placed.get(e.down);
      points = [
        { x: (a?.x ?? 0) + (a?.width ?? 0) / 2, y: (a?.y ?? 0) + (a?.height ?? 0) },
        { x: (b?.x ?? 0) + (b?.width ?? 0) / 2, y: b?.y ?? 0 },
      ];
    }
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${r1(p.x)} ${r1(p.y)}`).join(' ');
    const text = edgeLabel(e, labels);
    const lb = l?.labels?.[0];
    const mid = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    const prev = points[Math.floor(points.length / 2) - 1] ?? mid;
    const box = labelBox(text);
    const label =
      lb?.x !== undefined && lb.y !== undefined
        ? { text, x: r1(lb.x), y: r1(lb.y), width: lb.width ?? box.width, height: lb.height ?? box.height }
        : { text, x: r1((mid.x + prev.x) / 2 - box.width / 2), y: r1((mid.y + prev.y) / 2 - box.height / 2), ...box };
    return { ...e, d, label };
  });
  return { width: Math.ceil(laid.width ?? 0), height: Math.ceil(laid.height ?? 0), nodes, edges };
}

/** Anything with ELK's `layout` (the bundled ELK in the browser, the same in tests). */
export interface Layouter {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Lays a neighbourhood out with ELK and reads the drawing back. */
export async function layOut(elk: Layouter, n: Neighbourhood, labels: LinkLabels): Promise<Drawing> {
  return drawing(n, await elk.layout(elkGraph(n, labels)), labels);
}

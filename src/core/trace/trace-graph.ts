import type { Catalog } from '../catalog/catalog.js';
import { recordKey } from '../entities.js';
import type { TraceLinkRow, TraceRecordRow } from '../ports.js';

/**
 * A product's records and active links as a compact graph: nodes are indexes 0…n-1, edges 0…m-1, and adjacency in
 * CSR form (typed arrays), both ways. "Upstream" and "downstream" follow each link type's `upstream` end in the
 * catalog, so traversals read needs → requirements → tests and hazard → situation → harm → control.
 * Built once per load; every analysis (matrix, rules, suspects, impact) reads it without touching the database.
 */
export class TraceGraph {
  /** Node data, by node index. */
  readonly nodes: readonly TraceRecordRow[];
  /** Active links, by edge index. */
  readonly links: readonly TraceLinkRow[];
  /** Upstream and downstream node of each edge. */
  readonly edgeUp: Int32Array;
  readonly edgeDown: Int32Array;
  /** Record type of each node, as an index into `typeNames`; 1 where the record is obsolete. */
  readonly typeOf: Uint8Array;
  readonly typeNames: readonly string[];
  readonly obsolete: Uint8Array;
  /** Link type of each edge, as an index into `linkTypeNames`, and the node at the link's `from` end. */
  readonly edgeType: Uint8Array;
  readonly linkTypeNames: readonly string[];
  readonly edgeFrom: Int32Array;
  /** Revision of the upstream / downstream end that each link was made or last confirmed against. */
  readonly edgeUpRevision: Int32Array;
  readonly edgeDownRevision: Int32Array;
  /** Edges whose upstream end is node i: `downEdges[downStart[i] … downStart[i+1])`. */
  readonly downStart: Int32Array;
  readonly downEdges: Int32Array;
  /** Edges whose downstream end is node i. */
  readonly upStart: Int32Array;
  readonly upEdges: Int32Array;
  private readonly byKey: Map<string, number>;

  private constructor(
    nodes: readonly TraceRecordRow[],
    links: readonly TraceLinkRow[],
    ends: { up: Int32Array; down: Int32Array; upRev: Int32Array; downRev: Int32Array; from: Int32Array },
  ) {
    this.nodes = nodes;
    this.links = links;
    this.edgeUp = ends.up;
    this.edgeDown = ends.down;
    this.edgeUpRevision = ends.upRev;
    this.edgeDownRevision = ends.downRev;
    const edgeUp = ends.up;
    const edgeDown = ends.down;
    this.typeNames = [...new Set(nodes.map((n) => n.type))].sort();
    const typeIdx = new Map(this.typeNames.map((t, i) => [t, i]));
    this.typeOf = Uint8Array.from(nodes, (n) => typeIdx.get(n.type) ?? 0);
    this.obsolete = Uint8Array.from(nodes, (n) => (n.status === 'obsolete' ? 1 : 0));
    this.linkTypeNames = [...new Set(links.map((l) => l.type))].sort();
    const linkIdx = new Map(this.linkTypeNames.map((t, i) => [t, i]));
    this.edgeType = Uint8Array.from(links, (l) => linkIdx.get(l.type) ?? 0);
    this.edgeFrom = ends.from;
    [this.downStart, this.downEdges] = csr(nodes.length, edgeUp);
    [this.upStart, this.upEdges] = csr(nodes.length, edgeDown);
    this.byKey = new Map(nodes.map((n, i) => [recordKey(n.type, n.number), i]));
  }

  /**
   * Builds the graph. Links whose ends are not among `records` or whose type the catalog does not know are skipped
   * (they cannot occur in a consistent store).
   */
  static build(catalog: Catalog, records: readonly TraceRecordRow[], links: readonly TraceLinkRow[]): TraceGraph {
    const index = new Map<number, number>();
    records.forEach((r, i) => index.set(r.id, i));
    const kept: TraceLinkRow[] = [];
    const up = new Int32Array(links.length);
    const down = new Int32Array(links.length);
    const upRev = new Int32Array(links.length);
    const downRev = new Int32Array(links.length);
    const fromNode = new Int32Array(links.length);
    for (const l of links) {
      const f = index.get(l.fromId);
      const t = index.get(l.toId);
      const lt = catalog.linkTypes.get(l.type);
      if (f === undefined || t === undefined || lt === undefined) continue;
      const e = kept.length;
      kept.push(l);
      const toIsUp = lt.upstream === 'to';
      up[e] = toIsUp ? t : f;
      down[e] = toIsUp ? f : t;
      upRev[e] = toIsUp ? l.toRevision : l.fromRevision;
      downRev[e] = toIsUp ? l.fromRevision : l.toRevision;
      fromNode[e] = f;
    }
    const m = kept.length;
    return new TraceGraph(records, kept, {
      up: up.subarray(0, m),
      down: down.subarray(0, m),
      upRev: upRev.subarray(0, m),
      downRev: downRev.subarray(0, m),
      from: fromNode.subarray(0, m),
    });
  }

  get size(): number {
    return this.nodes.length;
  }

  /** A bit mask over `typeNames` for the given record types (types the graph does not hold are ignored). */
  typeMask(types: readonly string[]): Uint8Array {
    return mask(this.typeNames, types);
  }

  /** A bit mask over `linkTypeNames` for the given link types. */
  linkTypeMask(types: readonly string[]): Uint8Array {
    return mask(this.linkTypeNames, types);
  }

  /** Node index of `SRS-12`, or undefined. */
  indexOf(key: string): number | undefined {
    return this.byKey.get(key);
  }

  /** `SRS-12` of node i. */
  key(i: number): string {
    const n = this.nodes[i];
    return n === undefined ? `?${i}` : recordKey(n.type, n.number);
  }

  /** Calls `fn(edge, otherNode)` for each edge below node i (i is its upstream end). */
  forEachDown(i: number, fn: (edge: number, other: number) => void): void {
    for (let k = this.downStart[i] ?? 0, end = this.downStart[i + 1] ?? 0; k < end; k++) {
      const e = this.downEdges[k] ?? 0;
      fn(e, this.edgeDown[e] ?? 0);
    }
  }

  /** Calls `fn(edge, otherNode)` for each edge above node i (i is its downstream end). */
  forEachUp(i: number, fn: (edge: number, other: number) => void): void {
    for (let k = this.upStart[i] ?? 0, end = this.upStart[i + 1] ?? 0; k < end; k++) {
      const e = this.upEdges[k] ?? 0;
      fn(e, this.edgeUp[e] ?? 0);
    }
  }
}

/** 1 at the index of each wanted name in `names`. */
function mask(names: readonly string[], wanted: readonly string[]): Uint8Array {
  const m = new Uint8Array(names.length);
  for (const w of wanted) {
    const i = names.indexOf(w);
    if (i >= 0) m[i] = 1;
  }
  return m;
}

/** Compressed sparse rows: for each node, the edges whose `endOf[edge]` is that node. */
function csr(n: number, endOf: Int32Array): [Int32Array, Int32Array] {
  const start = new Int32Array(n + 1);
  for (let e = 0; e < endOf.length; e++) start[(endOf[e] ?? 0) + 1]! += 1;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i] ?? 0;
  const fill = start.slice(0, n);
  const edges = new Int32Array(endOf.length);
  for (let e = 0; e < endOf.length; e++) {
    const node = endOf[e] ?? 0;
    edges[fill[node]!++] = e;
  }
  return [start, edges];
}

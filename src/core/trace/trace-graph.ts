import type { Catalog } from '../catalog/catalog.js';
import { recordKey } from '../entities.js';
import type { TraceRecordRow } from '../ports.js';
import type { TraceLinkColumns } from './link-columns.js';

/**
 * A product's records and active links as a compact graph: nodes are indexes 0…n-1, edges 0…m-1, adjacency in CSR
 * form both ways, and every per-edge fact in a typed array (no object per link). "Upstream" and "downstream" follow
 * each link type's `upstream` end in the catalog, so traversals read needs → requirements → tests and
 * hazard → situation → harm → control. Built once per load; every analysis (matrix, rules, suspects, impact) reads
 * it without touching the database.
 */
export class TraceGraph {
  /** Node data, by node index. */
  readonly nodes: readonly TraceRecordRow[];
  /** Record type of each node, as an index into `typeNames`; 1 in `obsolete` where the record is obsolete. */
  readonly typeOf: Uint8Array;
  readonly typeNames: readonly string[];
  readonly obsolete: Uint8Array;
  /** Per edge: link ID, link type (index into `linkTypeNames`), the node at the link's `from` end. */
  readonly linkIds: Int32Array;
  readonly edgeType: Uint8Array;
  readonly linkTypeNames: readonly string[];
  readonly edgeFrom: Int32Array;
  /** Per edge: upstream and downstream node. */
  readonly edgeUp: Int32Array;
  readonly edgeDown: Int32Array;
  /** Per edge: revision of the upstream / downstream end the link was made or last confirmed against. */
  readonly edgeUpRevision: Int32Array;
  readonly edgeDownRevision: Int32Array;
  /** Per edge: when the link was made or last confirmed (epoch ms). */
  readonly edgeCheckedAt: Float64Array;
  /** Edges whose upstream end is node i: `downEdges[downStart[i] … downStart[i+1])`. */
  readonly downStart: Int32Array;
  readonly downEdges: Int32Array;
  /** Edges whose downstream end is node i. */
  readonly upStart: Int32Array;
  readonly upEdges: Int32Array;
  private readonly byKey: Map<string, number>;
  private byLinkId: Map<number, number> | undefined;

  private constructor(nodes: readonly TraceRecordRow[], e: EdgeColumns, linkTypeNames: readonly string[]) {
    this.nodes = nodes;
    this.typeNames = [...new Set(nodes.map((n) => n.type))].sort();
    const typeIdx = new Map(this.typeNames.map((t, i) => [t, i]));
    this.typeOf = Uint8Array.from(nodes, (n) => typeIdx.get(n.type) ?? 0);
    this.obsolete = Uint8Array.from(nodes, (n) => (n.status === 'obsolete' ? 1 : 0));
    this.linkIds = e.ids;
    this.edgeType = e.type;
    this.linkTypeNames = linkTypeNames;
    this.edgeFrom = e.from;
    this.edgeUp = e.up;
    this.edgeDown = e.down;
    this.edgeUpRevision = e.upRev;
    this.edgeDownRevision = e.downRev;
    this.edgeCheckedAt = e.checkedAt;
    [this.downStart, this.downEdges] = csr(nodes.length, e.up);
    [this.upStart, this.upEdges] = csr(nodes.length, e.down);
    this.byKey = new Map(nodes.map((n, i) => [recordKey(n.type, n.number), i]));
  }

  /**
   * Builds the graph. Links whose ends are not among `records` or whose type the catalog does not know are skipped
   * (they cannot occur in a consistent store).
   */
  static build(catalog: Catalog, records: readonly TraceRecordRow[], links: TraceLinkColumns): TraceGraph {
    let maxId = 0;
    for (const r of records) if (r.id > maxId) maxId = r.id;
    const index = new Int32Array(maxId + 1).fill(-1);
    records.forEach((r, i) => (index[r.id] = i));
    const upIsTo = links.types.map((t) => catalog.linkTypes.get(t)?.upstream === 'to');
    const known = links.types.map((t) => catalog.linkTypes.has(t));
    const m = links.count;
    const e: EdgeColumns = {
      ids: new Int32Array(m), type: new Uint8Array(m), from: new Int32Array(m), up: new Int32Array(m), down: new Int32Array(m),
      upRev: new Int32Array(m), downRev: new Int32Array(m), checkedAt: new Float64Array(m),
    };
    let k = 0;
    for (let i = 0; i < m; i++) {
      const fromId = links.fromIds[i] ?? 0;
      const toId = links.toIds[i] ?? 0;
      const f = fromId <= maxId ? (index[fromId] ?? -1) : -1;
      const t = toId <= maxId ? (index[toId] ?? -1) : -1;
      const type = links.typeOf[i] ?? 0;
      if (f < 0 || t < 0 || known[type] !== true) continue;
      const toIsUp = upIsTo[type] === true;
      e.ids[k] = links.ids[i] ?? 0;
      e.type[k] = type;
      e.from[k] = f;
      e.up[k] = toIsUp ? t : f;
      e.down[k] = toIsUp ? f : t;
      e.upRev[k] = (toIsUp ? links.toRevisions[i] : links.fromRevisions[i]) ?? 0;
      e.downRev[k] = (toIsUp ? links.fromRevisions[i] : links.toRevisions[i]) ?? 0;
      e.checkedAt[k] = links.checkedAt[i] ?? 0;
      k++;
    }
    const cut: EdgeColumns = {
      ids: e.ids.subarray(0, k), type: e.type.subarray(0, k), from: e.from.subarray(0, k), up: e.up.subarray(0, k),
      down: e.down.subarray(0, k), upRev: e.upRev.subarray(0, k), downRev: e.downRev.subarray(0, k), checkedAt: e.checkedAt.subarray(0, k),
    };
    return new TraceGraph(records, cut, links.types);
  }

  get size(): number {
    return this.nodes.length;
  }

  /** Number of edges (active links). */
  get edgeCount(): number {
    return this.linkIds.length;
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

  /** Link type name of edge e. */
  linkType(e: number): string {
    return this.linkTypeNames[this.edgeType[e] ?? 0] ?? '?';
  }

  /** The node at the link's `to` end. */
  edgeTo(e: number): number {
    return (this.edgeFrom[e] === this.edgeUp[e] ? this.edgeDown[e] : this.edgeUp[e]) ?? 0;
  }

  /** The revisions of the `from` and `to` ends that link e was made or confirmed against. */
  edgeRevisions(e: number): { readonly from: number; readonly to: number } {
    const fromIsUp = this.edgeFrom[e] === this.edgeUp[e];
    const up = this.edgeUpRevision[e] ?? 0;
    const down = this.edgeDownRevision[e] ?? 0;
    return fromIsUp ? { from: up, to: down } : { from: down, to: up };
  }

  /** Edge index of an active link, or undefined. */
  edgeOfLink(linkId: number): number | undefined {
    this.byLinkId ??= new Map(Array.from(this.linkIds, (id, e) => [id, e]));
    return this.byLinkId.get(linkId);
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

  /** A bit mask over `typeNames` for the given record types (types the graph does not hold are ignored). */
  typeMask(types: readonly string[]): Uint8Array {
    return mask(this.typeNames, types);
  }

  /** A bit mask over `linkTypeNames` for the given link types. */
  linkTypeMask(types: readonly string[]): Uint8Array {
    return mask(this.linkTypeNames, types);
  }
}

interface EdgeColumns {
  ids: Int32Array;
  type: Uint8Array;
  from: Int32Array;
  up: Int32Array;
  down: Int32Array;
  upRev: Int32Array;
  downRev: Int32Array;
  checkedAt: Float64Array;
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

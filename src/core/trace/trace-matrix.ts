import type { Catalog } from '../catalog/catalog.js';
import { invalidInput } from '../errors.js';
import { naturalCompare } from '../natural-order.js';
import type { TraceGraph } from './trace-graph.js';

/** One step of a trace path: the record reached and the link type that led to it. */
export interface TraceStep {
  readonly key: string;
  readonly linkType: string;
}

/** A row of the matrix: one record of the `from` type and the `to` records its chains reach. */
export interface TraceMatrixRow {
  readonly key: string;
  readonly title: string;
  readonly status: string;
  readonly covered: boolean;
  readonly targets: readonly { readonly key: string; readonly title: string; readonly path: readonly TraceStep[] }[];
}

/** A trace matrix between two record types, with coverage per row and overall. */
export interface TraceMatrix {
  readonly from: string;
  readonly to: string;
  readonly direction: 'downstream' | 'upstream';
  readonly via: readonly string[] | null;
  readonly rows: readonly TraceMatrixRow[];
  readonly coveredRows: number;
  /** Share of rows with at least one target, 0…1 (1 when there are no rows). */
  readonly coverage: number;
}

/** Record types reachable from `type` following catalog link types in one direction. */
function reachableTypes(catalog: Catalog, type: string, direction: 'downstream' | 'upstream'): Set<string> {
  const next = new Map<string, Set<string>>();
  for (const l of catalog.linkTypes.values()) {
    const ups = l.upstream === 'to' ? l.to : l.from;
    const downs = l.upstream === 'to' ? l.from : l.to;
    for (const u of ups) {
      for (const d of downs) {
        const [a, b] = direction === 'downstream' ? [u, d] : [d, u];
        const s = next.get(a) ?? new Set<string>();
        s.add(b);
        next.set(a, s);
      }
    }
  }
  const seen = new Set<string>();
  const queue = [type];
  while (queue.length > 0) {
    const t = queue.pop() ?? '';
    for (const n of next.get(t) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return seen;
}

/**
 * Builds the trace matrix from every (non-obsolete) record of type `from` to the records of type `to` that its
 * chains reach, e.g. UN → SYS → SRS → TC. The direction is found from the catalog (needs → tests runs downstream,
 * tests → needs upstream). `via`, when given, restricts the record types a chain may pass through.
 * @throws AppError INVALID_INPUT when the types are unknown or no chain of link types joins them
 */
export function buildTraceMatrix(
  graph: TraceGraph,
  catalog: Catalog,
  from: string,
  to: string,
  options: { readonly via?: readonly string[]; readonly maxDepth?: number } = {},
): TraceMatrix {
  for (const t of [from, to, ...(options.via ?? [])]) {
    if (!catalog.recordTypes.has(t)) {
      throw invalidInput(`unknown record type '${t}'; known types: ${[...catalog.recordTypes.keys()].join(', ')}`, { field: 'type' });
    }
  }
  const direction = reachableTypes(catalog, from, 'downstream').has(to)
    ? 'downstream'
    : reachableTypes(catalog, from, 'upstream').has(to)
      ? 'upstream'
      : undefined;
  if (direction === undefined) throw invalidInput(`no chain of links joins ${from} to ${to} in the catalog`, { field: 'to' });
  const via = options.via === undefined ? null : new Set(options.via);
  const maxDepth = options.maxDepth ?? 8;

  const n = graph.size;
  const stamp = new Int32Array(n).fill(-1);
  const predEdge = new Int32Array(n);
  const predNode = new Int32Array(n);
  const depth = new Int32Array(n);
  const rows: TraceMatrixRow[] = [];
  let covered = 0;
  const queue = new Int32Array(n);
  // Hot loop on typed arrays only: CSR of the walking direction, type indexes, obsolete flags.
  const [start, edges, other] =
    direction === 'downstream' ? [graph.downStart, graph.downEdges, graph.edgeDown] : [graph.upStart, graph.upEdges, graph.edgeUp];
  const typeOf = graph.typeOf;
  const obsolete = graph.obsolete;
  const fromIdx = graph.typeNames.indexOf(from);
  const toIdx = graph.typeNames.indexOf(to);
  const passable = via === null ? null : graph.typeMask([...via]);

  for (let s = 0; s < n; s++) {
    if (typeOf[s] !== fromIdx || obsolete[s] === 1) continue;
    const found: number[] = [];
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    stamp[s] = s;
    depth[s] = 0;
    while (head < tail) {
      const x = queue[head++] ?? 0;
      const d = depth[x] ?? 0;
      if (d >= maxDepth) continue;
      for (let k = start[x] ?? 0, end = start[x + 1] ?? 0; k < end; k++) {
        const e = edges[k] ?? 0;
        const y = other[e] ?? 0;
        if (stamp[y] === s || obsolete[y] === 1) continue;
        stamp[y] = s;
        predEdge[y] = e;
        predNode[y] = x;
        depth[y] = d + 1;
        const t = typeOf[y] ?? 0;
        if (t === toIdx) found.push(y);
        else if (passable === null || passable[t] === 1) queue[tail++] = y;
      }
    }
    const targets = found.map((y) => {
      const path: TraceStep[] = [];
      for (let z = y; z !== s; z = predNode[z] ?? s) {
        path.push({ key: graph.key(z), linkType: graph.linkType(predEdge[z] ?? 0) });
      }
      path.reverse();
      return { key: graph.key(y), title: graph.title(y), path };
    });
    targets.sort((a, b) => naturalCompare(a.key, b.key));
    if (targets.length > 0) covered++;
    rows.push({ key: graph.key(s), title: graph.title(s), status: graph.status(s), covered: targets.length > 0, targets });
  }
  rows.sort((a, b) => naturalCompare(a.key, b.key));
  return {
    from,
    to,
    direction,
    via: options.via ?? null,
    rows,
    coveredRows: covered,
    coverage: rows.length === 0 ? 1 : covered / rows.length,
  };
}

/** `UN-1 → SYS-2 (derives_from) → SRS-3 (derives_from)`: the path that makes a cell covered, for reviewers. */
export function describePath(start: string, path: readonly TraceStep[]): string {
  return [start, ...path.map((p) => `${p.key} (${p.linkType})`)].join(' → ');
}

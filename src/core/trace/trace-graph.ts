import type { Catalog } from '../catalog/catalog.js';
import type { RecordStatus } from '../catalog/lifecycle.js';
import { recordKey } from '../entities.js';
import type { TraceRecordRow } from '../ports.js';
import type { TraceLinkColumns } from './link-columns.js';
import { PERSON_ABSENT, PERSON_NULL, TRACE_STATUSES, TraceRecordColumnsBuilder, type FieldsCell, type TraceRecordColumns } from './record-columns.js';
import { revisionChangesByNode, type RevisionChange, type RevisionContent } from './revision-changes.js';

/**
 * A product's records and active links as a compact graph: nodes are indexes 0…n-1, edges 0…m-1, adjacency in CSR
 * form both ways, and every per-edge fact in a typed array (no object per link). "Upstream" and "downstream" follow
 * each link type's `upstream` end in the catalog, so traversals read needs → requirements → tests and
 * hazard → situation → harm → control. Built once per load; every analysis (matrix, rules, suspects, impact) reads
 * it without touching the database.
 */
export class TraceGraph {
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
  /** Node data, column by column (see the accessors `status(i)`, `title(i)`, `fields(i)`, …). */
  private readonly records: TraceRecordColumns;
  /** Each node's fields: JSON text until first read, then the parsed object (replaced in place). */
  private readonly fieldCells: FieldsCell[];
  /** Revision changes by node; `noChanges` for nodes not in the map. */
  private readonly changeLists: ReadonlyMap<number, readonly RevisionChange[]>;
  private readonly noChanges: readonly RevisionChange[] | undefined;
  /** Per type (index into `typeNames`): node index by record number (-1: none). */
  private readonly byNumber: readonly (Int32Array | Map<number, number>)[];
  private byLinkId: Map<number, number> | undefined;
  private byRecordId: Map<number, number> | undefined;

  private constructor(records: TraceRecordColumns, e: EdgeColumns, linkTypeNames: readonly string[], changes: RevisionChanges) {
    this.records = records;
    this.fieldCells = records.fields as FieldsCell[];
    this.changeLists = changes.byNode;
    this.noChanges = changes.otherwise;
    // Type names sorted, so `typeOf` reads the same whatever order the rows came in.
    this.typeNames = [...new Set(Array.from(records.typeOf, (t) => records.types[t] ?? ''))].sort();
    const typeIdx = new Map(this.typeNames.map((t, i) => [t, i]));
    const remap = records.types.map((t) => typeIdx.get(t) ?? 0);
    this.typeOf = Uint8Array.from(records.typeOf, (t) => remap[t] ?? 0);
    const obsoleteIdx = TRACE_STATUSES.indexOf('obsolete');
    this.obsolete = Uint8Array.from(records.statusOf, (s) => (s === obsoleteIdx ? 1 : 0));
    this.linkIds = e.ids;
    this.edgeType = e.type;
    this.linkTypeNames = linkTypeNames;
    this.edgeFrom = e.from;
    this.edgeUp = e.up;
    this.edgeDown = e.down;
    this.edgeUpRevision = e.upRev;
    this.edgeDownRevision = e.downRev;
    this.edgeCheckedAt = e.checkedAt;
    [this.downStart, this.downEdges] = csr(records.count, e.up);
    [this.upStart, this.upEdges] = csr(records.count, e.down);
    this.byNumber = numberIndex(this.typeNames.length, this.typeOf, records.numbers);
  }

  /**
   * Builds the graph. Links whose ends are not among `records` or whose type the catalog does not know are skipped
   * (they cannot occur in a consistent store).
   * @param records - column-wise as the store loads them, or as row objects (hand-made graphs)
   * @param contents - the revisions of records with more than one (see `listRevisionContents`): with them, suspect
   *   links skip revisions that changed only local fields; without them every newer revision counts
   */
  static build(
    catalog: Catalog,
    records: TraceRecordColumns | readonly TraceRecordRow[],
    links: TraceLinkColumns,
    contents?: readonly RevisionContent[],
  ): TraceGraph {
    const cols = isColumns(records) ? records : TraceRecordColumnsBuilder.fromRows(records);
    let maxId = 0;
    for (const id of cols.ids) if (id > maxId) maxId = id;
    const index = new Int32Array(maxId + 1).fill(-1);
    cols.ids.forEach((id, i) => (index[id] = i));
    const changes = isColumns(records) ? { byNode: new Map<number, readonly RevisionChange[]>(), otherwise: undefined } : changesOfRows(records);
    if (contents !== undefined) {
      const typeOf = (i: number): string => cols.types[cols.typeOf[i] ?? 0] ?? '';
      changes.byNode = revisionChangesByNode(catalog, contents, (id) => (id <= maxId ? (index[id] ?? -1) : -1), typeOf, cols.revisions);
      changes.otherwise = [];
    }
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
    return new TraceGraph(cols, cut, links.types, changes);
  }

  get size(): number {
    return this.records.count;
  }

  /** Number of edges (active links). */
  get edgeCount(): number {
    return this.linkIds.length;
  }

  /** Node index of `SRS-12`, or undefined. */
  indexOf(key: string): number | undefined {
    const dash = key.lastIndexOf('-');
    if (dash <= 0) return undefined;
    const digits = key.slice(dash + 1);
    const number = Number(digits);
    if (!Number.isInteger(number) || String(number) !== digits) return undefined;
    const t = this.typeNames.indexOf(key.slice(0, dash));
    const index = this.byNumber[t];
    if (index === undefined) return undefined;
    const i = index instanceof Map ? index.get(number) : index[number];
    return i === undefined || i < 0 ? undefined : i;
  }

  /** Node index of the record with this internal ID, or undefined. */
  indexOfRecord(recordId: number): number | undefined {
    this.byRecordId ??= new Map(Array.from(this.records.ids, (id, i) => [id, i]));
    return this.byRecordId.get(recordId);
  }

  /** `SRS-12` of node i. */
  key(i: number): string {
    return i >= 0 && i < this.records.count ? recordKey(this.type(i), this.number(i)) : `?${i}`;
  }

  /** Internal record ID of node i. */
  id(i: number): number {
    return this.records.ids[i] ?? 0;
  }

  /** Record type of node i (`SRS`). */
  type(i: number): string {
    return this.typeNames[this.typeOf[i] ?? 0] ?? '';
  }

  /** Record number of node i (12 in `SRS-12`). */
  number(i: number): number {
    return this.records.numbers[i] ?? 0;
  }

  status(i: number): RecordStatus {
    return TRACE_STATUSES[this.records.statusOf[i] ?? 0] ?? 'draft';
  }

  /** The revision of node i the graph holds (the latest, or a release's frozen one). */
  revision(i: number): number {
    return this.records.revisions[i] ?? 0;
  }

  /** When that revision was written (ISO UTC). */
  revisedAt(i: number): string {
    return this.records.revisedAt[i] ?? '';
  }

  /** Who wrote that revision (undefined when not known). */
  revisedBy(i: number): string | undefined {
    const p = this.records.revisedBy[i] ?? PERSON_ABSENT;
    return p >= 0 ? this.records.people[p] : undefined;
  }

  /** Who approved that revision (null: approved before approvers were recorded; undefined: not known). */
  approvedBy(i: number): string | null | undefined {
    const p = this.records.approvedBy[i] ?? PERSON_ABSENT;
    return p >= 0 ? this.records.people[p] : p === PERSON_NULL ? null : undefined;
  }

  title(i: number): string {
    return this.records.titles[i] ?? '';
  }

  /** The fields of node i, parsed from the stored JSON text on first read. */
  fields(i: number): Readonly<Record<string, unknown>> {
    const cell = this.fieldCells[i];
    if (cell === undefined) return EMPTY_FIELDS;
    if (typeof cell !== 'string') return cell;
    const parsed = cell === '{}' ? EMPTY_FIELDS : (JSON.parse(cell) as Record<string, unknown>);
    this.fieldCells[i] = parsed;
    return parsed;
  }

  /** The revisions after the first whose change reaches linked records (see `TraceRecordRow.changes`). */
  changes(i: number): readonly RevisionChange[] | undefined {
    return this.changeLists.get(i) ?? this.noChanges;
  }

  /** Node i as one row object (for the few places that pass a record on; analyses read the accessors). */
  record(i: number): TraceRecordRow {
    const changes = this.changes(i);
    const revisedBy = this.revisedBy(i);
    const approvedBy = this.approvedBy(i);
    return {
      id: this.id(i),
      type: this.type(i),
      number: this.number(i),
      status: this.status(i),
      latestRevision: this.revision(i),
      revisedAt: this.revisedAt(i),
      title: this.title(i),
      fields: this.fields(i),
      ...(revisedBy === undefined ? {} : { revisedBy }),
      ...(approvedBy === undefined ? {} : { approvedBy }),
      ...(changes === undefined ? {} : { changes }),
    };
  }

  /** The nodes of one record type, in node order; `withObsolete` false leaves obsolete records out. */
  nodesOfType(type: string, withObsolete = false): number[] {
    const t = this.typeNames.indexOf(type);
    const out: number[] = [];
    if (t < 0) return out;
    for (let i = 0; i < this.typeOf.length; i++) if (this.typeOf[i] === t && (withObsolete || this.obsolete[i] !== 1)) out.push(i);
    return out;
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

const EMPTY_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

interface RevisionChanges {
  byNode: ReadonlyMap<number, readonly RevisionChange[]>;
  otherwise: readonly RevisionChange[] | undefined;
}

function isColumns(records: TraceRecordColumns | readonly TraceRecordRow[]): records is TraceRecordColumns {
  return !Array.isArray(records);
}

/** The changes row objects carry (hand-made graphs): a row without them counts every revision. */
function changesOfRows(rows: readonly TraceRecordRow[]): RevisionChanges {
  const byNode = new Map<number, readonly RevisionChange[]>();
  rows.forEach((r, i) => {
    if (r.changes !== undefined) byNode.set(i, r.changes);
  });
  return { byNode, otherwise: undefined };
}

/** Per record type, node index by record number: a typed array where numbers are dense (they are, per product). */
function numberIndex(types: number, typeOf: Uint8Array, numbers: Int32Array): (Int32Array | Map<number, number>)[] {
  const max = new Array<number>(types).fill(-1);
  const count = new Array<number>(types).fill(0);
  for (let i = 0; i < typeOf.length; i++) {
    const t = typeOf[i] ?? 0;
    const n = numbers[i] ?? 0;
    count[t] = (count[t] ?? 0) + 1;
    if (n > (max[t] ?? -1)) max[t] = n;
  }
  const out = max.map((m, t): Int32Array | Map<number, number> =>
    m >= 0 && m <= 4 * (count[t] ?? 0) + 1024 ? new Int32Array(m + 1).fill(-1) : new Map<number, number>(),
  );
  for (let i = 0; i < typeOf.length; i++) {
    const index = out[typeOf[i] ?? 0];
    const n = numbers[i] ?? 0;
    if (index instanceof Map) index.set(n, i);
    else if (index !== undefined && n >= 0) index[n] = i;
  }
  return out;
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

import type { Catalog } from '../catalog/catalog.js';
import { canonicalJson } from '../hashing.js';
import type { TraceRecordRow } from '../ports.js';

/** A revision whose change reaches linked records, and which links it reaches. */
export interface RevisionChange {
  readonly revision: number;
  /** When it was written (ISO UTC). */
  readonly at: string;
  /** The link types it reaches; null: every link of the record. */
  readonly linkTypes: readonly string[] | null;
}

/** What a revision holds, as far as comparing it with the one before needs. */
export interface RevisionContent {
  readonly recordId: number;
  readonly revision: number;
  readonly title: string;
  readonly body: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
}

/**
 * What the change from `before` to `after` reaches: every link (null) when the title, the body or a field that
 * carries meaning changed; only the link types its changed local fields name; nothing (an empty list) when it
 * changed local fields that reach no link (a risk's rationale, a test's automation ID).
 * @param localFields - the record type's `localFields` from the catalog
 */
export function changeReach(
  localFields: Readonly<Record<string, readonly string[]>> | undefined,
  before: Pick<RevisionContent, 'title' | 'body' | 'fields'>,
  after: Pick<RevisionContent, 'title' | 'body' | 'fields'>,
): readonly string[] | null {
  if (before.title !== after.title || before.body !== after.body) return null;
  const reach = new Set<string>();
  for (const k of new Set([...Object.keys(before.fields), ...Object.keys(after.fields)])) {
    if (canonicalJson(before.fields[k] ?? null) === canonicalJson(after.fields[k] ?? null)) continue;
    const local = localFields?.[k];
    if (local === undefined) return null;
    for (const t of local) reach.add(t);
  }
  return [...reach].sort();
}

/**
 * Per node, the revisions (up to the one it is at) whose change reaches linked records, so suspect-link detection
 * can ignore revisions that changed only local fields. Nodes without an entry have none.
 * @param contents - the revisions of records with more than one, ordered by record and revision
 * @param nodeOf - node index of a record ID (-1: not in the graph)
 */
export function revisionChangesByNode(
  catalog: Catalog,
  contents: readonly RevisionContent[],
  nodeOf: (recordId: number) => number,
  typeOf: (node: number) => string,
  revisions: ArrayLike<number>,
): Map<number, RevisionChange[]> {
  const byRecord = new Map<number, RevisionContent[]>();
  for (const c of contents) {
    const list = byRecord.get(c.recordId);
    if (list === undefined) byRecord.set(c.recordId, [c]);
    else list.push(c);
  }
  const out = new Map<number, RevisionChange[]>();
  for (const [recordId, all] of byRecord) {
    const node = nodeOf(recordId);
    if (node < 0) continue;
    const at = revisions[node] ?? 0;
    const revs = all.filter((c) => c.revision <= at);
    const local = catalog.recordTypes.get(typeOf(node))?.localFields;
    const changes: RevisionChange[] = [];
    for (let j = 1; j < revs.length; j++) {
      const before = revs[j - 1];
      const after = revs[j];
      if (before === undefined || after === undefined) continue;
      const reach = changeReach(local, before, after);
      if (reach === null || reach.length > 0) changes.push({ revision: after.revision, at: after.createdAt, linkTypes: reach });
    }
    out.set(node, changes);
  }
  return out;
}

/**
 * Adds to each record the revisions (up to the one it is at) whose change reaches linked records, so suspect-link
 * detection can ignore revisions that changed only local fields.
 * @param contents - the revisions of records with more than one, ordered by record and revision
 */
export function withRevisionChanges(catalog: Catalog, records: readonly TraceRecordRow[], contents: readonly RevisionContent[]): TraceRecordRow[] {
  const nodeOf = new Map(records.map((r, i) => [r.id, i]));
  const byNode = revisionChangesByNode(catalog, contents, (id) => nodeOf.get(id) ?? -1, (i) => records[i]?.type ?? '', records.map((r) => r.latestRevision));
  return records.map((r, i) => ({ ...r, changes: byNode.get(i) ?? [] }));
}

import { getLinkType, type Catalog } from './catalog/catalog.js';
import { invalidInput } from './errors.js';
import { recordKey, type Product, type RecordHead } from './entities.js';
import type { StoreReader } from './ports.js';

/**
 * Refuses new links that would close a cycle among links of an acyclic type (sequences of events must lead
 * somewhere, never back to themselves). Reads the product's active links of those types in the caller's
 * transaction, adds the new ones one by one, and names the cycle found.
 * @throws AppError INVALID_INPUT naming the records of the cycle
 */
export async function assertNoCycles(
  r: StoreReader,
  catalog: Catalog,
  product: Product,
  ends: readonly { readonly type: string; readonly from: RecordHead; readonly to: RecordHead }[],
): Promise<void> {
  const acyclic = ends.filter((e) => getLinkType(catalog, e.type).acyclic === true);
  if (acyclic.length === 0) return;
  const types = new Set(acyclic.map((e) => e.type));
  const cols = await r.loadTraceLinks(product.id);
  const out = new Map<string, Map<number, number[]>>();
  const add = (type: string, from: number, to: number): void => {
    let byFrom = out.get(type);
    if (byFrom === undefined) {
      byFrom = new Map<number, number[]>();
      out.set(type, byFrom);
    }
    const list = byFrom.get(from);
    if (list === undefined) byFrom.set(from, [to]);
    else list.push(to);
  };
  for (let i = 0; i < cols.count; i++) {
    const type = cols.types[cols.typeOf[i] ?? 0] ?? '';
    if (types.has(type)) add(type, cols.fromIds[i] ?? 0, cols.toIds[i] ?? 0);
  }
  const keys = new Map<number, string>(ends.flatMap((e) => [[e.from.id, recordKey(e.from.type, e.from.number)], [e.to.id, recordKey(e.to.type, e.to.number)]] as [number, string][]));
  for (const e of acyclic) {
    const path = findPath(out.get(e.type) ?? new Map<number, number[]>(), e.to.id, e.from.id);
    if (path !== null) {
      // Only on refusal: name the records of the cycle the request did not mention.
      if (path.some((id) => !keys.has(id))) for (const row of await r.loadTraceRecords(product.id)) keys.set(row.id, recordKey(row.type, row.number));
      const names = path.map((id) => keys.get(id) ?? `#${id}`);
      const from = recordKey(e.from.type, e.from.number);
      throw invalidInput(
        `${from} ${e.type} ${recordKey(e.to.type, e.to.number)} would close a cycle (${[from, ...names].join(' → ')}): ` +
          `'${e.type}' links must not loop`,
        { item: from, linkType: e.type },
      );
    }
    add(e.type, e.from.id, e.to.id);
  }
}

/** A path of record IDs from `start` to `goal` (both included), breadth first, or null. */
function findPath(edges: ReadonlyMap<number, readonly number[]>, start: number, goal: number): number[] | null {
  const prev = new Map<number, number>([[start, start]]);
  const queue = [start];
  for (let k = 0; k < queue.length; k++) {
    const at = queue[k] ?? 0;
    if (at === goal) {
      const path = [at];
      for (let x = at; x !== start; ) path.push((x = prev.get(x) ?? start));
      return path.reverse();
    }
    for (const next of edges.get(at) ?? []) {
      if (prev.has(next)) continue;
      prev.set(next, at);
      queue.push(next);
    }
  }
  return null;
}

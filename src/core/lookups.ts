import { conflict, notFound, invalidInput } from './errors.js';
import { parseRecordRef, recordKey, type Product, type RecordHead, type Revision } from './entities.js';
import type { StoreReader } from './ports.js';

/**
 * @throws AppError NOT_FOUND naming the product key
 */
export async function getProduct(r: StoreReader, key: string): Promise<Product> {
  const p = await r.findProduct(key);
  if (p === undefined) throw notFound(`product ${key} does not exist`, { item: key, field: 'product' });
  return p;
}

/**
 * Resolves `SRS-12` (or `RPM/SRS-12`) within a product.
 * @throws AppError INVALID_INPUT when the ID names another product; NOT_FOUND when there is no such record
 */
export async function getRecord(r: StoreReader, product: Product, ref: string): Promise<RecordHead> {
  const parsed = parseRecordRef(ref);
  if (parsed.productKey !== undefined && parsed.productKey !== product.key) {
    throw invalidInput(`${ref} belongs to product ${parsed.productKey}, not ${product.key}`, { item: ref });
  }
  const rec = await r.findRecord(product.id, parsed.type, parsed.number);
  if (rec === undefined) {
    throw notFound(`record ${product.key}/${recordKey(parsed.type, parsed.number)} does not exist`, { item: ref });
  }
  return rec;
}

/**
 * Resolves several IDs within a product in one query, in the order given (duplicates once).
 * @throws AppError INVALID_INPUT when an ID names another product; NOT_FOUND naming the first missing record
 */
export async function getRecords(r: StoreReader, product: Product, refs: readonly string[]): Promise<RecordHead[]> {
  const byKey = new Map<string, { ref: string; type: string; number: number }>();
  for (const ref of refs) {
    const p = parseRecordRef(ref);
    if (p.productKey !== undefined && p.productKey !== product.key) {
      throw invalidInput(`${ref} belongs to product ${p.productKey}, not ${product.key}`, { item: ref });
    }
    // `RISK-1` and `RPM/RISK-1` are one record.
    if (!byKey.has(recordKey(p.type, p.number))) byKey.set(recordKey(p.type, p.number), { ref, type: p.type, number: p.number });
  }
  const parsed = [...byKey.values()];
  const found = new Map((await r.findRecords(product.id, parsed)).map((h) => [recordKey(h.type, h.number), h]));
  return parsed.map((p) => {
    const head = found.get(recordKey(p.type, p.number));
    if (head === undefined) throw notFound(`record ${product.key}/${recordKey(p.type, p.number)} does not exist`, { item: p.ref });
    return head;
  });
}

/**
 * @throws AppError NOT_FOUND naming the record and revision
 */
export async function getRevision(r: StoreReader, product: Product, rec: RecordHead, revision: number): Promise<Revision> {
  const rev = await r.findRevision(rec.id, revision);
  if (rev === undefined) {
    throw notFound(
      `${product.key}/${recordKey(rec.type, rec.number)} has no revision ${revision} (latest is ${rec.latestRevision})`,
      { item: recordKey(rec.type, rec.number), field: 'revision' },
    );
  }
  return rev;
}

/**
 * Checks the revision a person acted on against the record's latest: a newer one in the store means someone else
 * changed the record since (a conflict); a revision that does not exist yet is a mistyped `--base` (bad input).
 * @param what - what was done on that revision, for the message ("the edit is based on", "you acted on")
 * @throws AppError INVALID_INPUT when `base` is beyond the latest revision; CONFLICT when it is older
 */
export function checkBaseRevision(item: string, head: RecordHead, base: number, what: string): void {
  if (base > head.latestRevision) {
    throw invalidInput(`${item} has no revision ${base} yet: the latest is revision ${head.latestRevision}`, { item, field: 'baseRevision' });
  }
  if (base < head.latestRevision) {
    throw conflict(
      `${item} has changed: ${what} revision ${base} but the latest is revision ${head.latestRevision} ` +
        `(by ${head.updatedBy} at ${head.updatedAt}); look at the latest and try again`,
      { item, field: 'baseRevision' },
    );
  }
}

import { recordKey, type Product } from '../../core/entities.js';
import type { StoreReader } from '../../core/ports.js';
import type { QmsLinkRow, QmsRecordRow } from '../../core/qms/qms-records.js';

/**
 * The records of some types of a product with their heads (status, dates) and latest fields, for the QMS views:
 * two reads per type (the heads, and the latest revisions' fields), joined by record ID.
 */
export async function loadQmsRecords(r: StoreReader, product: Product, types: readonly string[]): Promise<QmsRecordRow[]> {
  const out: QmsRecordRow[] = [];
  for (const type of types) {
    const [heads, rows] = await Promise.all([r.listRecords({ productId: product.id, type }), r.loadTraceRecords(product.id, type)]);
    const fields = new Map(rows.map((row) => [row.id, row.fields]));
    for (const h of heads) {
      out.push({
        id: h.id,
        type: h.type,
        key: recordKey(h.type, h.number),
        title: h.title,
        status: h.status,
        fields: fields.get(h.id) ?? {},
        createdAt: h.createdAt,
        updatedAt: h.updatedAt,
        approvedRevision: h.approvedRevision,
      });
    }
  }
  return out;
}

/** The active links of the given types leaving any of these records (one indexed read per chunk of IDs). */
export async function loadQmsLinks(r: StoreReader, from: readonly QmsRecordRow[], types: readonly string[]): Promise<QmsLinkRow[]> {
  const wanted = new Set(types);
  const ends = await r.listActiveLinkEnds(from.map((x) => x.id));
  return ends.filter((l) => wanted.has(l.type));
}

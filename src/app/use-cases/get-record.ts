import type { Product, RecordHead, LinkView, Revision } from '../../core/entities.js';
import { recordKey } from '../../core/entities.js';
import { notFound } from '../../core/errors.js';
import { getProduct, getRecord as lookupRecord, getRevision } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';

/** A record as a reader sees it: head, one revision's content, and its active links. */
export interface RecordView {
  readonly product: Product;
  readonly head: RecordHead;
  readonly key: string;
  readonly revision: Revision;
  readonly links: readonly LinkView[];
}

/**
 * Reads a record at its latest revision, its approved revision, or a given revision number.
 * @throws AppError NOT_FOUND for an unknown product, record or revision
 */
export async function getRecord(
  deps: Pick<Deps, 'store'>,
  input: { readonly productKey: string; readonly record: string; readonly revision?: number | 'approved' },
): Promise<RecordView> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const head = await lookupRecord(r, product, input.record);
    const key = recordKey(head.type, head.number);
    let n = head.latestRevision;
    if (input.revision === 'approved') {
      if (head.approvedRevision === null) {
        throw notFound(`${product.key}/${key} has no approved revision yet`, { item: key });
      }
      n = head.approvedRevision;
    } else if (input.revision !== undefined) {
      n = input.revision;
    }
    const revision = await getRevision(r, product, head, n);
    const links = await r.listLinks({ productId: product.id, recordId: head.id });
    return { product, head, key, revision, links };
  });
}

import { appendAudit } from '../audit-trail.js';
import { canonicalJson, SequenceDigest } from '../hashing.js';
import type { Product } from '../entities.js';
import type { Deps, StoreWriter } from '../ports.js';
import { evidenceDigestText, type EvidenceImport, type EvidenceItem, type EvidenceKind } from './model.js';

const BATCH = 2000;

/** An item as an import adds it; the writer gives it its ID, import and product. */
export type NewEvidenceItem = Omit<EvidenceItem, 'id' | 'importId' | 'productId'>;

/**
 * Writes one evidence import inside the caller's write transaction: items go out in batches as they come (a
 * million test results never sit in memory together), each folded into the import's digest; `finish` writes the
 * import row with its counts and digest, and its EVIDENCE_IMPORTED audit event. If anything throws before the
 * transaction commits, nothing of the import is kept.
 */
export class EvidenceImportWriter {
  private readonly digest = new SequenceDigest();
  private readonly pending: EvidenceItem[] = [];
  /** The digest texts of `pending`, hashed in one update when they are written. */
  private digestTexts: string[] = [];
  private nextItemId = 0;

  private constructor(
    private readonly w: StoreWriter,
    private readonly product: Product,
    readonly importId: number,
    firstItemId: number,
  ) {
    this.nextItemId = firstItemId;
  }

  static async open(w: StoreWriter, product: Product): Promise<EvidenceImportWriter> {
    const ids = await w.nextIds();
    return new EvidenceImportWriter(w, product, ids.evidenceImport, ids.evidenceItem);
  }

  get count(): number {
    return this.digest.count + this.digestTexts.length;
  }

  async add(item: NewEvidenceItem): Promise<EvidenceItem> {
    // An importer that knows its data's shape may serialize it faster itself (it must be `canonicalJson(item.data)`).
    const dataJson = item.dataJson ?? canonicalJson(item.data);
    const full: EvidenceItem = {
      id: this.nextItemId++,
      importId: this.importId,
      productId: this.product.id,
      kind: item.kind,
      key: item.key,
      outcome: item.outcome,
      data: item.data,
      refs: item.refs,
      dataJson,
    };
    this.digestTexts.push(evidenceDigestText(full, dataJson));
    this.pending.push(full);
    if (this.pending.length >= BATCH) await this.flush();
    return full;
  }

  /** Writes the import row and its audit event; call once, after the last item. */
  async finish(
    deps: Pick<Deps, 'actor'>,
    at: string,
    head: { readonly kind: EvidenceKind; readonly source: string; readonly contentHash: string; readonly meta: Record<string, unknown> },
    reason: string | null,
  ): Promise<EvidenceImport> {
    await this.flush();
    const row: EvidenceImport = {
      id: this.importId,
      productId: this.product.id,
      kind: head.kind,
      source: head.source,
      contentHash: head.contentHash,
      meta: head.meta,
      itemCount: this.digest.count,
      itemsDigest: this.digest.hex(),
      importedAt: at,
      importedBy: deps.actor.id,
      version: typeof head.meta['version'] === 'string' ? head.meta['version'] : null,
      voidedAt: null,
      voidedBy: null,
      voidReason: null,
    };
    await this.w.insertEvidenceImports([row]);
    await appendAudit(this.w, deps, at, [
      {
        action: 'EVIDENCE_IMPORTED',
        entityType: 'evidence',
        entityId: `${this.product.key}/evidence/${row.id}`,
        productKey: this.product.key,
        newValue: { kind: row.kind, source: row.source, contentHash: row.contentHash, itemCount: row.itemCount, itemsDigest: row.itemsDigest, meta: row.meta },
        reason,
      },
    ]);
    return row;
  }

  private async flush(): Promise<void> {
    this.digest.addCanonicalAll(this.digestTexts);
    this.digestTexts = [];
    if (this.pending.length === 0) return;
    await this.w.insertEvidenceItems(this.pending.splice(0, this.pending.length));
  }
}

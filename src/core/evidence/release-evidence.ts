import type { Product } from '../entities.js';
import type { StoreReader } from '../ports.js';
import type { EvidenceImport, EvidenceItem, Release } from './model.js';

/** What a release holds besides its records and links: test runs, commits, reviews and the SBOM snapshots. */
export interface ReleaseEvidenceSet {
  readonly testRuns: readonly EvidenceImport[];
  readonly sboms: readonly EvidenceImport[];
  readonly results: readonly EvidenceItem[];
  readonly commits: readonly EvidenceItem[];
  readonly reviews: readonly EvidenceItem[];
}

/** Reads a release's frozen evidence. */
export async function loadReleaseEvidence(r: StoreReader, product: Product, release: Release): Promise<ReleaseEvidenceSet> {
  const rows = await r.listReleaseEvidence(release.id);
  const importIds = new Set(rows.flatMap((x) => (x.importId === null ? [] : [x.importId])));
  const itemIds = rows.flatMap((x) => (x.itemId === null ? [] : [x.itemId]));
  // A run voided after the baseline was frozen no longer counts (a released baseline's runs cannot be voided).
  const imports = (await r.listEvidenceImports(product.id)).filter((i) => importIds.has(i.id) && i.voidedAt === null);
  const testRuns = imports.filter((i) => i.kind === 'test_run');
  const items = itemIds.length === 0 ? [] : await r.listEvidenceItems({ productId: product.id, itemIds });
  return {
    testRuns,
    sboms: imports.filter((i) => i.kind === 'sbom'),
    results: testRuns.length === 0 ? [] : await r.listEvidenceItems({ productId: product.id, importIds: testRuns.map((t) => t.id), kind: 'test_result' }),
    commits: items.filter((i) => i.kind === 'commit'),
    reviews: items.filter((i) => i.kind === 'review'),
  };
}

import { notFound } from '../../core/errors.js';
import type { Product } from '../../core/entities.js';
import type { Release } from '../../core/evidence/model.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import { TraceLinkColumnsBuilder } from '../../core/trace/link-columns.js';
import { TraceGraph } from '../../core/trace/trace-graph.js';

/**
 * What several release use-cases (check, mark released, void, diff, the risk file of a release) share: finding a
 * release and rebuilding the trace graph its baseline froze.
 */

/**
 * A release baseline's trace graph: its records at their frozen revisions and its frozen links.
 * @param r - a reader inside the caller's transaction
 */
export async function baselineGraph(deps: Pick<Deps, 'catalog'>, r: StoreReader, release: Release): Promise<TraceGraph> {
  const links = new TraceLinkColumnsBuilder();
  for (const l of await r.listReleaseLinks(release.id)) links.add(l.linkId, l.type, l.fromId, l.toId, l.fromRevision, l.toRevision, l.checkedAt);
  const records = await r.loadReleaseTraceRecordColumns(release.id);
  return TraceGraph.build(deps.catalog, records, links.build(), await r.listRevisionContents(release.productId));
}

/**
 * The newest baseline of a product's version.
 * @throws AppError NOT_FOUND naming the product and version
 */
export async function getRelease(r: StoreReader, product: Product, version: string): Promise<Release> {
  const release = await r.findRelease(product.id, version);
  if (release === undefined) throw notFound(`release ${product.key} ${version} does not exist (create it with dossier release create ${product.key} ${version})`, { item: version });
  return release;
}

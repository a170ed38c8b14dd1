import type { Product } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import { TraceGraph } from '../../core/trace/trace-graph.js';

/** A loaded graph and the audit head it reflects. */
interface CachedGraph {
  readonly headSeq: number;
  readonly graph: TraceGraph;
}

/**
 * Keeps one trace graph per product and reuses it while the audit head has not moved: every change to records or
 * links appends an audit event in the same transaction, so an unchanged head means an unchanged graph.
 * A long-running process (the server) holds one; the CLI loads once per command.
 */
export class TraceGraphCache {
  private readonly byProduct = new Map<number, CachedGraph>();

  /** The product's graph as of `r`'s snapshot. */
  async get(deps: Pick<Deps, 'catalog'>, r: StoreReader, product: Product): Promise<TraceGraph> {
    const headSeq = (await r.auditHead())?.seq ?? 0;
    const hit = this.byProduct.get(product.id);
    if (hit !== undefined && hit.headSeq === headSeq) return hit.graph;
    const graph = await buildGraph(deps, r, product);
    this.byProduct.set(product.id, { headSeq, graph });
    return graph;
  }
}

/** Loads a product's records and active links and builds the graph. */
export async function buildGraph(deps: Pick<Deps, 'catalog'>, r: StoreReader, product: Product): Promise<TraceGraph> {
  const [records, links, contents] = [await r.loadTraceRecordColumns(product.id), await r.loadTraceLinks(product.id), await r.listRevisionContents(product.id)];
  return TraceGraph.build(deps.catalog, records, links, contents);
}

/**
 * Loads the trace graph of a product.
 * @throws AppError NOT_FOUND for an unknown product
 */
export async function loadTraceGraph(
  deps: Pick<Deps, 'store' | 'catalog'>,
  productKey: string,
  cache?: TraceGraphCache,
): Promise<{ product: Product; graph: TraceGraph }> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, productKey);
    const graph = cache === undefined ? await buildGraph(deps, r, product) : await cache.get(deps, r, product);
    return { product, graph };
  });
}

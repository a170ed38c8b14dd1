import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';
import { findSuspectLinks, type SuspectLink } from '../../core/trace/suspect-links.js';
import { SuspectLinkSchema } from '../../core/trace/trace-schemas.js';
import { loadTraceGraph, type TraceGraphCache } from '../services/trace-graph.js';
import { defineUseCase } from '../use-case.js';

/**
 * The links to review because a record on them, or above them, changed since they were confirmed.
 * @throws AppError NOT_FOUND for an unknown product
 */
export async function listSuspectLinks(deps: Pick<Deps, 'store' | 'catalog'>, input: { readonly productKey: string }, cache?: TraceGraphCache): Promise<SuspectLink[]> {
  const { graph } = await loadTraceGraph(deps, input.productKey, cache);
  return findSuspectLinks(graph);
}

/** `trace.suspects`: the product's suspect links, with the change that made each suspect. */
export const listSuspectLinksUseCase = defineUseCase({
  name: 'trace.suspects',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: 'List the links to review because a record on or above them changed.',
  kind: 'read',
  what: 'suspect links',
  input: z.strictObject({ productKey: ProductKeySchema }),
  output: z.array(SuspectLinkSchema),
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/trace/suspects' },
  run: ({ deps, services }, input) => listSuspectLinks(deps, input, services.traceGraphs?.()),
});

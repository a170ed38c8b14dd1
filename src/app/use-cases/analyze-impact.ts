import { z } from 'zod';
import { invalidInput, notFound } from '../../core/errors.js';
import { parseRecordRef, ProductKeySchema, recordKey } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';
import { impactOf, type Impact } from '../../core/trace/impact.js';
import { ImpactSchema } from '../../core/trace/trace-schemas.js';
import { loadTraceGraph, type TraceGraphCache } from '../services/trace-graph.js';
import { defineUseCase } from '../use-case.js';

/**
 * Everything upstream and downstream of a record, with the link types on the way.
 * @throws AppError NOT_FOUND for an unknown product or record
 */
export async function analyzeImpact(
  deps: Pick<Deps, 'store' | 'catalog'>,
  input: { readonly productKey: string; readonly record: string },
  cache?: TraceGraphCache,
): Promise<Impact> {
  const ref = parseRecordRef(input.record);
  if (ref.productKey !== undefined && ref.productKey !== input.productKey) {
    throw invalidInput(`${input.record} belongs to product ${ref.productKey}, not ${input.productKey}`, { item: input.record });
  }
  const { product, graph } = await loadTraceGraph(deps, input.productKey, cache);
  const key = recordKey(ref.type, ref.number);
  const start = graph.indexOf(key);
  if (start === undefined) throw notFound(`record ${product.key}/${key} does not exist`, { item: key });
  return impactOf(graph, start);
}

/** `trace.impact`: everything upstream and downstream of a record. */
export const analyzeImpactUseCase = defineUseCase({
  name: 'trace.impact',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: 'Show everything upstream and downstream of a record.',
  kind: 'read',
  what: 'impact analysis',
  input: z.strictObject({ productKey: ProductKeySchema, record: z.string().trim().min(1).max(100).transform((s) => s.toUpperCase()) }),
  output: ImpactSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/records/:record/impact' },
  run: ({ deps, services }, input) => analyzeImpact(deps, input, services.traceGraphs?.()),
});

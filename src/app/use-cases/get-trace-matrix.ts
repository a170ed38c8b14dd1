import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import type { Deps } from '../../core/ports.js';
import { buildTraceMatrix, type TraceMatrix } from '../../core/trace/trace-matrix.js';
import { TraceMatrixSchema } from '../../core/trace/trace-schemas.js';
import { loadTraceGraph, type TraceGraphCache } from '../services/trace-graph.js';
import { defineUseCase } from '../use-case.js';

const RecordTypeSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((s) => s.toUpperCase());

export const GetTraceMatrixInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** Row type, e.g. `UN`. */
  from: RecordTypeSchema,
  /** Column type, e.g. `TC`. */
  to: RecordTypeSchema,
  /** Only pass through these types: a list, or one comma-separated string (`SYS,SRS`, as a query string gives it). */
  via: z
    .union([z.array(RecordTypeSchema), z.string().transform((s) => s.split(',').map((t) => t.trim().toUpperCase()))])
    .optional(),
  /** Rows from this one on (in the matrix's order); with `limit`, a page of rows: the coverage is still the whole matrix's. */
  offset: z.number().int().nonnegative().default(0),
  /** At most this many rows, or `all` (a page paints at once; the rest follows). */
  limit: z.union([z.number().int().positive().max(100_000), z.literal('all')]).default('all'),
});
export type GetTraceMatrixInput = z.output<typeof GetTraceMatrixInputSchema>;

/**
 * The trace matrix of a product between two record types, following chains (UN → SYS → SRS → TC).
 * @throws AppError NOT_FOUND for an unknown product; INVALID_INPUT for unknown types or types no chain joins
 */
export async function getTraceMatrix(
  deps: Pick<Deps, 'store' | 'catalog'>,
  input: Omit<GetTraceMatrixInput, 'offset' | 'limit'> & Partial<Pick<GetTraceMatrixInput, 'offset' | 'limit'>>,
  cache?: TraceGraphCache,
): Promise<TraceMatrixPage> {
  const { graph } = await loadTraceGraph(deps, input.productKey, cache);
  const m = buildTraceMatrix(graph, deps.catalog, input.from, input.to, input.via === undefined ? {} : { via: input.via });
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 'all';
  const rows = offset === 0 && limit === 'all' ? m.rows : m.rows.slice(offset, limit === 'all' ? undefined : offset + limit);
  return { ...m, rows, totalRows: m.rows.length };
}

/** A trace matrix, or a page of its rows: `totalRows` is how many rows the whole matrix has. */
export const TraceMatrixPageSchema = TraceMatrixSchema.extend({ totalRows: z.number().int() });
export type TraceMatrixPage = TraceMatrix & { readonly totalRows: number };

/** `trace.matrix`: which records of one type reach records of another, and the coverage. */
export const getTraceMatrixUseCase = defineUseCase({
  name: 'trace.matrix',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: 'Build the trace matrix between two record types, with coverage.',
  kind: 'read',
  what: 'trace matrix',
  input: GetTraceMatrixInputSchema,
  output: TraceMatrixPageSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/trace/matrix' },
  run: ({ deps, services }, input) => getTraceMatrix(deps, input, services.traceGraphs?.()),
});

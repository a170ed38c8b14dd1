import { z } from 'zod';
import type { Impact, ImpactNode } from './impact.js';
import type { SuspectLink } from './suspect-links.js';
import type { TraceMatrix } from './trace-matrix.js';

/** A trace matrix as data (see `TraceMatrix`). */
export const TraceMatrixSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  direction: z.enum(['downstream', 'upstream']),
  via: z.array(z.string()).readonly().nullable(),
  rows: z
    .array(
      z.strictObject({
        key: z.string(),
        title: z.string(),
        status: z.string(),
        covered: z.boolean(),
        targets: z
          .array(
            z.strictObject({
              key: z.string(),
              title: z.string(),
              /** The records the chain passes through to reach the target, with the link type of each step. */
              path: z.array(z.strictObject({ key: z.string(), linkType: z.string() })).readonly(),
            }),
          )
          .readonly(),
      }),
    )
    .readonly(),
  coveredRows: z.number().int(),
  coverage: z.number(),
});

/** A suspect link as data (see `SuspectLink`). */
export const SuspectLinkSchema = z.strictObject({
  linkId: z.number().int(),
  from: z.string(),
  type: z.string(),
  to: z.string(),
  reason: z.enum(['upstream_changed', 'downstream_changed', 'upstream_chain_changed']),
  cause: z.string(),
  changedAt: z.string(),
});

/** One record reached by impact analysis, and what lies beyond it. */
export const ImpactNodeSchema: z.ZodType<ImpactNode> = z.strictObject({
  key: z.string(),
  title: z.string(),
  status: z.string(),
  linkType: z.string(),
  get children() {
    return z.array(ImpactNodeSchema).readonly();
  },
});

/** Everything upstream and downstream of a record, as data (see `Impact`). */
export const ImpactSchema = z.strictObject({
  key: z.string(),
  title: z.string(),
  upstream: z.array(ImpactNodeSchema).readonly(),
  downstream: z.array(ImpactNodeSchema).readonly(),
  edges: z.array(z.tuple([z.string(), z.string(), z.string()]).readonly()).readonly(),
});

// The schemas and the engine's interfaces describe the same things.
const _matrix: TraceMatrix = {} as z.output<typeof TraceMatrixSchema>;
const _suspect: SuspectLink = {} as z.output<typeof SuspectLinkSchema>;
const _impact: Impact = {} as z.output<typeof ImpactSchema>;
void [_matrix, _suspect, _impact];

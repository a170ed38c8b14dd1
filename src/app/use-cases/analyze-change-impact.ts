import { z } from 'zod';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { invalidInput, notFound } from '../../core/errors.js';
import { parseRecordRef, ProductKeySchema, recordKey } from '../../core/entities.js';
import { naturalCompare } from '../../core/natural-order.js';
import type { Deps } from '../../core/ports.js';
import { CHANGE_PROCESS, processState } from '../../core/qms/processes.js';
import { impactOf, type Impact, type ImpactNode } from '../../core/trace/impact.js';
import { ImpactSchema } from '../../core/trace/trace-schemas.js';
import { buildGraph } from '../services/trace-graph.js';
import { getProduct } from '../../core/lookups.js';
import { defineUseCase } from '../use-case.js';

export const AnalyzeChangeImpactInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** `CR-2`. */
  record: z.string().trim().min(1).max(100).transform((s) => s.toUpperCase()),
});

const RecordRefSchema = z.strictObject({ key: z.string(), title: z.string(), status: z.string() });

export const ChangeImpactSchema = z.strictObject({
  record: z.string(),
  title: z.string(),
  /** Where the change request stands (`submitted`, `approved`, `implemented` …). */
  state: z.string(),
  /** Whether it has an approved revision: the records it changes can be approved only then. */
  approved: z.boolean(),
  release: z.string().nullable(),
  /** The records it changes. */
  changes: z.array(RecordRefSchema),
  /** Every record reached from them, once, with the changed records it is reached from. */
  affected: z.array(RecordRefSchema.extend({ direction: z.enum(['upstream', 'downstream', 'both']), via: z.array(z.string()) })),
  /** The impact analysis of each changed record. */
  impacts: z.array(ImpactSchema),
});
export type ChangeImpact = z.output<typeof ChangeImpactSchema>;

/**
 * The impact of a change request: the trace engine's impact analysis of every record it `changes`, merged, with the
 * request's state and its release (ISO 13485 7.3.9; IEC 62304 8.2.1).
 * @throws AppError NOT_FOUND for the product or record; INVALID_INPUT when the record is not a change request
 */
export async function analyzeChangeImpact(deps: Pick<Deps, 'store' | 'catalog'>, input: z.output<typeof AnalyzeChangeImpactInputSchema>): Promise<ChangeImpact> {
  const ref = parseRecordRef(input.record);
  const key = recordKey(ref.type, ref.number);
  if (ref.type !== RECORD_TYPE.CR) throw invalidInput(`${input.productKey}/${key} is not a change request (CR)`, { item: key, field: 'record' });
  const { graph, head } = await deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const found = await r.findRecord(product.id, ref.type, ref.number);
    if (found === undefined) throw notFound(`record ${product.key}/${key} does not exist`, { item: key });
    return { graph: await buildGraph(deps, r, product), head: found };
  });
  const cr = graph.indexOf(key);
  if (cr === undefined) throw notFound(`record ${input.productKey}/${key} does not exist`, { item: key });
  const targets = new Set<number>();
  const collect = (e: number, other: number): void => {
    if (graph.linkType(e) === 'changes' && graph.edgeFrom[e] === cr) targets.add(other);
  };
  graph.forEachDown(cr, collect);
  graph.forEachUp(cr, collect);
  const changed = [...targets].sort((a, b) => naturalCompare(graph.key(a), graph.key(b)));
  const impacts: Impact[] = changed.map((t) => impactOf(graph, t));
  const changedKeys = new Set(changed.map((t) => graph.key(t)));
  const affected = new Map<string, { key: string; title: string; status: string; up: boolean; down: boolean; via: Set<string> }>();
  const visit = (from: string, dir: 'up' | 'down', nodes: readonly ImpactNode[]): void => {
    for (const n of nodes) {
      if (n.key !== key && !changedKeys.has(n.key)) {
        const a = affected.get(n.key) ?? { key: n.key, title: n.title, status: n.status, up: false, down: false, via: new Set<string>() };
        if (dir === 'up') a.up = true;
        else a.down = true;
        a.via.add(from);
        affected.set(n.key, a);
      }
      visit(from, dir, n.children);
    }
  };
  for (const i of impacts) {
    visit(i.key, 'up', i.upstream);
    visit(i.key, 'down', i.downstream);
  }
  const fields = graph.fields(cr);
  const release = fields['release'];
  return {
    record: key,
    title: graph.title(cr),
    state: processState(CHANGE_PROCESS, fields, graph.status(cr)),
    approved: head.approvedRevision !== null,
    release: typeof release === 'string' ? release : null,
    changes: changed.map((t) => ({ key: graph.key(t), title: graph.title(t), status: graph.status(t) })),
    affected: [...affected.values()]
      .sort((a, b) => naturalCompare(a.key, b.key))
      .map((a) => ({ key: a.key, title: a.title, status: a.status, direction: a.up && a.down ? 'both' : a.up ? 'upstream' : 'downstream', via: [...a.via].sort(naturalCompare) })),
    impacts,
  };
}

/** `qms.change-impact`: the impact of a change request on everything it changes. */
export const analyzeChangeImpactUseCase = defineUseCase({
  name: 'qms.change-impact',
  heavy: true,
  summary: 'Show the impact of a change request: the impact analysis of every record it changes, merged.',
  kind: 'read',
  what: 'change impact',
  input: AnalyzeChangeImpactInputSchema,
  output: ChangeImpactSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/qms/changes/:record/impact' },
  run: ({ deps }, input) => analyzeChangeImpact(deps, input),
});

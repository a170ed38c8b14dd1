import type { TraceGraph } from '../trace/trace-graph.js';
import { workflowFor, type Workflow, type WorkflowRow } from './model.js';
import type { RecordSignatureStep } from './ports.js';
import { isComplete } from './workflow.js';

/** What the rule check reads of a record signature: which revision carries which workflow step. */
export type SignedMeaning = RecordSignatureStep;

const SIGNED: Readonly<Record<string, unknown>> = Object.freeze({ esigned: true });
const UNSIGNED: Readonly<Record<string, unknown>> = Object.freeze({ esigned: false });

/**
 * The computed value `esigned` of every approved record in a graph (21 CFR 11.50, 11.70): true when the approved
 * revision (the latest, or the one a baseline froze) carries a signature for every step its record type's workflow
 * asks for (`isComplete`, the rule the record views use too), false when any is missing (approved before signatures existed, or by a local operator's status change).
 * Records not approved get no value, so a rule selecting `esigned: false` never sees them.
 * @param workflows - the product's configured workflows (the defaults apply to the rest)
 * @param signatures - every record signature of the product, any revision
 * @param base - computed values already worked out (the risk file's): kept, with `esigned` added beside them
 */
export function withEsigned(
  graph: TraceGraph,
  productId: number,
  workflows: readonly WorkflowRow[],
  signatures: readonly SignedMeaning[],
  base: ReadonlyMap<number, Readonly<Record<string, unknown>>>,
): Map<number, Readonly<Record<string, unknown>>> {
  const out = new Map(base);
  /** Per record ID, the steps signed, on any revision. */
  const signed = new Map<number, RecordSignatureStep[]>();
  for (const s of signatures) {
    const list = signed.get(s.recordId);
    if (list === undefined) signed.set(s.recordId, [s]);
    else list.push(s);
  }
  const byType = new Map<string, Workflow>();
  for (let i = 0; i < graph.size; i++) {
    if (graph.obsolete[i] === 1 || graph.status(i) !== 'approved') continue;
    const type = graph.type(i);
    let workflow = byType.get(type);
    if (workflow === undefined) byType.set(type, (workflow = workflowFor(workflows, productId, type)));
    const revision = graph.revision(i);
    const ok = isComplete(workflow, (signed.get(graph.id(i)) ?? []).filter((s) => s.revision === revision));
    const extra = out.get(i);
    out.set(i, extra === undefined ? (ok ? SIGNED : UNSIGNED) : { ...extra, esigned: ok });
  }
  return out;
}

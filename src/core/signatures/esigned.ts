import type { TraceGraph } from '../trace/trace-graph.js';
import { workflowFor, type SignatureMeaning, type WorkflowRow } from './model.js';

/** What the rule check reads of a record signature: which revision carries which meaning. */
export interface SignedMeaning {
  readonly recordId: number;
  readonly revision: number;
  readonly meaning: SignatureMeaning;
}

const SIGNED: Readonly<Record<string, unknown>> = Object.freeze({ esigned: true });
const UNSIGNED: Readonly<Record<string, unknown>> = Object.freeze({ esigned: false });

/**
 * The computed value `esigned` of every approved record in a graph (21 CFR 11.50, 11.70): true when the approved
 * revision (the latest, or the one a baseline froze) carries a signature for every meaning its record type's workflow
 * asks for, false when any is missing (approved before signatures existed, or by a local operator's status change).
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
  /** Per record ID, the meanings signed on each revision (`revision:meaning`). */
  const signed = new Map<number, Set<string>>();
  for (const s of signatures) {
    let set = signed.get(s.recordId);
    if (set === undefined) signed.set(s.recordId, (set = new Set()));
    set.add(`${s.revision}:${s.meaning}`);
  }
  const needed = new Map<string, readonly SignatureMeaning[]>();
  for (let i = 0; i < graph.size; i++) {
    if (graph.obsolete[i] === 1 || graph.status(i) !== 'approved') continue;
    const type = graph.type(i);
    let meanings = needed.get(type);
    if (meanings === undefined) needed.set(type, (meanings = workflowFor(workflows, productId, type).steps.map((s) => s.meaning)));
    const set = signed.get(graph.id(i));
    const revision = graph.revision(i);
    const ok = set !== undefined && meanings.every((m) => set.has(`${revision}:${m}`));
    const extra = out.get(i);
    out.set(i, extra === undefined ? (ok ? SIGNED : UNSIGNED) : { ...extra, esigned: ok });
  }
  return out;
}

import { RECORD_TYPE } from '../catalog/record-type-keys.js';
import type { Product } from '../entities.js';
import { recordKey } from '../entities.js';
import type { StoreReader, TraceRecordRow } from '../ports.js';
import type { TraceGraph } from '../trace/trace-graph.js';
import { DEFAULT_RISK_POLICY, RiskPolicySchema, type RiskPolicy } from './policy.js';

/** The risk policy in force for a product: its RMP record's latest revision, or the default (revision 0) before one exists. */
export interface CurrentPolicy {
  readonly policy: RiskPolicy;
  /** The RMP record's revision; 0 for the built-in default. */
  readonly revision: number;
  /** `RMP-1`, or null for the default. */
  readonly record: string | null;
}

const DEFAULT_POLICY: CurrentPolicy = { policy: DEFAULT_RISK_POLICY, revision: 0, record: null };

function fromRow(row: Pick<TraceRecordRow, 'type' | 'number' | 'latestRevision' | 'fields'>): CurrentPolicy {
  return { policy: RiskPolicySchema.parse(row.fields), revision: row.latestRevision, record: recordKey(row.type, row.number) };
}

/** The policy a product's records (or a release baseline's) carry, from its trace graph. */
export function policyFromGraph(graph: TraceGraph): CurrentPolicy {
  let found: number | undefined;
  for (const i of graph.nodesOfType(RECORD_TYPE.RMP)) if (found === undefined || graph.number(i) < graph.number(found)) found = i;
  return found === undefined ? DEFAULT_POLICY : fromRow({ type: RECORD_TYPE.RMP, number: graph.number(found), latestRevision: graph.revision(found), fields: graph.fields(found) });
}

/** The policy in force, read in the caller's transaction. */
export async function loadRiskPolicy(r: StoreReader, product: Product): Promise<CurrentPolicy> {
  const heads = (await r.listRecords({ productId: product.id, type: RECORD_TYPE.RMP })).filter((h) => h.status !== 'obsolete').sort((a, b) => a.number - b.number);
  const head = heads[0];
  if (head === undefined) return DEFAULT_POLICY;
  const rev = await r.findRevision(head.id, head.latestRevision);
  if (rev === undefined) return DEFAULT_POLICY;
  return fromRow({ type: head.type, number: head.number, latestRevision: head.latestRevision, fields: rev.fields });
}

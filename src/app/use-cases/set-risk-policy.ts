import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { ProductKeySchema, qualifiedKey, recordKey, type RecordSummary } from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { writeNewRecords, writeRevision } from '../../core/record-writes.js';
import { loadRiskPolicy } from '../../core/risk/current-policy.js';
import { estimateOf, evaluateEstimate, hasEstimate, RiskPolicySchema, type RiskPolicy, type Zone } from '../../core/risk/policy.js';
import { riskContext, riskPolicySession } from '../../core/risk/risk-hooks.js';
import { parseInput, storableText } from '../../core/validation.js';

export const SetRiskPolicyInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  policy: RiskPolicySchema,
  reason: storableText().trim().min(1).max(2000).optional(),
});
export type SetRiskPolicyInput = z.input<typeof SetRiskPolicyInputSchema>;

/** One estimate whose zone a policy change moved. */
export interface ZoneMove {
  readonly risk: string;
  readonly estimate: 'initial' | 'residual';
  readonly from: Zone;
  readonly to: Zone;
}

export interface PolicyChange {
  readonly record: RecordSummary;
  readonly previousRevision: number;
  readonly revision: number;
  /** Estimates re-evaluated under the new policy. */
  readonly evaluated: number;
  readonly moves: readonly ZoneMove[];
}

/** Zones of every estimate of every active risk under a policy, keyed `RISK-3/initial`. */
export function zonesUnder(policy: RiskPolicy, risks: readonly { readonly key: string; readonly fields: Readonly<Record<string, unknown>> }[]): Map<string, Zone> {
  const out = new Map<string, Zone>();
  for (const r of risks) {
    for (const which of ['initial', 'residual'] as const) {
      const e = estimateOf(r.fields, which);
      if (!hasEstimate(e)) continue;
      const v = evaluateEstimate(policy, e);
      if (!('problem' in v)) out.set(`${r.key}/${which}`, v.zone);
    }
  }
  return out;
}

/**
 * Sets a product's risk policy: the first call adds its RMP record, later ones write a new revision of it. Every
 * risk estimate is re-evaluated under the new policy in the same transaction; the estimates that moved between zones
 * are returned and recorded in a RISK_REEVALUATED audit event beside the record's own event. A policy that is
 * incomplete, not monotone, or would leave an estimate with a level it no longer has is refused, changing nothing.
 * @throws AppError INVALID_INPUT naming the problem (and the estimates it would break)
 */
export async function setRiskPolicy(deps: Deps, input: SetRiskPolicyInput): Promise<PolicyChange> {
  const i = parseInput(SetRiskPolicyInputSchema, input, 'risk policy');
  // Soundness (complete, monotone, every estimate still valid) is checked by the RMP write itself, on every path.
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const before = await loadRiskPolicy(w, product);
    const session = riskPolicySession(w, product, before);
    const risks = (await riskContext(session).risks()).map((r) => ({ key: recordKey(r.type, r.number), fields: r.fields }));
    const at = deps.clock.now();
    const reason = i.reason ?? null;
    let record: RecordSummary;
    if (before.record === null) {
      record = (await writeNewRecords(w, deps, product, [{ type: 'RMP', title: 'Risk management policy', body: '', fields: i.policy }], at, reason, { session }))[0] as RecordSummary;
    } else {
      const head = await getRecord(w, product, before.record);
      // A whole policy replaces the old one: fields it leaves out are removed, not kept.
      const cleared = Object.fromEntries(Object.keys(RiskPolicySchema.shape).map((k) => [k, null]));
      record = await writeRevision(w, deps, product, head, { fields: { ...cleared, ...i.policy } }, at, reason, { session });
    }
    const old = zonesUnder(before.policy, risks);
    const now = zonesUnder(i.policy, risks);
    const moves: ZoneMove[] = [];
    for (const [k, to] of now) {
      const from = old.get(k);
      if (from === undefined || from === to) continue;
      const [risk = '', estimate = 'initial'] = k.split('/');
      moves.push({ risk, estimate: estimate as 'initial' | 'residual', from, to });
    }
    await appendAudit(w, deps, at, [
      {
        action: 'RISK_REEVALUATED',
        entityType: 'record',
        entityId: qualifiedKey(product.key, 'RMP', record.number),
        productKey: product.key,
        oldValue: { policyRevision: before.revision },
        newValue: { policyRevision: record.latestRevision, evaluated: now.size, moves },
        reason,
      },
    ]);
    return { record, previousRevision: before.revision, revision: record.latestRevision, evaluated: now.size, moves };
  });
}

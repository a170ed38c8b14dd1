import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { ProductKeySchema, qualifiedKey, recordKey, RecordSummarySchema, type RecordSummary } from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { writeNewRecords, writeRevision } from '../../core/record-writes.js';
import { loadRiskPolicy } from '../../core/risk/current-policy.js';
import { RiskPolicySchema, type Zone } from '../../core/risk/policy.js';
import { riskContext, riskPolicySession } from '../../core/risk/risk-hooks.js';
import { parseInput, ReasonSchema } from '../../core/validation.js';
import { ZoneSchema } from '../../core/risk/risk-file-schema.js';
import { zonesUnder } from '../services/risk-zones.js';
import { defineUseCase } from '../use-case.js';

export const SetRiskPolicyInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  policy: RiskPolicySchema,
  reason: ReasonSchema.optional(),
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

/** What a policy change did: the RMP record's new revision and the estimates that moved between zones. */
export const PolicyChangeSchema = z.strictObject({
  record: RecordSummarySchema,
  previousRevision: z.number().int(),
  revision: z.number().int(),
  evaluated: z.number().int(),
  moves: z.array(z.strictObject({ risk: z.string(), estimate: z.enum(['initial', 'residual']), from: ZoneSchema, to: ZoneSchema })).readonly(),
});

/** `risk.policy`: set the product's risk policy; every estimate is re-evaluated in the same transaction. */
export const setRiskPolicyUseCase = defineUseCase({
  name: 'risk.policy',
  summary: "Set the product's risk policy and re-evaluate every estimate under it.",
  kind: 'write',
  what: 'risk policy',
  input: SetRiskPolicyInputSchema,
  output: PolicyChangeSchema,
  permission: 'risk.policy',
  http: { method: 'PUT', path: '/api/v1/products/:productKey/risk/policy' },
  run: ({ deps }, input) => setRiskPolicy(deps, input),
});

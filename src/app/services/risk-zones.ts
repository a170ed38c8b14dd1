import { estimateOf, evaluateEstimate, hasEstimate, type RiskPolicy, type Zone } from '../../core/risk/policy.js';

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

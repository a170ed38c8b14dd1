import { stringify } from 'yaml';

/**
 * A risk policy as YAML, in the shape `dossier risk policy set` reads back; no line wrapping, so long criteria stay
 * on one line each.
 */
export function riskPolicyYaml(policy: unknown): string {
  return stringify(policy, { lineWidth: 0 });
}

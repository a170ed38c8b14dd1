import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { canonicalJson } from '../../core/hashing.js';
import { IdentityPolicySchema } from '../../core/identity/policy.js';
import { defineUseCase } from '../use-case.js';
import { identityOf } from '../services/identity.js';

/** The audit entity of the identity policy. */
export const IDENTITY_POLICY_ENTITY = 'configuration/identity-policy';

/**
 * Records the identity policy this process enforces (password rules, ageing, lockout, session timeouts) in the audit
 * trail when it differs from the last one recorded (21 CFR 11.10(k): configuration changes are audit-trailed). The
 * policy is the server's configuration, read at start-up: `dossier serve` calls this before it listens, so every
 * change of the policy in force is an IDENTITY_POLICY_SET event, with the previous policy as its old value. It
 * records only the policy this process holds, never one a caller sends.
 */
export const recordIdentityPolicyUseCase = defineUseCase({
  name: 'identity.record-policy',
  summary: 'Record the identity policy in force in the audit trail when it changed.',
  kind: 'write',
  what: 'identity policy',
  input: z.strictObject({}),
  output: z.object({ recorded: z.boolean(), policy: IdentityPolicySchema }),
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/configuration/identity-policy' },
  run: async ({ deps, services }) => {
    const policy = identityOf(services).policy;
    return deps.store.write(async (w) => {
      const [last] = await w.listAudit({ entityId: IDENTITY_POLICY_ENTITY, actions: ['IDENTITY_POLICY_SET'], newestFirst: true, limit: 1 });
      const before: unknown = last?.newValue === undefined || last.newValue === null ? null : JSON.parse(last.newValue);
      if (before !== null && canonicalJson(before) === canonicalJson(policy)) return { recorded: false, policy };
      await appendAudit(w, deps, deps.clock.now(), [
        {
          action: 'IDENTITY_POLICY_SET',
          entityType: 'configuration',
          entityId: IDENTITY_POLICY_ENTITY,
          productKey: null,
          ...(before === null ? {} : { oldValue: before }),
          newValue: policy,
        },
      ]);
      return { recorded: true, policy };
    });
  },
});

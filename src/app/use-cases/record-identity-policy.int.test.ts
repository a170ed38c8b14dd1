import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localPrincipal } from '../../core/access/principal.js';
import { DEFAULT_IDENTITY_POLICY, type IdentityPolicy } from '../../core/identity/policy.js';
import type { Deps } from '../../core/ports.js';
import { argon2Hasher, TEST_ARGON2_COST } from '../../shared/argon2-hasher.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import { execute } from '../execute.js';
import { randomSecret } from '../identity-services.js';
import type { AppServices } from '../use-case.js';
import { listAuditEvents } from './list-audit-events.js';
import { IDENTITY_POLICY_ENTITY, recordIdentityPolicyUseCase } from './record-identity-policy.js';

const servicesWith = (policy: IdentityPolicy): AppServices => ({
  builtinPacks: () => [],
  identity: () => ({ hasher: argon2Hasher(TEST_ARGON2_COST), policy, newSecret: randomSecret }),
});

describe.each(DIALECTS)('the identity policy in force, in the audit trail, on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect, 'ops'));
  });
  afterEach(async () => t.cleanup());

  const start = (policy: IdentityPolicy) => execute(recordIdentityPolicyUseCase, { deps, principal: localPrincipal('ops'), services: servicesWith(policy) }, {}, { checkOutput: true });
  const policyEvents = async () => (await listAuditEvents(deps, {})).filter((e) => e.entityId === IDENTITY_POLICY_ENTITY);

  it('P11-11: a server start records the policy once; the same policy again adds nothing; a changed one is recorded with the old', async () => {
    expect(await start(DEFAULT_IDENTITY_POLICY)).toMatchObject({ recorded: true });
    expect(await start(DEFAULT_IDENTITY_POLICY)).toMatchObject({ recorded: false });
    const stricter = { ...DEFAULT_IDENTITY_POLICY, lockoutAttempts: 3, passwordMaxAgeDays: 90 };
    expect(await start(stricter)).toMatchObject({ recorded: true, policy: stricter });
    const events = await policyEvents();
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['IDENTITY_POLICY_SET', 'ops'],
      ['IDENTITY_POLICY_SET', 'ops'],
    ]);
    expect(JSON.parse(events[0]?.newValue ?? 'null')).toEqual(DEFAULT_IDENTITY_POLICY);
    expect(events[0]?.oldValue).toBeNull();
    expect(JSON.parse(events[1]?.oldValue ?? 'null')).toEqual(DEFAULT_IDENTITY_POLICY);
    expect(JSON.parse(events[1]?.newValue ?? 'null')).toEqual(stricter);
  });
});

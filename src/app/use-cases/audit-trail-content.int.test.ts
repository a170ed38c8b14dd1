import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ANONYMOUS, localPrincipal, type Principal } from '../../core/access/principal.js';
import type { AuditEvent } from '../../core/audit.js';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import { DEFAULT_IDENTITY_POLICY } from '../../core/identity/policy.js';
import type { Deps } from '../../core/ports.js';
import { DEFAULT_RISK_POLICY } from '../../core/risk/policy.js';
import { loadBuiltinPacks, parseRulePack } from '../../ingest/rule-pack-file.js';
import { expectAppError as rejects } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { TEST_SERVICES } from '../../test-support/services.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { execute } from '../execute.js';
import { USE_CASES } from '../registry.js';
import { StoreAuthenticator } from '../store-authenticator.js';
import type { AppServices, UseCase } from '../use-case.js';
import { addRecordUseCase } from './add-record.js';
import { addRulePackUseCase } from './add-rule-pack.js';
import { configureRuleUseCase } from './configure-rule.js';
import { createUserUseCase } from './create-user.js';
import { editProductUseCase } from './edit-product.js';
import { editRecordUseCase } from './edit-record.js';
import { exportAuditTrailUseCase } from './export-audit-trail.js';
import { grantRoleUseCase } from './grant-role.js';
import { listAuditEvents } from './list-audit-events.js';
import { logInUseCase } from './log-in.js';
import { revokeRoleUseCase } from './revoke-role.js';
import { setRiskPolicyUseCase } from './set-risk-policy.js';
import { verifyIntegrity } from './verify-integrity.js';

const PASSWORD = 'correct horse battery staple';
const packs = loadBuiltinPacks(DEFAULT_CATALOG);
const services: AppServices = { ...TEST_SERVICES, builtinPacks: () => packs };
/** The server's clock: every event of this test happens at this UTC time. */
const SERVER_TIME = '2026-05-04T10:20:30.000Z';

/**
 * What the audit trail holds for each change (21 CFR 11.10(e)) and which configuration changes it covers
 * (11.10(k)), through `execute` as a logged-in user, on both databases.
 */
describe.each(DIALECTS)('what the audit trail keeps on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let ada: Principal;

  beforeEach(async () => {
    t = await openTestStore(dialect);
    deps = { ...testDeps(t.store, 'ops'), clock: { now: () => SERVER_TIME } };
    await aProduct(deps);
    await execute(createUserUseCase, { deps, principal: localPrincipal('ops'), services }, {
      username: 'ada',
      printedName: 'Ada Lovelace',
      admin: true,
      password: PASSWORD,
    });
    const login = await execute(logInUseCase, { deps, principal: ANONYMOUS, services }, { username: 'ada', password: PASSWORD });
    ada = await new StoreAuthenticator(t.store, deps.clock, DEFAULT_IDENTITY_POLICY).fromSession(login.sessionId);
  });
  afterEach(async () => t.cleanup());

  const run = <I extends z.ZodType, O extends z.ZodType>(uc: UseCase<I, O>, input: z.input<I>): Promise<z.output<O>> =>
    execute(uc, { deps, principal: ada, services }, input, { checkOutput: true });
  const eventsAfter = async (seq: number): Promise<AuditEvent[]> => listAuditEvents(deps, { afterSeq: seq, limit: 10_000 });
  const head = async (): Promise<number> => (await listAuditEvents(deps, { limit: 10_000 })).at(-1)?.seq ?? 0;

  it('P11-05: the system writes each change with server UTC time, user, record, action, old and new value and reason', async () => {
    await run(addRecordUseCase, { productKey: 'RPM', record: { type: 'SRS', title: 'Upload uses TLS' } });
    const before = await head();
    const edit = { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'Upload uses TLS 1.3 only', reason: 'auditor finding 7' };
    await run(editRecordUseCase, edit);
    const [e, ...more] = await eventsAfter(before);
    expect(more).toEqual([]);
    expect(e).toMatchObject({
      occurredAt: SERVER_TIME,
      actor: 'ada',
      action: 'RECORD_REVISED',
      entityType: 'record',
      entityId: 'RPM/SRS-1',
      productKey: 'RPM',
      reason: 'auditor finding 7',
    });
    expect(e?.oldValue).toContain('Upload uses TLS');
    expect(e?.newValue).toContain('Upload uses TLS 1.3 only');
    // Nobody supplies the time or the actor: the input has no place for them.
    for (const forged of [{ actor: 'mallory' }, { occurredAt: '2020-01-01T00:00:00.000Z' }]) {
      await rejects(
        run(editRecordUseCase, { productKey: 'RPM', record: 'SRS-1', baseRevision: 2, title: 'x', ...forged }),
        'INVALID_INPUT',
        /unrecognized|unknown/i,
      );
    }
    // No use-case writes to the trail itself: every audit use-case only reads.
    const auditUseCases = USE_CASES.filter((uc) => uc.name.startsWith('audit.'));
    expect(auditUseCases.length).toBeGreaterThan(0);
    expect(auditUseCases.filter((uc) => uc.kind !== 'read').map((uc) => uc.name)).toEqual([]);
    // The export names the user by ID and printed name, and carries the event as stored.
    const exp = await run(exportAuditTrailUseCase, { productKey: 'RPM', record: 'SRS-1' });
    expect(exp.actors).toEqual([{ username: 'ada', printedName: 'Ada Lovelace' }]);
    expect(exp.events.at(-1)).toEqual(e);
    expect(exp.verification.ok).toBe(true);
  });

  it('P11-11: configuration changes are audit-trailed (who, when, old and new): rules, packs, risk policy, class, roles [DOSSIER-SRS-17]', async () => {
    const justification = 'Reminders are scheduled by the phone OS';
    const pack = [
      'pack: team',
      'title: Team',
      'rules:',
      '  - id: TEAM-DOC-LOCATION',
      '    clause: ISO 13485 4.2.4',
      '    title: Documents say where they live',
      '    severity: warning',
      '    select: { type: DOC }',
      '    require: { fields: [location] }',
      '    message: "{key} has no location"',
      '    why: We keep documents in git.',
      '    hint: Set location.',
    ].join('\n');
    const policyReason = 'adopt the RMP criteria';
    const classReason = 'a failure can now lead to serious injury';
    const changes: [string, () => Promise<unknown>, string][] = [
      [
        'rule setting',
        () => run(configureRuleUseCase, { productKey: 'RPM', ruleId: 'IEC62304-5.3.1-SRS-ALLOCATED', action: 'disable', justification }),
        'RULE_DISABLED',
      ],
      [
        'rule pack',
        () => run(addRulePackUseCase, { productKey: 'RPM', pack: parseRulePack(pack, 'team.yaml', DEFAULT_CATALOG) }),
        'RULE_PACK_ADDED',
      ],
      [
        'risk policy',
        () => run(setRiskPolicyUseCase, { productKey: 'RPM', policy: DEFAULT_RISK_POLICY, reason: policyReason }),
        'RECORD_CREATED',
      ],
      ['safety class', () => run(editProductUseCase, { productKey: 'RPM', safetyClass: 'C', reason: classReason }), 'PRODUCT_EDITED'],
      ['role grant', () => run(grantRoleUseCase, { username: 'ada', role: 'viewer', productKey: 'RPM' }), 'ROLE_GRANTED'],
      ['role revocation', () => run(revokeRoleUseCase, { username: 'ada', role: 'viewer', productKey: 'RPM' }), 'ROLE_REVOKED'],
    ];
    type Seen = { action: string; actor: string; occurredAt: string; old: unknown; new: unknown; reason: string | null };
    const seen: Record<string, Seen[]> = {};
    for (const [what, change] of changes) {
      const before = await head();
      await change();
      seen[what] = (await eventsAfter(before)).map((e) => ({
        action: e.action,
        actor: e.actor,
        occurredAt: e.occurredAt,
        old: JSON.parse(e.oldValue ?? 'null') as unknown,
        new: JSON.parse(e.newValue ?? 'null') as unknown,
        reason: e.reason,
      }));
    }
    for (const [what, , action] of changes) {
      const events = seen[what] ?? [];
      expect(events.map((e) => e.action), what).toContain(action);
      for (const e of events) expect([what, e.actor, e.occurredAt]).toEqual([what, 'ada', SERVER_TIME]);
    }
    expect(seen['rule setting']?.[0]).toMatchObject({ old: { enabled: true }, new: { enabled: false }, reason: justification });
    expect(seen['safety class']?.[0]).toMatchObject({ old: { safetyClass: 'B' }, new: { safetyClass: 'C' }, reason: classReason });
    expect(seen['role grant']?.[0]).toMatchObject({ new: { username: 'ada', role: 'viewer', productKey: 'RPM' } });
    expect(seen['risk policy']?.find((e) => e.action === 'RECORD_CREATED')).toMatchObject({
      new: { fields: { matrix: DEFAULT_RISK_POLICY.matrix } },
      reason: policyReason,
    });
    // The trail proves the configuration in force: changed behind the application's back, it would not verify.
    expect((await verifyIntegrity(deps)).problems).toEqual([]);
  });
});

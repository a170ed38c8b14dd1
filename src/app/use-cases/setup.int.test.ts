import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { expectAppError as rejects } from '../../test-support/assertions.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { aProduct } from '../../test-support/factories.js';
import { ANONYMOUS, localPrincipal, type Principal } from '../../core/access/principal.js';
import type { Deps } from '../../core/ports.js';
import { DEFAULT_IDENTITY_POLICY } from '../../core/identity/policy.js';
import { argon2Hasher, TEST_ARGON2_COST } from '../../shared/argon2-hasher.js';
import { execute } from '../execute.js';
import { randomSecret, type IdentityServices } from '../identity-services.js';
import { newSetupCode, normalizeSetupCode, setupCodeMatches } from '../setup-code.js';
import { StoreAuthenticator } from '../store-authenticator.js';
import type { AppServices, UseCase } from '../use-case.js';
import { createUserUseCase } from './create-user.js';
import { listAuditEvents } from './list-audit-events.js';
import { listUsersUseCase } from './list-users.js';
import { logInUseCase } from './log-in.js';
import { setUpFirstAdminUseCase, setupStatusUseCase } from './set-up-first-admin.js';
import { unlockUserUseCase } from './unlock-user.js';
import { verifyIntegrity } from './verify-integrity.js';

const POLICY = { ...DEFAULT_IDENTITY_POLICY, lockoutAttempts: 2, lockoutMinutes: 30 };
const identity: IdentityServices = { hasher: argon2Hasher(TEST_ARGON2_COST), policy: POLICY, newSecret: randomSecret };
const CODE = 'ABCD-2345';
const PASSWORD = 'correct horse battery staple';

describe('the set-up code', () => {
  it('is XXXX-XXXX from unambiguous letters and digits, and matches however it is typed', () => {
    const code = newSetupCode();
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(newSetupCode()).not.toBe(code);
    expect(normalizeSetupCode(' abcd2345 ')).toBe(CODE);
    expect(setupCodeMatches(CODE, 'abcd-2345')).toBe(true);
    expect(setupCodeMatches(CODE, 'ABCD-2346')).toBe(false);
    expect(setupCodeMatches(CODE, '')).toBe(false);
  });
});

describe.each(DIALECTS)('first-run set-up and unlocking on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let code: string | undefined;
  const services: AppServices = { builtinPacks: () => [], identity: () => identity, setupCode: () => code };

  beforeEach(async () => {
    t = await openTestStore(dialect);
    deps = testDeps(t.store, 'ops');
    code = CODE;
    await aProduct(deps);
  });
  afterEach(async () => t.cleanup());

  const run = <I extends z.ZodType, O extends z.ZodType>(uc: UseCase<I, O>, p: Principal, input: z.input<I>): Promise<z.output<O>> =>
    execute(uc, { deps, principal: p, services }, input, { checkOutput: true });
  const setUp = (input: Partial<z.input<typeof setUpFirstAdminUseCase.input>> = {}): Promise<unknown> =>
    run(setUpFirstAdminUseCase, ANONYMOUS, { code: CODE, username: 'ada', printedName: 'Ada Lovelace', password: PASSWORD, ...input });

  it('creates the first administrator with the set-up code, logs it in, audit-logs it, then refuses', async () => {
    expect(await run(setupStatusUseCase, ANONYMOUS, {})).toEqual({ needed: true });
    await rejects(setUp({ code: 'WXYZ-9999' }), 'UNAUTHENTICATED', /wrong set-up code/);
    await rejects(setUp({ password: 'short' }), 'INVALID_INPUT', /password/);
    expect(await run(listUsersUseCase, localPrincipal('ops'), {})).toEqual([]);
    const out = (await setUp({ code: 'abcd 2345' })) as { sessionId: string; user: { username: string; roles: unknown } };
    expect(out.user).toMatchObject({ username: 'ada', kind: 'user', roles: [{ productKey: '*', role: 'admin' }], mustChangePassword: false });
    const ada = await new StoreAuthenticator(t.store, deps.clock, POLICY).fromSession(out.sessionId);
    expect(ada).toMatchObject({ id: 'ada', kind: 'user', grants: [{ productKey: '*', role: 'admin' }] });
    const events = (await listAuditEvents(deps, {})).slice(-2);
    expect(events.map((e) => [e.action, e.actor, e.entityId])).toEqual([
      ['USER_CREATED', 'ada', 'user/ada'],
      ['ROLE_GRANTED', 'ada', 'user/ada/grant/1'],
    ]);
    expect(JSON.parse(events[1]?.newValue ?? 'null')).toEqual({ username: 'ada', grantId: 1, productKey: '*', role: 'admin' });
    expect(JSON.stringify(await listAuditEvents(deps, {}))).not.toContain(PASSWORD);
    expect((await verifyIntegrity(deps)).ok).toBe(true);
    expect(await run(setupStatusUseCase, ANONYMOUS, {})).toEqual({ needed: false });
    // Once there is a user, the code (still held by the server process) opens nothing.
    await rejects(setUp({ username: 'mallory', printedName: 'Mallory' }), 'CONFLICT', /already set up/);
    expect(await run(logInUseCase, ANONYMOUS, { username: 'ada', password: PASSWORD })).toMatchObject({ user: { username: 'ada' } });
  });

  it('is closed without a set-up code (a store that had users when the server started), and after a user was made', async () => {
    code = undefined;
    await rejects(setUp(), 'UNAUTHENTICATED', /set-up is not open/);
    code = CODE;
    await run(createUserUseCase, localPrincipal('ops'), { username: 'ops-admin', printedName: 'Ops Admin', admin: true, password: PASSWORD });
    await rejects(setUp(), 'CONFLICT', /already set up/);
  });

  it('unlocks a locked account: USER_UNLOCKED, counter reset; refuses an account that is not locked', async () => {
    const ops = localPrincipal('ops');
    await run(createUserUseCase, ops, { username: 'ada', printedName: 'Ada Lovelace', admin: true, password: PASSWORD });
    await rejects(run(unlockUserUseCase, ops, { username: 'ada' }), 'INVALID_STATE', /not locked/);
    for (let i = 0; i < 2; i++) await rejects(run(logInUseCase, ANONYMOUS, { username: 'ada', password: 'a wrong password!' }), 'UNAUTHENTICATED', /login failed/);
    expect((await run(listUsersUseCase, ops, {}))[0]?.lockedUntil).not.toBeNull();
    const user = await run(unlockUserUseCase, ops, { username: 'ada', reason: 'called the helpdesk' });
    expect(user).toMatchObject({ username: 'ada', failedAttempts: 0, lockedUntil: null });
    const last = (await listAuditEvents(deps, {})).at(-1);
    expect(last).toMatchObject({ action: 'USER_UNLOCKED', actor: 'ops', entityId: 'user/ada', reason: 'called the helpdesk' });
    expect(JSON.parse(last?.oldValue ?? 'null')).toMatchObject({ failedAttempts: 2 });
    expect(await run(logInUseCase, ANONYMOUS, { username: 'ada', password: PASSWORD })).toMatchObject({ user: { username: 'ada' } });
    await rejects(run(unlockUserUseCase, ops, { username: 'nobody' }), 'NOT_FOUND', /nobody/);
  });
});

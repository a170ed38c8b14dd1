import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { expectAppError as rejects } from '../../test-support/assertions.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { aProduct } from '../../test-support/factories.js';
import { ANONYMOUS, localPrincipal, type Principal } from '../../core/access/principal.js';
import type { Clock, Deps } from '../../core/ports.js';
import { DEFAULT_IDENTITY_POLICY } from '../../core/identity/policy.js';
import { argon2Hasher, TEST_ARGON2_COST } from '../../shared/argon2-hasher.js';
import { execute } from '../execute.js';
import { randomSecret, type IdentityServices } from '../identity-services.js';
import { StoreAuthenticator } from '../store-authenticator.js';
import type { AnyUseCase, AppServices, UseCase } from '../use-case.js';
import type { z } from 'zod';
import { listAuditEvents } from './list-audit-events.js';
import { verifyIntegrity } from './verify-integrity.js';
import { createUserUseCase } from './create-user.js';
import { listUsersUseCase } from './list-users.js';
import { deactivateUserUseCase } from './deactivate-user.js';
import { grantRoleUseCase } from './grant-role.js';
import { revokeRoleUseCase } from './revoke-role.js';
import { issuePasswordResetUseCase } from './issue-password-reset.js';
import { resetPasswordUseCase } from './reset-password.js';
import { changePasswordUseCase } from './change-password.js';
import { logInUseCase } from './log-in.js';
import { logOutUseCase } from './log-out.js';
import { whoAmIUseCase } from './who-am-i.js';
import { createTokenUseCase } from './create-token.js';
import { listTokensUseCase } from './list-tokens.js';
import { revokeTokenUseCase } from './revoke-token.js';
import { getAccessReviewUseCase } from './get-access-review.js';
import { withLoginAlerts, type FailedLogin } from '../identity-services.js';

/** A clock the test moves by hand. */
class ManualClock implements Clock {
  private t = Date.parse('2026-03-01T08:00:00.000Z');
  now(): string {
    return new Date(this.t).toISOString();
  }
  advance(minutes: number): void {
    this.t += minutes * 60_000;
  }
}

const POLICY = { ...DEFAULT_IDENTITY_POLICY, lockoutAttempts: 3, lockoutMinutes: 10, sessionIdleMinutes: 30, sessionAbsoluteHours: 2 };
const identity: IdentityServices = { hasher: argon2Hasher(TEST_ARGON2_COST), policy: POLICY, newSecret: randomSecret };
const services: AppServices = { builtinPacks: () => [], identity: () => identity };

const ADA_PASSWORD = 'correct horse battery staple';
const BOB_PASSWORD = 'writes-requirements-42';
const IDENTITY_TABLES = ['users', 'role_grants', 'sessions', 'api_tokens', 'password_resets', 'audit_events'] as const;

describe.each(DIALECTS)('identity use-cases on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let clock: ManualClock;
  let auth: StoreAuthenticator;
  const operator = localPrincipal('ops');

  beforeEach(async () => {
    t = await openTestStore(dialect);
    clock = new ManualClock();
    deps = { ...testDeps(t.store, 'ops'), clock };
    auth = new StoreAuthenticator(t.store, clock, POLICY);
    await aProduct(deps);
  });
  afterEach(async () => t.cleanup());

  const run = <I extends z.ZodType, O extends z.ZodType>(uc: UseCase<I, O>, p: Principal, input: z.input<I>): Promise<z.output<O>> =>
    execute(uc, { deps, principal: p, services }, input, { checkOutput: true });
  const events = async (): Promise<{ action: string; actor: string; entityId: string; newValue: unknown }[]> =>
    (await listAuditEvents(deps, {})).map((e) => ({ action: e.action, actor: e.actor, entityId: e.entityId, newValue: JSON.parse(e.newValue ?? 'null') as unknown }));
  const lastEvents = async (n: number): Promise<string[]> => (await events()).slice(-n).map((e) => e.action);
  const rawDump = async (): Promise<string> => {
    const parts: unknown[] = [];
    for (const table of IDENTITY_TABLES) parts.push(await t.store.db.selectFrom(table).selectAll().execute());
    return JSON.stringify(parts);
  };
  /** The same dump, without the newest audit event. */
  const rawDumpWithoutLastEvent = async (): Promise<string> => {
    const parts: unknown[] = [];
    for (const table of IDENTITY_TABLES) {
      const rows = await t.store.db.selectFrom(table).selectAll().execute();
      parts.push(table === 'audit_events' ? rows.slice(0, -1) : rows);
    }
    return JSON.stringify(parts);
  };
  /** The first admin, created by the operator of the local store, and a logged-in principal for them. */
  const firstAdmin = async (): Promise<Principal> => {
    await run(createUserUseCase, operator, { username: 'ada', printedName: 'Ada Lovelace', admin: true, password: ADA_PASSWORD });
    const login = await run(logInUseCase, ANONYMOUS, { username: 'ada', password: ADA_PASSWORD });
    return auth.fromSession(login.sessionId);
  };
  /** Bob, an author on RPM, with a password set through his reset secret. */
  const bob = async (admin: Principal): Promise<Principal> => {
    const created = await run(createUserUseCase, admin, { username: 'bob', printedName: 'Bob Builder' });
    await run(resetPasswordUseCase, ANONYMOUS, { secret: created.resetSecret ?? '', newPassword: BOB_PASSWORD });
    await run(grantRoleUseCase, admin, { username: 'bob', role: 'author', productKey: 'RPM' });
    const login = await run(logInUseCase, ANONYMOUS, { username: 'bob', password: BOB_PASSWORD });
    return auth.fromSession(login.sessionId);
  };

  it('creates the first admin from the local operator, logs in, and keeps only an argon2id hash of the password [DOSSIER-SRS-28]', async () => {
    const ada = await firstAdmin();
    expect(ada).toMatchObject({ id: 'ada', kind: 'user', printedName: 'Ada Lovelace', grants: [{ productKey: '*', role: 'admin' }] });
    expect(await events()).toEqual(
      expect.arrayContaining([
        { action: 'USER_CREATED', actor: 'ops', entityId: 'user/ada', newValue: { username: 'ada', printedName: 'Ada Lovelace', passwordSet: true } },
        { action: 'ROLE_GRANTED', actor: 'ops', entityId: 'user/ada/grant/1', newValue: { username: 'ada', grantId: 1, productKey: '*', role: 'admin' } },
      ]),
    );
    expect(await run(whoAmIUseCase, ada, {})).toMatchObject({ username: 'ada', kind: 'user', mustChangePassword: false });
    const dump = await rawDump();
    expect(dump).not.toContain(ADA_PASSWORD);
    const [row] = await t.store.db.selectFrom('users').select('password_hash').execute();
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$/);
  });

  it('P11-20: lets an administrator create a user only with a one-time reset secret, never a password', async () => {
    const ada = await firstAdmin();
    const before = await rawDump();
    await rejects(run(createUserUseCase, ada, { username: 'bob', printedName: 'Bob', password: BOB_PASSWORD }), 'FORBIDDEN', /never sets a password/);
    // Nothing changed but the trail, which keeps the refusal.
    expect(await lastEvents(1)).toEqual(['ACCESS_DENIED']);
    expect(await rawDumpWithoutLastEvent()).toBe(before);
    const created = await run(createUserUseCase, ada, { username: 'bob', printedName: 'Bob Builder' });
    expect(created.user).toMatchObject({ username: 'bob', passwordSetAt: null, mustChangePassword: true });
    expect(await lastEvents(2)).toEqual(['USER_CREATED', 'PASSWORD_RESET_ISSUED']);
    await rejects(run(logInUseCase, ANONYMOUS, { username: 'bob', password: BOB_PASSWORD }), 'UNAUTHENTICATED', /login failed/);
    await rejects(run(resetPasswordUseCase, ANONYMOUS, { secret: created.resetSecret ?? '', newPassword: 'short' }), 'INVALID_INPUT', /newPassword: it must be at least 12/);
    expect(await run(resetPasswordUseCase, ANONYMOUS, { secret: created.resetSecret ?? '', newPassword: BOB_PASSWORD })).toEqual({ username: 'bob' });
    expect((await events()).at(-1)).toEqual({ action: 'PASSWORD_CHANGED', actor: 'bob', entityId: 'user/bob', newValue: { username: 'bob', via: 'reset' } });
    // One time only.
    await rejects(run(resetPasswordUseCase, ANONYMOUS, { secret: created.resetSecret ?? '', newPassword: 'another-long-password' }), 'UNAUTHENTICATED', /already used or expired/);
    const login = await run(logInUseCase, ANONYMOUS, { username: 'bob', password: BOB_PASSWORD });
    expect(login.user).toMatchObject({ username: 'bob', mustChangePassword: false });
    const dump = await rawDump();
    expect(dump).not.toContain(created.resetSecret);
    expect(dump).not.toContain(login.sessionId);
    expect(dump).not.toContain(BOB_PASSWORD);
  });

  it('P11-20: forces a password change after an issued reset: no role until the user changes it', async () => {
    const ada = await firstAdmin();
    const b = await bob(ada);
    const issued = await run(issuePasswordResetUseCase, ada, { username: 'bob' });
    expect((await events()).at(-1)).toEqual({ action: 'PASSWORD_RESET_ISSUED', actor: 'ada', entityId: 'user/bob', newValue: { username: 'bob', expiresAt: issued.expiresAt } });
    expect(JSON.stringify(await events())).not.toContain(issued.resetSecret);
    const forced = await auth.fromSession((await run(logInUseCase, ANONYMOUS, { username: 'bob', password: BOB_PASSWORD })).sessionId);
    expect(forced).toMatchObject({ grants: [], mustChangePassword: true });
    await rejects(run(grantRoleUseCase, forced, { username: 'bob', role: 'admin', productKey: '*' }), 'FORBIDDEN', /user\.manage/);
    await rejects(run(changePasswordUseCase, forced, { currentPassword: 'not-my-password', newPassword: 'a-brand-new-password' }), 'UNAUTHENTICATED', /current password is wrong/);
    await run(changePasswordUseCase, forced, { currentPassword: BOB_PASSWORD, newPassword: 'a-brand-new-password' });
    expect((await events()).at(-1)).toMatchObject({ action: 'PASSWORD_CHANGED', actor: 'bob', newValue: { username: 'bob', via: 'change' } });
    expect((await auth.fromSession((await run(logInUseCase, ANONYMOUS, { username: 'bob', password: 'a-brand-new-password' })).sessionId)).grants).toEqual([
      { productKey: 'RPM', role: 'author' },
    ]);
    expect(b.id).toBe('bob');
  });

  it('P11-25: locks an account after the configured failed attempts, audit-logs it, and unlocks when the lockout ends [DOSSIER-SRS-28]', async () => {
    await firstAdmin();
    const attempt = (password: string): Promise<unknown> => run(logInUseCase, ANONYMOUS, { username: 'ada', password });
    await rejects(attempt('wrong-password-1'), 'UNAUTHENTICATED', /login failed/);
    await rejects(attempt('wrong-password-2'), 'UNAUTHENTICATED', /login failed/);
    expect((await lastEvents(1))[0]).not.toBe('USER_LOCKED');
    await rejects(attempt('wrong-password-3'), 'UNAUTHENTICATED', /login failed/);
    const locked = (await events()).at(-1);
    expect(locked).toMatchObject({ action: 'USER_LOCKED', actor: 'anonymous', entityId: 'user/ada', newValue: { username: 'ada', failedAttempts: 3 } });
    // The right password is refused while locked, with the same message as a wrong one or an unknown user.
    await rejects(attempt(ADA_PASSWORD), 'UNAUTHENTICATED', /^login failed: wrong username or password, or the account is locked or deactivated$/);
    await rejects(run(logInUseCase, ANONYMOUS, { username: 'nobody', password: ADA_PASSWORD }), 'UNAUTHENTICATED', /^login failed: wrong username or password, or the account is locked or deactivated$/);
    const users = await run(listUsersUseCase, operator, {});
    expect(users[0]).toMatchObject({ username: 'ada', failedAttempts: 3, lockedUntil: '2026-03-01T08:10:00.000Z' });
    clock.advance(11);
    expect(await attempt(ADA_PASSWORD)).toMatchObject({ user: { username: 'ada' } });
    expect((await run(listUsersUseCase, operator, {}))[0]).toMatchObject({ failedAttempts: 0, lockedUntil: null });
  });

  it('P11-04 P11-16 P11-24: deactivates a user: sessions and tokens stop working, the username stays taken', async () => {
    const ada = await firstAdmin();
    const b = await bob(ada);
    const token = await run(createTokenUseCase, b, { productKey: 'RPM', permissions: ['record.create'], name: 'ci' });
    const login = await run(logInUseCase, ANONYMOUS, { username: 'bob', password: BOB_PASSWORD });
    await run(deactivateUserUseCase, ada, { username: 'bob', reason: 'left the company' });
    const last = (await listAuditEvents(deps, {})).at(-1);
    expect(last).toMatchObject({ action: 'USER_DEACTIVATED', actor: 'ada', entityId: 'user/bob', reason: 'left the company' });
    expect(await auth.fromSession(login.sessionId)).toBe(ANONYMOUS);
    expect(await auth.fromToken(token.token)).toBe(ANONYMOUS);
    await rejects(run(logInUseCase, ANONYMOUS, { username: 'bob', password: BOB_PASSWORD }), 'UNAUTHENTICATED', /login failed/);
    await rejects(run(createUserUseCase, ada, { username: 'Bob', printedName: 'Another Bob' }), 'CONFLICT', /username 'bob' is taken/);
    await rejects(run(deactivateUserUseCase, ada, { username: 'bob' }), 'INVALID_STATE', /already deactivated/);
    expect((await run(listUsersUseCase, ada, {})).map((u: { username: string; deactivatedBy: string | null }) => [u.username, u.deactivatedBy])).toEqual([
      ['ada', null],
      ['bob', 'ada'],
    ]);
  });

  it('P11-11: grants and revokes roles; a revoked grant is kept and takes effect at the next request', async () => {
    const ada = await firstAdmin();
    const b = await bob(ada);
    await rejects(run(grantRoleUseCase, ada, { username: 'bob', role: 'author', productKey: 'RPM' }), 'CONFLICT', /already holds author on RPM/);
    await rejects(run(grantRoleUseCase, ada, { username: 'bob', role: 'author', productKey: 'NOPE' }), 'NOT_FOUND', /no product 'NOPE'/);
    await rejects(run(grantRoleUseCase, b, { username: 'bob', role: 'admin', productKey: '*' }), 'FORBIDDEN', /bob may not grant/);
    const revoked = await run(revokeRoleUseCase, ada, { username: 'bob', role: 'author', productKey: 'RPM' });
    expect(revoked.roles).toEqual([]);
    expect((await events()).at(-1)).toMatchObject({ action: 'ROLE_REVOKED', actor: 'ada', entityId: 'user/bob/grant/2' });
    expect((await auth.fromSession((await run(logInUseCase, ANONYMOUS, { username: 'bob', password: BOB_PASSWORD })).sessionId)).grants).toEqual([]);
    await rejects(run(revokeRoleUseCase, ada, { username: 'bob', role: 'author', productKey: 'RPM' }), 'NOT_FOUND', /does not hold author on RPM/);
    expect(await t.store.db.selectFrom('role_grants').select(['id', 'revoked_by']).orderBy('id').execute()).toEqual([
      { id: 1, revoked_by: null },
      { id: 2, revoked_by: 'ada' },
    ]);
  });

  it('P11-08 P11-24: scopes a token to one product and never beyond its creator; revoking it works at once [DOSSIER-SRS-34]', async () => {
    const ada = await firstAdmin();
    const b = await bob(ada);
    await aProduct(deps, { key: 'OTHER' });
    await rejects(run(createTokenUseCase, b, { productKey: 'RPM', permissions: ['record.approve'], name: 'ci' }), 'FORBIDDEN', /cannot have more than its creator: bob does not hold record.approve on RPM/);
    await rejects(run(createTokenUseCase, b, { productKey: 'OTHER', permissions: ['record.create'], name: 'ci' }), 'FORBIDDEN', /bob may not/);
    await rejects(run(createTokenUseCase, ada, { productKey: 'RPM', permissions: ['user.manage'], name: 'ci' }), 'INVALID_INPUT', /user.manage is store-wide/);
    const token = await run(createTokenUseCase, b, { productKey: 'RPM', permissions: ['evidence.import', 'product.read'], name: 'ci' });
    expect(token.token).toMatch(/^dossier_/);
    const created = (await events()).at(-1);
    expect(created).toEqual({
      action: 'TOKEN_CREATED',
      actor: 'bob',
      entityId: `token/${token.id}`,
      newValue: { tokenId: token.id, name: 'ci', username: 'bob', productKey: 'RPM', permissions: ['evidence.import', 'product.read'] },
    });
    expect(await rawDump()).not.toContain(token.token);
    const p = await auth.fromToken(token.token);
    expect(p).toMatchObject({ id: 'bob', kind: 'token', grants: [{ productKey: 'RPM', role: 'author' }], scope: ['evidence.import', 'product.read'] });
    // Its scope holds even where bob's role would allow more.
    await rejects(run(createTokenUseCase, p, { productKey: 'RPM', permissions: ['record.create'], name: 'x' }), 'FORBIDDEN', /token.create/);
    const listed = await run(listTokensUseCase, b, {});
    expect(listed).toMatchObject([{ id: token.id, name: 'ci', username: 'bob', revokedAt: null }]);
    expect(listed[0]?.lastUsedAt).not.toBeNull();
    await rejects(run(listTokensUseCase, b, { all: true }), 'FORBIDDEN', /only its own tokens/);
    await run(revokeTokenUseCase, b, { id: token.id });
    expect((await events()).at(-1)).toMatchObject({ action: 'TOKEN_REVOKED', actor: 'bob', entityId: `token/${token.id}` });
    expect(await auth.fromToken(token.token)).toBe(ANONYMOUS);
    await rejects(run(revokeTokenUseCase, ada, { id: token.id }), 'INVALID_STATE', /already revoked/);
    expect(await auth.fromToken('dossier_not-a-token')).toBe(ANONYMOUS);
  });

  it('P11-23 P11-25: the access review lists users, roles per product, last login, password age, lockouts, tokens', async () => {
    const ada = await firstAdmin();
    clock.advance(60);
    const b = await bob(ada);
    await aProduct(deps, { key: 'OTHER' });
    await run(grantRoleUseCase, ada, { username: 'bob', role: 'viewer', productKey: 'OTHER' });
    const token = await run(createTokenUseCase, b, { productKey: 'RPM', permissions: ['product.read'], name: 'ci' });
    expect((await auth.fromToken(token.token)).id).toBe('bob');
    await run(createUserUseCase, ada, { username: 'carl', printedName: 'Carl Never' });
    await run(createUserUseCase, ada, { username: 'dora', printedName: 'Dora Gone' });
    await run(deactivateUserUseCase, ada, { username: 'dora', reason: 'left' });
    // Ada is locked by failed logins: the hook hears of each refusal after it is committed, never of the password.
    const alerts: FailedLogin[] = [];
    const alerting = withLoginAlerts(services, (a) => alerts.push(a));
    const tries = [['ada', 'wrong-1'], ['ada', 'wrong-2'], ['nobody', 'wrong-x'], ['ada', 'wrong-3'], ['ada', ADA_PASSWORD], ['dora', 'x']];
    for (const [username = '', password = ''] of tries) {
      const attempt = execute(logInUseCase, { deps, principal: ANONYMOUS, services: alerting }, { username, password });
      await rejects(attempt, 'UNAUTHENTICATED', /login failed/);
    }
    const until = '2026-03-01T09:10:00.000Z';
    expect(alerts).toEqual([
      { username: 'ada', refused: 'wrong_password', failedAttempts: 1, lockedUntil: null },
      { username: 'ada', refused: 'wrong_password', failedAttempts: 2, lockedUntil: null },
      { username: 'ada', refused: 'locked_now', failedAttempts: 3, lockedUntil: until },
      { username: 'ada', refused: 'locked', failedAttempts: 3, lockedUntil: until },
      { username: 'dora', refused: 'deactivated', failedAttempts: 0, lockedUntil: null },
    ]);
    clock.advance(90 * 1440 - 30);
    const policy = { ...POLICY, passwordMaxAgeDays: 90 };
    const ageing: AppServices = { builtinPacks: () => [], identity: () => ({ ...identity, policy }) };
    const review = await execute(getAccessReviewUseCase, { deps, principal: operator, services: ageing }, { lockoutDays: 365 }, { checkOutput: true });
    expect(review.policy).toMatchObject({ passwordMaxAgeDays: 90, lockoutAttempts: 3, lockoutMinutes: 10 });
    expect(review.lockouts).toEqual([
      { seq: expect.any(Number) as number, occurredAt: '2026-03-01T09:00:00.000Z', username: 'ada', failedAttempts: 3, lockedUntil: until },
    ]);
    const byName = new Map(review.users.map((u) => [u.username, u]));
    expect([...byName.keys()]).toEqual(['ada', 'bob', 'carl', 'dora']);
    expect(byName.get('ada')).toMatchObject({
      state: 'password_expired',
      roles: [{ productKey: '*', role: 'admin', grantedBy: 'ops' }],
      lastLoginAt: '2026-03-01T08:00:00.000Z',
      passwordAgeDays: 90,
      passwordExpired: true,
      failedAttempts: 3,
      lockedUntil: '2026-03-01T09:10:00.000Z',
      tokens: [],
    });
    expect(byName.get('bob')).toMatchObject({
      state: 'active',
      roles: [
        { productKey: 'RPM', role: 'author', grantedBy: 'ada' },
        { productKey: 'OTHER', role: 'viewer', grantedBy: 'ada' },
      ],
      lastLoginAt: '2026-03-01T09:00:00.000Z',
      openSessions: 0,
      passwordAgeDays: 89,
      passwordExpired: false,
      tokens: [{ id: token.id, name: 'ci', productKey: 'RPM', permissions: ['product.read'], revokedAt: null }],
    });
    expect(byName.get('bob')?.tokens[0]?.lastUsedAt).toBe('2026-03-01T09:00:00.000Z');
    expect(byName.get('carl')).toMatchObject({ state: 'no_password', lastLoginAt: null, passwordSetAt: null, passwordAgeDays: null });
    expect(byName.get('carl')).toMatchObject({ roles: [], tokens: [], openSessions: 0 });
    expect(byName.get('dora')).toMatchObject({ state: 'deactivated', deactivatedBy: 'ada' });
    // While the lockout lasts the review says so; no password hash ever leaves.
    clock.advance(-(90 * 1440 - 30));
    const now = await run(getAccessReviewUseCase, ada, {});
    expect(now.users.find((u) => u.username === 'ada')).toMatchObject({ state: 'locked', openSessions: 0 });
    expect(now.users.find((u) => u.username === 'bob')).toMatchObject({ state: 'active', openSessions: 1 });
    expect(JSON.stringify(now)).not.toMatch(/argon2|\$/);
    // Read-only: no audit event; user.manage needed, the refusal logged.
    const before = (await events()).length;
    await rejects(run(getAccessReviewUseCase, b, {}), 'FORBIDDEN', /user\.manage/);
    expect(await lastEvents(1)).toEqual(['ACCESS_DENIED']);
    expect((await events()).length).toBe(before + 1);
  });

  it('P11-19: ends sessions at logout, after the idle timeout and after the absolute timeout', async () => {
    await firstAdmin();
    const login = async (): Promise<string> => (await run(logInUseCase, ANONYMOUS, { username: 'ada', password: ADA_PASSWORD })).sessionId;
    const idle = await login();
    clock.advance(29);
    expect((await auth.fromSession(idle)).id).toBe('ada');
    clock.advance(29); // used 29 minutes ago: still alive
    expect((await auth.fromSession(idle)).id).toBe('ada');
    clock.advance(31);
    expect(await auth.fromSession(idle)).toBe(ANONYMOUS);
    const busy = await login();
    for (let i = 0; i < 4; i++) {
      clock.advance(25);
      expect((await auth.fromSession(busy)).id).toBe('ada');
    }
    clock.advance(25); // past 2 hours since login, however busy
    expect(await auth.fromSession(busy)).toBe(ANONYMOUS);
    const ended = await login();
    const p = await auth.fromSession(ended);
    expect(await run(logOutUseCase, p, {})).toEqual({ ended: true });
    expect(await auth.fromSession(ended)).toBe(ANONYMOUS);
    expect(await auth.fromSession('')).toBe(ANONYMOUS);
  });

  it('P11-01: keeps `audit verify` passing after identity changes, and finds an identity row changed outside the application', async () => {
    const ada = await firstAdmin();
    const b = await bob(ada);
    const token = await run(createTokenUseCase, b, { productKey: 'RPM', permissions: ['product.read'], name: 'ci' });
    await run(revokeTokenUseCase, ada, { id: token.id });
    await run(issuePasswordResetUseCase, ada, { username: 'bob' });
    await run(revokeRoleUseCase, ada, { username: 'bob', role: 'author', productKey: 'RPM' });
    await run(deactivateUserUseCase, ada, { username: 'bob' });
    await rejects(run(logInUseCase, ANONYMOUS, { username: 'ada', password: 'wrong-wrong-wrong' }), 'UNAUTHENTICATED', /login failed/);
    const ok = await verifyIntegrity(deps);
    expect(ok.problems).toEqual([]);
    expect(ok.ok).toBe(true);
    // Someone with the database file renames ada.
    await sql`update users set printed_name = 'Mallory' where username = 'ada'`.execute(t.store.db);
    const bad = await verifyIntegrity(deps);
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => p.message)).toContain("user user/ada: printed name is 'Mallory' in the store but 'Ada Lovelace' by the audit trail");
    // A token cannot be given more permissions (a fixed column); a user slipped in without the application is found.
    await expect(sql`update api_tokens set permissions = '["product.read","record.approve"]'`.execute(t.store.db)).rejects.toThrow(/dossier: /);
    await sql`insert into users (id, username, printed_name, must_change_password, created_at, created_by, failed_attempts)
      values (99, 'eve', 'Eve', 0, '2026-03-01T08:00:00.000Z', 'ops', 0)`.execute(t.store.db);
    const worse = (await verifyIntegrity(deps)).problems.map((p) => p.message);
    expect(worse).toContain('user user/eve has no audit event: it was written outside the application');
  });

  it('P11-20 P11-23: refuses an expired reset secret, and forces a change of an aged password [DOSSIER-SRS-28]', async () => {
    const ada = await firstAdmin();
    const created = await run(createUserUseCase, ada, { username: 'bob', printedName: 'Bob Builder' });
    clock.advance(POLICY.resetTicketHours * 60);
    await rejects(run(resetPasswordUseCase, ANONYMOUS, { secret: created.resetSecret ?? '', newPassword: BOB_PASSWORD }), 'UNAUTHENTICATED', /expired/);
    const ageing = { ...POLICY, passwordMaxAgeDays: 90 };
    const aged: AppServices = { builtinPacks: () => [], identity: () => ({ ...identity, policy: ageing }) };
    clock.advance(90 * 1440);
    const login = await execute(logInUseCase, { deps, principal: ANONYMOUS, services: aged }, { username: 'ada', password: ADA_PASSWORD });
    expect(login.user.mustChangePassword).toBe(true);
    const p = await new StoreAuthenticator(t.store, clock, ageing).fromSession(login.sessionId);
    expect(p).toMatchObject({ id: 'ada', grants: [], mustChangePassword: true });
  });

  it('P11-03 P11-16: the database refuses deleting identity rows, renaming a user, undoing a deactivation or a revocation', async () => {
    const ada = await firstAdmin();
    await bob(ada);
    await run(deactivateUserUseCase, ada, { username: 'bob' });
    await run(revokeRoleUseCase, ada, { username: 'ada', role: 'admin', productKey: '*' });
    const before = await rawDump();
    for (const statement of [
      sql`delete from users where username = 'bob'`,
      sql`update users set username = 'robert' where username = 'bob'`,
      sql`update users set deactivated_at = null, deactivated_by = null where username = 'bob'`,
      sql`update role_grants set revoked_at = null, revoked_by = null where id = 1`,
      sql`delete from role_grants`,
      sql`delete from sessions`,
    ]) {
      await expect(statement.execute(t.store.db)).rejects.toThrow(/dossier: /);
    }
    expect(await rawDump()).toBe(before);
  });

  it('P11-04: refuses bad input by field, and anonymous callers everywhere but login and reset', async () => {
    await rejects(run(createUserUseCase, operator, { username: '1bad', printedName: 'X' }), 'INVALID_INPUT', /username/);
    await rejects(run(createUserUseCase, operator, { username: 'carl', printedName: 'Carl', password: 'carl-is-short' }), 'INVALID_INPUT', /must not contain the username/);
    for (const uc of [listUsersUseCase, whoAmIUseCase, logOutUseCase, listTokensUseCase] as AnyUseCase[]) {
      await rejects(execute(uc, { deps, principal: ANONYMOUS, services }, {}), 'UNAUTHENTICATED', /needs a login/);
    }
  });
});

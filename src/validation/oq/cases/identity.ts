import assert from 'node:assert/strict';
import type { IdentityServices } from '../../../app/identity-services.js';
import { USE_CASES } from '../../../app/registry.js';
import { StoreAuthenticator } from '../../../app/store-authenticator.js';
import type { AppServices } from '../../../app/use-case.js';
import { addRecord, addRecordUseCase } from '../../../app/use-cases/add-record.js';
import { createUserUseCase } from '../../../app/use-cases/create-user.js';
import { editRecordUseCase } from '../../../app/use-cases/edit-record.js';
import { getRecordUseCase } from '../../../app/use-cases/get-record.js';
import { grantRoleUseCase } from '../../../app/use-cases/grant-role.js';
import { listAuditEvents } from '../../../app/use-cases/list-audit-events.js';
import { logInUseCase } from '../../../app/use-cases/log-in.js';
import { ANONYMOUS, type Principal } from '../../../core/access/principal.js';
import { PERMISSIONS, type Role } from '../../../core/access/permissions.js';
import type { Deps } from '../../../core/ports.js';
import type { OqCase, OqContext } from '../oq-case.js';
import { refused } from './records.js';
import { aProduct, operator, P, runAs, snapshot } from './support.js';

/** The identity services the server and CLI run with; a case fails when there are none. */
export function identityOf(ctx: OqContext): IdentityServices {
  const id = ctx.services.identity?.();
  assert.ok(id !== undefined, 'the process services have no identity services');
  return id;
}

/** A user with a password set by the local operator, holding `role` on `productKey` (none when null). */
export async function aUser(ctx: OqContext, username: string, printedName: string, password: string, role: Role | null, productKey = P): Promise<void> {
  await runAs(ctx, createUserUseCase, operator(ctx), { username, printedName, password });
  if (role !== null) await runAs(ctx, grantRoleUseCase, operator(ctx), { username, role, productKey });
}

/** Logs a user in and returns the principal their session stands for, as the server resolves it. */
export async function logIn(ctx: OqContext, username: string, password: string): Promise<Principal> {
  const login = await runAs(ctx, logInUseCase, ANONYMOUS, { username, password });
  return new StoreAuthenticator(ctx.store, ctx.deps.clock, identityOf(ctx).policy).fromSession(login.sessionId);
}

const PASSWORD = 'operational-qualification-1';

export const IDENTITY_CASES: readonly OqCase[] = [
  {
    id: 'OQ-17',
    title: 'a password must meet the policy and is kept only as an Argon2id hash; repeated failures lock the account; an aged password must be changed',
    verifies: ['SRS-28'],
    async run(ctx) {
      const { deps } = ctx;
      const id = identityOf(ctx);
      const before = await snapshot(deps);
      await refused(runAs(ctx, createUserUseCase, operator(ctx), { username: 'oq.short', printedName: 'Short Password', password: 'short' }), 'INVALID_INPUT', /at least 12 characters/);
      assert.equal(await snapshot(deps), before, 'a refused user was stored');

      await aUser(ctx, 'oq.user', 'OQ User', PASSWORD, null);
      const row = await ctx.store.db.selectFrom('users').select(['password_hash']).where('username', '=', 'oq.user').executeTakeFirstOrThrow();
      assert.match(row.password_hash ?? '', /^\$argon2id\$v=19\$/);
      assert.ok(!(await snapshot(deps)).includes(PASSWORD), 'the password itself is in the store');
      assert.equal((await runAs(ctx, logInUseCase, ANONYMOUS, { username: 'oq.user', password: PASSWORD })).user.mustChangePassword, false);

      // The policy's number of failures in a row locks the account: then even the right password is refused.
      for (let i = 1; i <= id.policy.lockoutAttempts; i++) {
        await refused(runAs(ctx, logInUseCase, ANONYMOUS, { username: 'oq.user', password: `wrong-password-${i}` }), 'UNAUTHENTICATED', /login failed/);
      }
      const locked = (await listAuditEvents(deps, { limit: 1000 })).at(-1);
      assert.equal(locked?.action, 'USER_LOCKED');
      assert.equal(locked?.entityId, 'user/oq.user');
      await refused(runAs(ctx, logInUseCase, ANONYMOUS, { username: 'oq.user', password: PASSWORD }), 'UNAUTHENTICATED', /login failed/);

      // 91 days on (the lockout long over): under a 90-day ageing policy the password must be changed first.
      const later = new Date(Date.now() + 91 * 86_400_000).toISOString();
      const laterDeps: Deps = { ...deps, clock: { now: () => later } };
      const ageingPolicy = { ...id.policy, passwordMaxAgeDays: 90 };
      const ageing: AppServices = { ...ctx.services, identity: () => ({ ...id, policy: ageingPolicy }) };
      const plain = await runAs(ctx, logInUseCase, ANONYMOUS, { username: 'oq.user', password: PASSWORD }, ctx.services, laterDeps);
      assert.equal(plain.user.mustChangePassword, id.policy.passwordMaxAgeDays !== 0 && id.policy.passwordMaxAgeDays <= 91);
      const aged = await runAs(ctx, logInUseCase, ANONYMOUS, { username: 'oq.user', password: PASSWORD }, ageing, laterDeps);
      assert.equal(aged.user.mustChangePassword, true);
      const principal = await new StoreAuthenticator(ctx.store, laterDeps.clock, ageingPolicy).fromSession(aged.sessionId);
      assert.equal(principal.mustChangePassword, true);
      assert.deepEqual(principal.grants, []);
    },
  },
  {
    id: 'OQ-18',
    title: 'every use-case names its permission; a caller without it on the product is refused, the refusal audited, and nothing else written',
    verifies: ['SRS-29'],
    async run(ctx) {
      const { deps } = ctx;
      for (const uc of USE_CASES) {
        const p = uc.permission;
        assert.ok(typeof p === 'function' || p === 'public' || p === 'signed-in' || Object.hasOwn(PERMISSIONS, p), `${uc.name} names no known permission`);
      }
      await aProduct(deps);
      await aProduct(deps, 'OQ2');
      await addRecord(deps, { productKey: P, record: { type: 'SRS', title: 'Upload uses TLS 1.3 only' } });
      await aUser(ctx, 'vic.viewer', 'Vic Viewer', PASSWORD, 'viewer');
      await aUser(ctx, 'dana.author', 'Dana Author', PASSWORD, 'author', 'OQ2');
      const vic = await logIn(ctx, 'vic.viewer', PASSWORD);
      const dana = await logIn(ctx, 'dana.author', PASSWORD);
      assert.equal((await runAs(ctx, getRecordUseCase, vic, { productKey: P, record: 'SRS-1' })).key, 'SRS-1');

      const before = await snapshot(deps, true);
      const events = (await listAuditEvents(deps, { limit: 1000 })).length;
      await refused(runAs(ctx, addRecordUseCase, vic, { productKey: P, record: { type: 'UN', title: 'Written by a viewer' } }), 'FORBIDDEN', /needs the permission record\.create on OQ/);
      await refused(runAs(ctx, editRecordUseCase, vic, { productKey: P, record: 'SRS-1', baseRevision: 1, title: 'Edited by a viewer' }), 'FORBIDDEN', /record\.edit/);
      // A role on another product gives nothing here.
      await refused(runAs(ctx, addRecordUseCase, dana, { productKey: P, record: { type: 'UN', title: 'Written by an outsider' } }), 'FORBIDDEN', /record\.create on OQ/);
      await refused(runAs(ctx, addRecordUseCase, ANONYMOUS, { productKey: P, record: { type: 'UN', title: 'Written by nobody' } }), 'UNAUTHENTICATED', /needs a login/);
      assert.equal(await snapshot(deps, true), before, 'a refused use-case wrote something');
      const refusals = (await listAuditEvents(deps, { limit: 1000 })).slice(events);
      assert.deepEqual(
        refusals.map((e) => `${e.action} ${e.actor}`),
        ['ACCESS_DENIED vic.viewer', 'ACCESS_DENIED vic.viewer', 'ACCESS_DENIED dana.author'],
      );
      // The same author may write where the role is held.
      assert.equal((await runAs(ctx, addRecordUseCase, dana, { productKey: 'OQ2', record: { type: 'UN', title: 'Written by its author' } })).key, 'UN-1');
    },
  },
];

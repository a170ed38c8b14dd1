import { TEST_SERVICES } from '../../test-support/services.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreAuthenticator } from '../store-authenticator.js';
import { execute } from '../execute.js';
import { localPrincipal } from '../../core/access/principal.js';
import { DEFAULT_IDENTITY_POLICY } from '../../core/identity/policy.js';
import { canonicalJson } from '../../core/hashing.js';
import type { Deps } from '../../core/ports.js';
import { expectAppError } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { createTokenUseCase } from './create-token.js';
import { createUserUseCase } from './create-user.js';
import { deactivateUserUseCase } from './deactivate-user.js';
import { exportStore } from './export-store.js';
import { grantRoleUseCase } from './grant-role.js';
import { importStore } from './import-store.js';
import { logInUseCase } from './log-in.js';
import { verifyIntegrity } from './verify-integrity.js';

const services = TEST_SERVICES;
const PASSWORD = 'correct horse battery staple';

/**
 * A whole-store export carries users (with their argon2id hash, never a password), role grants and API tokens (the
 * SHA-256 of their secret): restored, people log in as before, CI tokens keep working, and the restored store
 * verifies; an export whose identity rows the trail does not prove is refused.
 */
describe.each(DIALECTS)('users, grants and tokens in a store export on %s', (dialect) => {
  let src: TestStore;
  let dst: TestStore;
  let deps: Deps;
  let token: string;
  beforeEach(async () => {
    src = await openTestStore(dialect);
    dst = await openTestStore(dialect);
    deps = testDeps(src.store);
    await aProduct(deps);
    const ops = { deps, principal: localPrincipal('ops'), services };
    await execute(createUserUseCase, ops, { username: 'ada', printedName: 'Ada Lovelace', admin: true, password: PASSWORD });
    await execute(createUserUseCase, ops, { username: 'bob', printedName: 'Bob Builder', password: PASSWORD });
    await execute(grantRoleUseCase, ops, { username: 'bob', role: 'author', productKey: 'RPM' });
    await execute(createUserUseCase, ops, { username: 'cy', printedName: 'Cy Gone', password: PASSWORD });
    await execute(deactivateUserUseCase, ops, { username: 'cy', reason: 'left the company' });
    token = (await execute(createTokenUseCase, { ...ops, principal: localPrincipal('bob') }, { productKey: 'RPM', permissions: ['evidence.import'], name: 'CI' })).token;
  }, 60_000);
  afterEach(async () => {
    await src.cleanup();
    await dst.cleanup();
  });

  it('P11-03: restores them: the same export again, logins and tokens work, the store verifies [DOSSIER-SRS-9]', async () => {
    const doc = await exportStore(deps);
    expect(doc.users.map((u) => [u.id, u.username, u.deactivatedAt === null])).toEqual([
      [1, 'ada', true],
      [2, 'bob', true],
      [3, 'cy', false],
    ]);
    expect(doc.users.every((u) => u.passwordHash?.startsWith('$argon2id$') === true)).toBe(true);
    expect(JSON.stringify(doc)).not.toContain(PASSWORD);
    expect(JSON.stringify(doc)).not.toContain(token);
    const target = testDeps(dst.store, 'restorer');
    await importStore(target, JSON.parse(JSON.stringify(doc)) as unknown, 'backup.json');
    expect(canonicalJson(await exportStore(target))).toBe(canonicalJson(doc));
    expect((await verifyIntegrity(target)).ok).toBe(true);
    const login = await execute(logInUseCase, { deps: target, principal: localPrincipal('anonymous'), services }, { username: 'bob', password: PASSWORD });
    expect(login.user.username).toBe('bob');
    const ci = await new StoreAuthenticator(dst.store, target.clock, DEFAULT_IDENTITY_POLICY).fromToken(token);
    expect(ci).toMatchObject({ id: 'bob', kind: 'token', scope: ['evidence.import'] });
  });

  it('refuses an export whose users the trail does not prove, naming the user', async () => {
    const doc = JSON.parse(JSON.stringify(await exportStore(deps))) as { users: { printedName: string }[] };
    const bob = doc.users[1];
    if (bob === undefined) throw new Error('no second user');
    bob.printedName = 'Mallory';
    await expectAppError(importStore(testDeps(dst.store), doc, 'forged.json'), 'INVALID_INPUT', /forged\.json: the file fails its integrity check: .*bob.*printed name/);
    const noUsers = { ...(JSON.parse(JSON.stringify(await exportStore(deps))) as object), users: [], roleGrants: [], apiTokens: [] };
    await expectAppError(importStore(testDeps(dst.store), noUsers, 'stripped.json'), 'INVALID_INPUT', /stripped\.json: the file fails its integrity check: .*user/);
    expect((await dst.store.read((r) => r.listUsers())).length).toBe(0);
  });
});

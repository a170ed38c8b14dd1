import { Writable } from 'node:stream';
import { TEST_SERVICES } from '../test-support/services.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { execute } from '../app/execute.js';
import { StoreAuthenticator } from '../app/store-authenticator.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { createTokenUseCase } from '../app/use-cases/create-token.js';
import { grantRoleUseCase } from '../app/use-cases/grant-role.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { runCli } from '../cli/main.js';
import { localPrincipal } from '../core/access/principal.js';
import { DEFAULT_IDENTITY_POLICY } from '../core/identity/policy.js';
import type { Deps } from '../core/ports.js';
import { aProduct } from '../test-support/factories.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { buildServer } from './app.js';
import { SESSION_COOKIE } from './session.js';
import { serverLogger } from './logger.js';

const PASSWORD = 'correct horse battery staple';
const services = TEST_SERVICES;

/**
 * The server with the identity store's Authenticator: a user logs in (session cookie), makes an API token with the
 * CSRF token, CI uses the token (HTTP and the CLI with --server), the token is revoked, the user logs out.
 */
describe.each(DIALECTS)('logging in and API tokens over HTTP on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let app: FastifyInstance;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await execute(createUserUseCase, { deps, principal: localPrincipal('ops'), services }, {
      username: 'ada',
      printedName: 'Ada Lovelace',
      admin: true,
      password: PASSWORD,
    });
    const authenticator = new StoreAuthenticator(deps.store, deps.clock, DEFAULT_IDENTITY_POLICY);
    app = await buildServer({ deps, authenticator, services, checkOutput: true });
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  it('P11-08 P11-24: logs in, makes a token, lets CI use it, revokes it, logs out [DOSSIER-SRS-34]', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'ada', password: 'not it at all' } });
    expect(wrong.statusCode).toBe(401);
    const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'ada', password: PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.body).not.toContain('sessionId');
    const session = login.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
    expect(session).not.toBe('');
    const cookies = { [SESSION_COOKIE]: session };
    expect((await app.inject({ method: 'GET', url: '/api/v1/session', cookies })).json()).toMatchObject({ username: 'ada' });

    const csrf = await app.inject({ method: 'GET', url: '/api/v1/session/csrf', cookies });
    const withCsrf = {
      cookies: { ...cookies, dossier_csrf: csrf.cookies.find((c) => c.name === 'dossier_csrf')?.value ?? '' },
      headers: { 'x-csrf-token': csrf.json<{ csrfToken: string }>().csrfToken },
    };
    const payload = { productKey: 'RPM', permissions: ['record.create', 'product.read'], name: 'ci' };
    expect((await app.inject({ method: 'POST', url: '/api/v1/tokens', cookies, payload })).statusCode).toBe(403);
    const made = await app.inject({ method: 'POST', url: '/api/v1/tokens', ...withCsrf, payload });
    expect(made.statusCode, made.body).toBe(201);
    const { id, token } = made.json<{ id: number; token: string }>();

    const bearer = { authorization: `Bearer ${token}` };
    const rec = await app.inject({ method: 'POST', url: '/api/v1/products/RPM/records', headers: bearer, payload: { record: { type: 'SRS', title: 'From CI' } } });
    expect(rec.statusCode, rec.body).toBe(201);
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'RECORD_CREATED', actor: 'ada' });
    // The token holds only its own permissions, whatever its creator may do.
    const edit = await app.inject({ method: 'POST', url: '/api/v1/products', headers: bearer, payload: { key: 'NEW', name: 'n', intendedUse: 'u', safetyClass: 'A' } });
    expect(edit.statusCode).toBe(403);

    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    let out = '';
    let err = '';
    const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s), interactive: false };
    const code = await runCli(['record', 'add', '--product', 'RPM', '--type', 'SRS', '--title', 'From the CLI'], io, { DOSSIER_SERVER: url, DOSSIER_TOKEN: token });
    expect({ code, out, err }).toEqual({ code: 0, out: 'added RPM/SRS-2 "From the CLI" (revision 1, draft)\n', err: '' });

    expect((await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, ...withCsrf })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/products', headers: bearer })).statusCode).toBe(401);

    const out2 = await app.inject({ method: 'DELETE', url: '/api/v1/session', ...withCsrf });
    expect(out2.statusCode, out2.body).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/session', cookies })).statusCode).toBe(401);
  });

  it('P11-25 P11-23: refused logins are logged at once, a lockout as a warning; the access review over HTTP shows it [DOSSIER-SRS-28]', async () => {
    const logs: string[] = [];
    const logger = serverLogger('info', new Writable({ write: (c: Buffer, _e, cb) => (logs.push(c.toString()), cb()) }));
    const authenticator = new StoreAuthenticator(deps.store, deps.clock, DEFAULT_IDENTITY_POLICY);
    const logged = await buildServer({ deps, authenticator, services, logger, checkOutput: true });
    try {
      const eve = { username: 'eve', printedName: 'Eve Admin', admin: true, password: PASSWORD };
      await execute(createUserUseCase, { deps, principal: localPrincipal('ops'), services }, eve);
      const attempts = DEFAULT_IDENTITY_POLICY.lockoutAttempts;
      for (let i = 1; i <= attempts; i++) {
        const payload = { username: 'ada', password: `typed-secret-${i}` };
        const r = await logged.inject({ method: 'POST', url: '/api/v1/session', payload });
        expect(r.statusCode).toBe(401);
        const warnings = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['alert'] === 'USER_LOCKED');
        // Only the attempt that locks the account is an alert.
        expect(warnings.length).toBe(i === attempts ? 1 : 0);
        const refusals = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['alert'] === 'LOGIN_REFUSED');
        expect(refusals.length).toBe(i === attempts ? attempts - 1 : i);
      }
      const warning = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['alert'] === 'USER_LOCKED');
      const msg = `account ada locked after ${attempts} failed logins`;
      expect(warning).toMatchObject({ level: 40, username: 'ada', failedAttempts: attempts, msg });
      const refusal = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['alert'] === 'LOGIN_REFUSED');
      expect(refusal).toMatchObject({ level: 30, username: 'ada', failedAttempts: 1, msg: 'login refused for ada: wrong password' });
      expect(logs.join('')).not.toMatch(/typed-secret/);
      expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'USER_LOCKED', entityId: 'user/ada' });

      const login = await logged.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'eve', password: PASSWORD } });
      const cookies = { [SESSION_COOKIE]: login.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '' };
      const review = await logged.inject({ method: 'GET', url: '/api/v1/users/access-review?lockoutDays=7', cookies });
      expect(review.statusCode, review.body).toBe(200);
      type Review = { lockouts: { username: string }[]; users: { username: string; state: string; lastLoginAt: string | null }[] };
      const body = review.json<Review>();
      expect(body.lockouts.map((l) => l.username)).toEqual(['ada']);
      expect(body.users.map((u) => [u.username, u.state])).toEqual([
        ['ada', 'locked'],
        ['eve', 'active'],
      ]);
      expect(body.users[1]?.lastLoginAt).not.toBeNull();
      expect((await logged.inject({ method: 'GET', url: '/api/v1/users/access-review' })).statusCode).toBe(401);
    } finally {
      await logged.close();
    }
  });

  it('P11-24 P11-04: deactivating a user over HTTP ends their session and token at the next request', async () => {
    const ops = { deps, principal: localPrincipal('ops'), services };
    await execute(createUserUseCase, ops, { username: 'bob', printedName: 'Bob Builder', password: 'writes-requirements-42' });
    await execute(grantRoleUseCase, ops, { username: 'bob', role: 'author', productKey: 'RPM' });
    const cookieOf = async (username: string, password: string): Promise<Record<string, string>> => {
      const r = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password } });
      expect(r.statusCode, r.body).toBe(200);
      return { [SESSION_COOKIE]: r.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '' };
    };
    const bob = await cookieOf('bob', 'writes-requirements-42');
    const authenticator = new StoreAuthenticator(deps.store, deps.clock, DEFAULT_IDENTITY_POLICY);
    const asBob = { ...ops, principal: await authenticator.fromSession(bob[SESSION_COOKIE] ?? '') };
    const { token } = await execute(createTokenUseCase, asBob, { productKey: 'RPM', permissions: ['product.read'], name: 'ci' });
    const bearer = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/session', cookies: bob })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/products', headers: bearer })).statusCode).toBe(200);

    const ada = await cookieOf('ada', PASSWORD);
    const csrf = await app.inject({ method: 'GET', url: '/api/v1/session/csrf', cookies: ada });
    const deactivated = await app.inject({
      method: 'POST',
      url: '/api/v1/users/bob/deactivate',
      cookies: { ...ada, dossier_csrf: csrf.cookies.find((c) => c.name === 'dossier_csrf')?.value ?? '' },
      headers: { 'x-csrf-token': csrf.json<{ csrfToken: string }>().csrfToken },
      payload: { reason: 'left the company' },
    });
    expect(deactivated.statusCode, deactivated.body).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/session', cookies: bob })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/products', headers: bearer })).statusCode).toBe(401);
    const payload = { username: 'bob', password: 'writes-requirements-42' };
    expect((await app.inject({ method: 'POST', url: '/api/v1/session', payload })).statusCode).toBe(401);
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'USER_DEACTIVATED', actor: 'ada', entityId: 'user/bob' });
  });
});

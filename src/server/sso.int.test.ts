import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { execute } from '../app/execute.js';
import type { OidcPort } from '../app/ports/oidc.js';
import { consumeSignTicket } from '../app/services/sso.js';
import { StoreAuthenticator } from '../app/store-authenticator.js';
import type { AppServices } from '../app/use-case.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { deactivateUserUseCase } from '../app/use-cases/deactivate-user.js';
import { linkSsoUseCase } from '../app/use-cases/link-sso.js';
import { grantRoleUseCase } from '../app/use-cases/grant-role.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { localPrincipal } from '../core/access/principal.js';
import { isAppError } from '../core/errors.js';
import { sha256Hex } from '../core/hashing.js';
import { DEFAULT_IDENTITY_POLICY } from '../core/identity/policy.js';
import type { Deps } from '../core/ports.js';
import { openIdClient } from '../shared/oidc-client.js';
import { CookieJar, driveProvider, startTestProvider, TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_PUBLIC_URL, type TestProvider } from '../test-support/oidc-provider.js';
import { TEST_SERVICES } from '../test-support/services.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { buildServer } from './app.js';
import { SESSION_COOKIE } from './session.js';

const FLOW_COOKIE = 'dossier_sso';
const MINUTE = 60_000;

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(async () => {
  await provider.close();
});

/** The last audit event, its new value parsed. */
async function lastEvent(deps: Deps): Promise<Record<string, unknown> & { newValue: Record<string, unknown> }> {
  const e = (await listAuditEvents(deps, {})).at(-1);
  const value: unknown = e?.newValue;
  return { ...e, newValue: (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown> };
}

/** The error message of a refused request. */
function messageOf(res: LightMyRequestResponse): string {
  return res.json<{ error: { message: string } }>().error.message;
}

/** The cookie a Dossier response set, or ''. */
function cookieOf(res: LightMyRequestResponse, name: string): string {
  return res.cookies.find((c) => c.name === name)?.value ?? '';
}

/**
 * Single sign-on against a real OpenID provider (oidc-provider on 127.0.0.1): Dossier's routes answer redirects,
 * the test plays the browser (cookies, redirects, the provider's login and consent forms), and Dossier exchanges
 * the code with the provider over HTTP. Dossier's clock is real time plus an offset the tests move.
 */
describe.each(DIALECTS)('single sign-on with OpenID Connect on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let app: FastifyInstance;
  let offset = 0;
  let port: OidcPort;
  /** When set, the authorization URL loses `prompt=login` and `max_age` (a provider that ignores them). */
  let ignoreReauthPrompt = false;

  beforeEach(async () => {
    offset = 0;
    ignoreReauthPrompt = false;
    ({ t, deps } = await freshStore(dialect));
    deps = { ...deps, clock: { now: () => new Date(Date.now() + offset).toISOString() } };
    for (const [username, printedName] of [['ada', 'Ada Lovelace'], ['bob', 'Bob Builder']] as const) {
      await execute(createUserUseCase, { deps, principal: localPrincipal('ops'), services: TEST_SERVICES }, { username, printedName, admin: false });
    }
    const real = openIdClient({ issuer: provider.issuer, clientId: TEST_CLIENT_ID, publicUrl: TEST_PUBLIC_URL });
    port = {
      issuer: real.issuer,
      exchange: (cb, expected) => real.exchange(cb, expected),
      authorizationRequest: async (o) => {
        const r = await real.authorizationRequest(o);
        if (!ignoreReauthPrompt) return r;
        const url = new URL(r.url);
        url.searchParams.delete('prompt');
        url.searchParams.delete('max_age');
        return { ...r, url: url.href };
      },
    };
    const services: AppServices = { ...TEST_SERVICES, sso: () => port };
    app = await buildServer({ deps, authenticator: new StoreAuthenticator(deps.store, deps.clock, DEFAULT_IDENTITY_POLICY), services, checkOutput: true });
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  const link = (username: string, subject: string) =>
    execute(linkSsoUseCase, { deps, principal: localPrincipal('ops'), services: TEST_SERVICES }, { username, issuer: provider.issuer, subject });

  /** Runs a flow from a Dossier route that redirects to the provider, through the provider, back to the callback. */
  async function flow(path: string, jar: CookieJar, login: string, cookies: Record<string, string> = {}, beforeCallback?: () => void) {
    const begin = await app.inject({ method: 'GET', url: path, cookies });
    expect(begin.statusCode, begin.body).toBe(302);
    const to = begin.headers.location ?? '';
    const flowCookie = cookieOf(begin, FLOW_COOKIE);
    expect(flowCookie).not.toBe('');
    const back = await driveProvider(to, jar, login);
    beforeCallback?.();
    const callback = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, cookies: { ...cookies, [FLOW_COOKIE]: flowCookie } });
    return { begin, to, callback, back, flowCookie };
  }

  async function ssoLogin(jar: CookieJar, login: string): Promise<string> {
    const { callback } = await flow('/api/v1/sso/login', jar, login);
    expect(callback.statusCode, callback.body).toBe(302);
    expect(callback.headers.location).toBe('/');
    const session = cookieOf(callback, SESSION_COOKIE);
    expect(session).not.toBe('');
    return session;
  }

  it('P11-04: a linked user logs in through the provider and gets a session like a password login [DOSSIER-SRS-35]', async () => {
    await link('ada', 'ada-at-idp');
    const jar = new CookieJar();
    const { to, callback, back, flowCookie } = await flow('/api/v1/sso/login', jar, 'ada-at-idp');
    // Authorization-code flow with PKCE (S256), state and nonce, to the configured client.
    const asked = new URL(to);
    expect(asked.origin).toBe(provider.issuer);
    expect(Object.fromEntries(asked.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: TEST_CLIENT_ID,
      code_challenge_method: 'S256',
      scope: 'openid profile email',
      redirect_uri: `${TEST_PUBLIC_URL}/api/v1/sso/callback`,
    });
    expect(asked.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(asked.searchParams.has('prompt')).toBe(false);
    expect(callback.statusCode, callback.body).toBe(302);
    expect(callback.headers.location).toBe('/');
    expect(callback.body).toBe('');
    const session = cookieOf(callback, SESSION_COOKIE);
    const me = await app.inject({ method: 'GET', url: '/api/v1/session', cookies: { [SESSION_COOKIE]: session } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'ada', kind: 'user', mustChangePassword: false });
    // The flow cookie is cleared once used; the request cannot complete twice (replay of the provider's answer).
    expect(callback.cookies.find((c) => c.name === FLOW_COOKIE)?.value).toBe('');
    const again = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}`, cookies: { [FLOW_COOKIE]: flowCookie } });
    expect(again.statusCode).toBe(401);
    expect(messageOf(again)).toMatch(/unknown, already used or expired/);
    // A successful login writes no audit event (as a password login); the link is the last event.
    expect(await lastEvent(deps)).toMatchObject({ action: 'USER_SSO_LINKED', entityId: 'user/ada' });
  });

  it('PKCE is required by the provider: an authorization request without a code challenge is refused', async () => {
    const begin = await app.inject({ method: 'GET', url: '/api/v1/sso/login' });
    const url = new URL(begin.headers.location ?? '');
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const res = await fetch(url, { redirect: 'manual' });
    const back = new URL(res.headers.get('location') ?? '', url);
    expect(back.href.startsWith(TEST_PUBLIC_URL)).toBe(true);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('P11-04: an account no user is linked to is refused, and the refusal is in the audit trail', async () => {
    await link('ada', 'ada-at-idp');
    const { callback } = await flow('/api/v1/sso/login', new CookieJar(), 'stranger');
    expect(callback.statusCode).toBe(401);
    expect(cookieOf(callback, SESSION_COOKIE)).toBe('');
    expect(messageOf(callback)).toMatch(/no active Dossier user is linked to this account/);
    // No user is made for the stranger, and no role given.
    expect((await deps.store.read((r) => r.listUsers())).map((u) => u.username)).toEqual(['ada', 'bob']);
    const last = await lastEvent(deps);
    expect(last).toMatchObject({ action: 'SSO_REFUSED', entityType: 'access', entityId: 'sso.login', actor: 'anonymous' });
    expect(last.newValue).toMatchObject({ issuer: provider.issuer, subject: 'stranger', reason: 'no user is linked to this provider account' });
  });

  it('P11-04: a deactivated user is refused with the same message, and the refusal is audited', async () => {
    await link('ada', 'ada-at-idp');
    await execute(deactivateUserUseCase, { deps, principal: localPrincipal('ops'), services: TEST_SERVICES }, { username: 'ada' });
    const { callback } = await flow('/api/v1/sso/login', new CookieJar(), 'ada-at-idp');
    expect(callback.statusCode).toBe(401);
    expect(cookieOf(callback, SESSION_COOKIE)).toBe('');
    expect(messageOf(callback)).toMatch(/no active Dossier user is linked to this account/);
    expect(await lastEvent(deps)).toMatchObject({ action: 'SSO_REFUSED', newValue: { subject: 'ada-at-idp', reason: "user 'ada' is deactivated" } });
  });

  it('refuses an answer brought to a browser that did not start the request (login CSRF), and audits it', async () => {
    await link('ada', 'ada-at-idp');
    const begin = await app.inject({ method: 'GET', url: '/api/v1/sso/login' });
    const back = await driveProvider(begin.headers.location ?? '', new CookieJar(), 'ada-at-idp');
    // The value the flow cookie proves cannot come in the link itself.
    const state = back.searchParams.get('state') ?? '';
    const res = await app.inject({ method: 'GET', url: `${back.pathname}${back.search}&browserState=${encodeURIComponent(state)}` });
    expect(res.statusCode).toBe(401);
    expect(cookieOf(res, SESSION_COOKIE)).toBe('');
    expect(messageOf(res)).toMatch(/started in another browser/);
    expect(await lastEvent(deps)).toMatchObject({ action: 'SSO_REFUSED', entityId: 'sso.login' });
  });

  it('P11-19: a fresh re-authentication gives a signing ticket that signs once (a replay is refused)', async () => {
    await link('ada', 'ada-at-idp');
    const jar = new CookieJar();
    const session = await ssoLogin(jar, 'ada-at-idp');
    const cookies = { [SESSION_COOKIE]: session };
    const { to, callback } = await flow('/api/v1/sso/reauth', jar, 'ada-at-idp', cookies);
    // The provider is told to ask for the credentials again, whatever session it has.
    expect(new URL(to).searchParams.get('prompt')).toBe('login');
    expect(new URL(to).searchParams.get('max_age')).toBe('0');
    expect(callback.statusCode, callback.body).toBe(200);
    const { signTicket, expiresAt } = callback.json<{ signTicket: string; expiresAt: string }>();
    expect(signTicket).toMatch(/^[\w-]{43}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(4 * MINUTE);

    const ada = await deps.store.read((r) => r.findUser('ada'));
    const bob = await deps.store.read((r) => r.findUser('bob'));
    const sessionId = sha256Hex(session);
    const use = (user: { id: number }, sid: string | null, now = deps.clock.now()) =>
      deps.store.write((w) => consumeSignTicket(w, signTicket, user, sid, now));
    // Another user or another session cannot use it (and the refusal does not use it up).
    await expect(use({ id: bob?.id ?? 0 }, sessionId)).rejects.toThrow(/given to another user/);
    await expect(use({ id: ada?.id ?? 0 }, sha256Hex('another session'))).rejects.toThrow(/given to another session/);
    await expect(use({ id: ada?.id ?? 0 }, null)).rejects.toThrow(/given to another session/);
    const used = await use({ id: ada?.id ?? 0 }, sessionId);
    expect(Date.now() - Date.parse(used.authTime)).toBeLessThan(MINUTE);
    const replay = await use({ id: ada?.id ?? 0 }, sessionId).catch((e: unknown) => e);
    expect(isAppError(replay, 'UNAUTHENTICATED')).toBe(true);
    expect(String(replay)).toMatch(/already used/);
    await expect(deps.store.write((w) => consumeSignTicket(w, 'no such ticket', { id: ada?.id ?? 0 }, sessionId, deps.clock.now()))).rejects.toThrow(/is unknown/);
  });

  it('P11-19: an SSO user accepts the statement and signs a record with fresh re-authentications at the provider, one ticket each [DOSSIER-SRS-35]', async () => {
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS']);
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-1', to: 'in_review', baseRevision: 1 });
    const ops = { deps, principal: localPrincipal('ops'), services: TEST_SERVICES };
    await execute(grantRoleUseCase, ops, { username: 'ada', productKey: 'RPM', role: 'quality' });
    await link('ada', 'ada-at-idp');
    const jar = new CookieJar();
    const session = await ssoLogin(jar, 'ada-at-idp');
    const cookies = { [SESSION_COOKIE]: session };
    const csrf = await app.inject({ method: 'GET', url: '/api/v1/session/csrf', cookies });
    const write = {
      cookies: { ...cookies, dossier_csrf: csrf.cookies.find((c) => c.name === 'dossier_csrf')?.value ?? '' },
      headers: { 'x-csrf-token': csrf.json<{ csrfToken: string }>().csrfToken },
    };
    const ticket = async (): Promise<string> => {
      const { callback } = await flow('/api/v1/sso/reauth', jar, 'ada-at-idp', cookies);
      expect(callback.statusCode, callback.body).toBe(200);
      return callback.json<{ signTicket: string }>().signTicket;
    };
    const statement = await app.inject({ method: 'POST', url: '/api/v1/signatures/statement', ...write, payload: { signTicket: await ticket() } });
    expect(statement.statusCode, statement.body).toBe(200);
    const body = { records: [{ record: 'SRS-1', revision: 1 }], meaning: 'reviewed' };
    const signed = await app.inject({ method: 'POST', url: '/api/v1/products/RPM/signatures', ...write, payload: { ...body, signTicket: await ticket() } });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json<{ signatures: { method: string; username: string; meaning: string }[] }>().signatures).toMatchObject([
      { method: 'sso', username: 'ada', meaning: 'reviewed' },
    ]);
    // Without a fresh ticket there is nothing to sign with: a session alone never signs.
    const bare = await app.inject({ method: 'POST', url: '/api/v1/products/RPM/signatures', ...write, payload: body });
    expect(bare.statusCode).toBe(400);
    expect(messageOf(bare)).toMatch(/needs your password again \(or a fresh SSO login ticket\)/);
  });

  it('P11-19: a signing ticket expires after five minutes', async () => {
    await link('ada', 'ada-at-idp');
    const jar = new CookieJar();
    const session = await ssoLogin(jar, 'ada-at-idp');
    const { callback } = await flow('/api/v1/sso/reauth', jar, 'ada-at-idp', { [SESSION_COOKIE]: session });
    const { signTicket } = callback.json<{ signTicket: string }>();
    const ada = await deps.store.read((r) => r.findUser('ada'));
    const later = new Date(Date.now() + 6 * MINUTE).toISOString();
    await expect(deps.store.write((w) => consumeSignTicket(w, signTicket, { id: ada?.id ?? 0 }, sha256Hex(session), later))).rejects.toThrow(/expired/);
  });

  it('P11-19: a provider that answers from its own session (an old auth_time) is refused, and the refusal audited [DOSSIER-SRS-35]', async () => {
    await link('ada', 'ada-at-idp');
    const jar = new CookieJar();
    const session = await ssoLogin(jar, 'ada-at-idp');
    const loggedIn = Date.now();
    await new Promise((r) => setTimeout(r, 1100));
    ignoreReauthPrompt = true;
    // Asked a minute after the provider's login (Dossier's clock moves; the provider's cannot be set).
    offset = MINUTE;
    const { callback } = await flow('/api/v1/sso/reauth', jar, 'ada-at-idp', { [SESSION_COOKIE]: session });
    expect(callback.statusCode).toBe(401);
    expect(messageOf(callback)).toMatch(/the provider did not re-authenticate you just now/);
    const last = await lastEvent(deps);
    expect(last).toMatchObject({ action: 'SSO_REFUSED', entityId: 'sso.reauth', actor: 'ada' });
    const reason = String(last.newValue['reason']);
    expect(reason).toMatch(/before the re-authentication was asked for/);
    // The provider answered from its own session: the auth_time is the first login's, not a new one.
    const authTime = Date.parse(/auth_time (\S+)/.exec(reason)?.[1] ?? '');
    expect(authTime).toBeLessThanOrEqual(loggedIn);
  });

  it('P11-19: a re-authentication more than five minutes old when it comes back is refused', async () => {
    await link('ada', 'ada-at-idp');
    const jar = new CookieJar();
    const session = await ssoLogin(jar, 'ada-at-idp');
    const { callback } = await flow('/api/v1/sso/reauth', jar, 'ada-at-idp', { [SESSION_COOKIE]: session }, () => {
      offset = 6 * MINUTE;
    });
    expect(callback.statusCode).toBe(401);
    expect(messageOf(callback)).toMatch(/the provider did not re-authenticate you just now/);
    expect(String((await lastEvent(deps)).newValue['reason'])).toMatch(/more than 5 minutes old/);
  });

  it('P11-19: a re-authentication as another provider account than the user’s own is refused', async () => {
    await link('ada', 'ada-at-idp');
    await link('bob', 'bob-at-idp');
    const jar = new CookieJar();
    const session = await ssoLogin(jar, 'ada-at-idp');
    const { callback } = await flow('/api/v1/sso/reauth', jar, 'bob-at-idp', { [SESSION_COOKIE]: session });
    expect(callback.statusCode).toBe(401);
    expect(messageOf(callback)).toMatch(/another account than the one linked to your Dossier user/);
    expect(await lastEvent(deps)).toMatchObject({ action: 'SSO_REFUSED', actor: 'ada' });
  });

  it('re-authentication needs a login session', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/sso/reauth' });
    expect(res.statusCode).toBe(401);
  });

  it('works with a confidential client (client secret) too', async () => {
    await link('ada', 'ada-at-idp');
    port = openIdClient({ issuer: provider.issuer, clientId: `${TEST_CLIENT_ID}-confidential`, clientSecret: TEST_CLIENT_SECRET, publicUrl: TEST_PUBLIC_URL });
    await ssoLogin(new CookieJar(), 'ada-at-idp');
  });
});

describe('single sign-on not set up', () => {
  it('answers 404 with a clear message', async () => {
    const { t, deps } = await freshStore('sqlite');
    try {
      const app = await buildServer({ deps, authenticator: new StoreAuthenticator(deps.store, deps.clock, DEFAULT_IDENTITY_POLICY), services: TEST_SERVICES });
      const res = await app.inject({ method: 'GET', url: '/api/v1/sso/login' });
      expect(res.statusCode).toBe(404);
      expect(messageOf(res)).toMatch(/single sign-on is not set up on this server \(DOSSIER_OIDC_ISSUER/);
      // The API document shows the redirect, and the flow cookie instead of a query parameter.
      type Op = { parameters: { name: string; in: string }[]; responses: Record<string, unknown> };
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, Op>> }>();
      expect(Object.keys(doc.paths['/api/v1/sso/login']?.['get']?.responses ?? {})).toContain('302');
      const callback = doc.paths['/api/v1/sso/callback']?.['get']?.parameters.map((p) => `${p.in}:${p.name}`) ?? [];
      expect(callback).toContain('cookie:dossier_sso');
      expect(callback).toContain('query:state');
      expect(callback).not.toContain('query:browserState');
      await app.close();
    } finally {
      await t.cleanup();
    }
  });
});

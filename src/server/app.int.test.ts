import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import type { Deps } from '../core/ports.js';
import { storeSnapshot } from '../test-support/assertions.js';
import { TEST_USE_CASES } from '../test-support/server-use-cases.js';
import { aProduct } from '../test-support/factories.js';
import { aPrincipal, roleTokens, type FakeAuthenticator } from '../test-support/server.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { buildServer, type ServerOptions } from './app.js';
import { serverLogger } from './logger.js';
import { SESSION_COOKIE } from './session.js';
import { UPLOAD_PATHS } from './uploads.js';

/** The error of an envelope answer. */
const errorOf = (r: { json: () => unknown }): { code: string; message: string; field?: string; record?: string } =>
  (r.json() as { error: { code: string; message: string } }).error;
const bearer = (role: string): Record<string, string> => ({ authorization: `Bearer tok-${role}` });
const srs = { record: { type: 'SRS', title: 'Upload uses TLS 1.3 only' } };

describe.each(DIALECTS)('the HTTP API on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let auth: FakeAuthenticator;
  let app: FastifyInstance;
  let logs: string[];
  const build = async (extra: Partial<ServerOptions> = {}): Promise<FastifyInstance> => {
    logs = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString());
        cb();
      },
    });
    return buildServer({ deps, authenticator: auth, useCases: TEST_USE_CASES, checkOutput: true, logger: serverLogger('info', sink), ...extra });
  };
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    auth = roleTokens('RPM');
    auth.sessions.set('sess-ada', aPrincipal('ada', [{ productKey: 'RPM', role: 'author' }]));
    auth.sessions.set('sess-bob', aPrincipal('bob', [{ productKey: 'RPM', role: 'author' }]));
    app = await build();
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  it('answers /healthz and /readyz, with a request ID and security headers', async () => {
    const h = await app.inject({ method: 'GET', url: '/healthz' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toEqual({ status: 'ok' });
    expect(h.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.headers['x-content-type-options']).toBe('nosniff');
    expect(h.headers['content-security-policy']).toBeDefined();
    const r = await app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ready' });
  });

  it('says 503 on /readyz when the store does not answer', async () => {
    await t.store.close();
    const r = await app.inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({ error: { code: 'INTERNAL', message: 'the store does not answer' } });
    ({ t, deps } = await freshStore(dialect)); // afterEach closes a live store
  });

  it('adds a record with a token: 201, ETag, the audit event names the token holder', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/products/RPM/records', headers: bearer('author'), payload: srs });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ key: 'SRS-1', latestRevision: 1, createdBy: 'author' });
    expect(r.headers['etag']).toBe('"1"');
    expect(r.headers['cache-control']).toBe('no-store');
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'RECORD_CREATED', actor: 'author', entityId: 'RPM/SRS-1' });
  });

  it('lists products with GET; anonymous gets 401, a viewer 403, each in the envelope with the CLI wording', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/products', headers: bearer('viewer') })).json()).toMatchObject([{ key: 'RPM' }]);
    const anon = await app.inject({ method: 'GET', url: '/api/v1/products' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'product.list needs a login or an API token' } });
    const before = await storeSnapshot(deps);
    const viewer = await app.inject({ method: 'POST', url: '/api/v1/products/RPM/records', headers: bearer('viewer'), payload: srs });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json()).toEqual({
      error: { code: 'FORBIDDEN', message: 'viewer may not add a record; it starts as a draft: it needs the permission record.create on RPM', record: 'RPM' },
    });
    const revoked = await app.inject({ method: 'POST', url: '/api/v1/products/RPM/records', headers: bearer('revoked'), payload: srs });
    expect(revoked.statusCode).toBe(401);
    expect((await listAuditEvents(deps, {})).some((e) => e.action === 'RECORD_CREATED')).toBe(false);
    expect(before).not.toBe(''); // the refusals left ACCESS_DENIED events only
  });

  it('refuses an Authorization header that is not a bearer token with 401', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/products', headers: { authorization: 'Basic YTpi' } });
    expect(r.statusCode).toBe(401);
    expect(errorOf(r)).toMatchObject({ code: 'UNAUTHENTICATED', field: 'Authorization' });
  });

  it('fills the base revision from If-Match: a stale one is 412 and changes nothing; a fresh one succeeds with the new ETag [DOSSIER-SRS-8]', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/products/RPM/records', headers: bearer('author'), payload: srs });
    const ok = await app.inject({ method: 'PATCH', url: '/api/v1/test/products/RPM/records/SRS-1', headers: { ...bearer('author'), 'if-match': '"1"' }, payload: { title: 'Upload uses TLS 1.3 or later' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['etag']).toBe('"2"');
    const before = await storeSnapshot(deps);
    const stale = await app.inject({ method: 'PATCH', url: '/api/v1/test/products/RPM/records/SRS-1', headers: { ...bearer('author'), 'if-match': '"1"' }, payload: { title: 'Again' } });
    expect(stale.statusCode).toBe(412);
    expect(errorOf(stale)).toMatchObject({ code: 'PRECONDITION_FAILED', field: 'baseRevision', record: 'RPM/SRS-1' });
    expect(errorOf(stale).message).toMatch(/RPM\/SRS-1 has changed: the edit is based on revision 1 but the latest is revision 2/);
    // The same stale revision in the body stays the use-case's CONFLICT (the CLI's exit code).
    const body = await app.inject({ method: 'PATCH', url: '/api/v1/test/products/RPM/records/SRS-1', headers: bearer('author'), payload: { title: 'Again', baseRevision: 1 } });
    expect(body.statusCode).toBe(409);
    const bad = await app.inject({ method: 'PATCH', url: '/api/v1/test/products/RPM/records/SRS-1', headers: { ...bearer('author'), 'if-match': '*' }, payload: { title: 'Again' } });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad)).toMatchObject({ code: 'INVALID_INPUT', field: 'If-Match' });
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('answers 304 to a GET whose If-None-Match names the current revision, and only to a caller who may read it', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/products/RPM/records', headers: bearer('author'), payload: srs });
    const url = '/api/v1/test/products/RPM/records/SRS-1';
    const first = await app.inject({ method: 'GET', url, headers: bearer('viewer') });
    expect(first.statusCode).toBe(200);
    expect(first.headers['etag']).toBe('"1"');
    const same = await app.inject({ method: 'GET', url, headers: { ...bearer('viewer'), 'if-none-match': 'W/"1"' } });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    expect((await app.inject({ method: 'GET', url, headers: { ...bearer('viewer'), 'if-none-match': '"0", "7"' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url, headers: { 'if-none-match': '"1"' } })).statusCode).toBe(401);
  });

  it('coerces query strings by the input schema: numbers, booleans, repeated keys as arrays; refuses what does not fit', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/test/products/RPM/echo?limit=5&all=true&type=SRS&type=TC&q=12', headers: bearer('viewer') });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ productKey: 'RPM', limit: 5, all: true, type: ['SRS', 'TC'], q: '12' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/test/products/RPM/echo?type=SRS', headers: bearer('viewer') })).json()).toMatchObject({ type: ['SRS'] });
    const bad = await app.inject({ method: 'GET', url: '/api/v1/test/products/RPM/echo?limit=five', headers: bearer('viewer') });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad)).toMatchObject({ code: 'INVALID_INPUT', field: 'limit' });
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/test/products/RPM/echo?sort=title', headers: bearer('viewer') });
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown).message).toMatch(/invalid query: .*sort/);
  });

  it('lists records with filters from the query string: a number-or-all limit, an offset, a type', async () => {
    for (const title of ['One', 'Two', 'Three']) {
      await app.inject({ method: 'POST', url: '/api/v1/products/RPM/records', headers: bearer('author'), payload: { record: { type: 'SRS', title } } });
    }
    const url = '/api/v1/products/RPM/records';
    const page = await app.inject({ method: 'GET', url: `${url}?type=SRS&limit=2&offset=1`, headers: bearer('viewer') });
    expect(page.statusCode, page.body).toBe(200);
    expect(JSON.stringify(page.json())).toMatch(/Two.*Three/);
    expect(JSON.stringify(page.json())).not.toMatch(/"One"/);
    expect((await app.inject({ method: 'GET', url: `${url}?limit=all`, headers: bearer('viewer') })).statusCode).toBe(200);
    const bad = await app.inject({ method: 'GET', url: `${url}?limit=many`, headers: bearer('viewer') });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).field).toBe('limit');
  });

  it('starts a session with an HttpOnly SameSite=Strict cookie (the ID never in the body) and ends it', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/test/session', payload: { username: 'ada', password: 'right' } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toEqual({ expiresAt: '2099-01-01T00:00:00.000Z', user: 'ada' });
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=sess-ada;`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const list = await app.inject({ method: 'GET', url: '/api/v1/products', cookies: { [SESSION_COOKIE]: 'sess-ada' } });
    expect(list.statusCode).toBe(200);
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/test/session', payload: { username: 'ada', password: 'wrong' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('marks the cookie Secure behind a TLS proxy when told to trust it', async () => {
    await app.close();
    app = await build({ trustProxy: true });
    const r = await app.inject({ method: 'POST', url: '/api/v1/test/session', headers: { 'x-forwarded-proto': 'https' }, payload: { username: 'ada', password: 'right' } });
    expect(String(r.headers['set-cookie'])).toMatch(/Secure/);
    const csrf = await app.inject({ method: 'GET', url: '/api/v1/session/csrf', headers: { 'x-forwarded-proto': 'https' } });
    expect(String(csrf.headers['set-cookie'])).toMatch(/^dossier_csrf=.*HttpOnly.*Secure.*SameSite=Strict/);
  });

  it('asks a cookie-authenticated write for its CSRF token; a token from another session or none is refused, a bearer token needs none [DOSSIER-SRS-36]', async () => {
    const ada = { [SESSION_COOKIE]: 'sess-ada' };
    const before = await storeSnapshot(deps);
    const none = await app.inject({ method: 'POST', url: '/api/v1/products/RPM/records', cookies: ada, payload: srs });
    expect(none.statusCode).toBe(403);
    expect(errorOf(none)).toMatchObject({ code: 'FORBIDDEN', field: 'X-CSRF-Token' });
    const csrfFor = async (session: string): Promise<{ token: string; cookie: string }> => {
      const r = await app.inject({ method: 'GET', url: '/api/v1/session/csrf', cookies: { [SESSION_COOKIE]: session } });
      const c = r.cookies.find((x) => x.name === 'dossier_csrf');
      return { token: r.json<{ csrfToken: string }>().csrfToken, cookie: c?.value ?? '' };
    };
    const bob = await csrfFor('sess-bob');
    const replayed = await app.inject({
      method: 'POST',
      url: '/api/v1/products/RPM/records',
      cookies: { ...ada, dossier_csrf: bob.cookie },
      headers: { 'x-csrf-token': bob.token },
      payload: srs,
    });
    expect(replayed.statusCode).toBe(403);
    expect(await storeSnapshot(deps)).toBe(before);
    const mine = await csrfFor('sess-ada');
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/products/RPM/records',
      cookies: { ...ada, dossier_csrf: mine.cookie },
      headers: { 'x-csrf-token': mine.token },
      payload: srs,
    });
    expect(ok.statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/api/v1/products/RPM/records', cookies: ada, headers: bearer('author'), payload: srs })).statusCode).toBe(201);
    const out = await app.inject({ method: 'DELETE', url: '/api/v1/test/session', cookies: { ...ada, dossier_csrf: mine.cookie }, headers: { 'x-csrf-token': mine.token } });
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
  });

  it('limits logins per client (429 in the envelope) and leaves other routes alone [DOSSIER-SRS-36]', async () => {
    await app.close();
    app = await build({ rateLimit: { max: 100, loginMax: 2, windowMs: 60_000 } });
    const login = (): Promise<number> => app.inject({ method: 'POST', url: '/api/v1/test/session', payload: { username: 'ada', password: 'wrong' } }).then((r) => r.statusCode);
    expect([await login(), await login()]).toEqual([401, 401]);
    const third = await app.inject({ method: 'POST', url: '/api/v1/test/session', payload: { username: 'ada', password: 'right' } });
    expect(third.statusCode).toBe(429);
    expect(third.json()).toEqual({ error: { code: 'RATE_LIMITED', message: 'too many requests: wait a moment and try again' } });
    expect((await app.inject({ method: 'GET', url: '/api/v1/products', headers: bearer('viewer') })).statusCode).toBe(200);
  });

  it('lets routes that import files take bodies up to their own, larger limit', async () => {
    await app.close();
    app = await build({ bodyLimit: 1024, importBodyLimit: 8192 });
    const post = (url: string, payload: unknown): Promise<{ statusCode: number; json: () => unknown }> =>
      app.inject({ method: 'POST', url, headers: bearer('author'), payload: payload as Record<string, unknown> });
    expect((await post('/api/v1/test/products/RPM/import', { content: 'x'.repeat(4000) })).statusCode).toBe(201);
    const over = await post('/api/v1/test/products/RPM/import', { content: 'x'.repeat(9000) });
    expect(over.statusCode).toBe(413);
    expect(errorOf(over)).toEqual({ code: 'TOO_LARGE', message: 'the request body is over the limit of 8192 bytes', field: 'body' });
    const record = await post('/api/v1/products/RPM/records', { record: { type: 'SRS', title: 'x', body: 'y'.repeat(2000) } });
    expect(record.statusCode).toBe(413);
    expect(errorOf(record).message).toBe('the request body is over the limit of 1024 bytes');
  });

  it('answers a bug with a 500 envelope naming the request ID, logs it with the stack, and never sends the stack [DOSSIER-SRS-37]', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/call/test.broken', headers: bearer('viewer'), payload: {} });
    expect(r.statusCode).toBe(500);
    const id = String(r.headers['x-request-id']);
    expect(r.json()).toEqual({ error: { code: 'INTERNAL', message: `internal error: the server log has the details under request ${id}` } });
    expect(r.body).not.toMatch(/secret internals|\.ts:/);
    const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'request failed');
    expect(line).toMatchObject({ level: 50, requestId: id, err: { message: 'secret internals at /srv/app.ts:12' } });
  });

  it('keeps secrets out of the log: the authorization header, cookies and passwords are redacted', async () => {
    const logger = serverLogger('info', new Writable({ write: (c: Buffer, _e, cb) => (logs.push(c.toString()), cb()) }));
    logger.info({ req: { headers: { authorization: 'Bearer tok-author', cookie: 'dossier_session=sess-ada' } }, body: { password: 'hunter2', token: 'tok-x' } }, 'x');
    await app.inject({ method: 'POST', url: '/api/v1/test/session', headers: bearer('author'), payload: { username: 'ada', password: 'hunter2' } });
    const all = logs.join('');
    expect(all).toMatch(/\[redacted\]/);
    expect(all).not.toMatch(/tok-author|sess-ada|hunter2|tok-x/);
  });

  it('serves an OpenAPI 3.1 document that the OpenAPI 3.1 schema accepts, one operation per use-case [DOSSIER-SRS-36]', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json<{ openapi: string; paths: Record<string, Record<string, { operationId: string; security: unknown[] }>> }>();
    const v = new Validator();
    const result = await v.validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
    expect(r.body).not.toMatch(/not expressible in JSON Schema/);
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(ops.map((o) => o.operationId).sort()).toEqual([...TEST_USE_CASES.map((u) => u.name), ...UPLOAD_PATHS.map((u) => u.operationId)].sort());
    expect(doc.paths['/api/v1/test/session']?.['post']?.security).toEqual([]);
    expect(doc.paths['/api/v1/products/{productKey}/records']?.['post']?.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { bindingOf, pathParams } from '../app/http-route.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import type { Deps } from '../core/ports.js';
import { storeSnapshot } from '../test-support/assertions.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { aPrincipal, roleTokens } from '../test-support/server.js';
import { TEST_USE_CASES } from '../test-support/server-use-cases.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { buildServer } from './app.js';
import { SESSION_COOKIE } from './session.js';

const LIMIT = 4096;
const admin = { authorization: 'Bearer tok-admin' };
const json = { ...admin, 'content-type': 'application/json' };
type Envelope = { error: { code: string; message: string; field?: string; record?: string } };

describe.each(DIALECTS)('bad input and attacks on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let app: FastifyInstance;
  let before = '';
  beforeAll(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS', 'TC']);
    const auth = roleTokens('RPM');
    auth.sessions.set('sess-ada', aPrincipal('ada', [{ productKey: 'RPM', role: 'admin' }]));
    app = await buildServer({ deps, authenticator: auth, useCases: TEST_USE_CASES, bodyLimit: LIMIT, rateLimit: false, checkOutput: true });
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });
  /** Sends a request that must be refused with `status`; the envelope comes back and the store is unchanged. */
  const refused = async (status: number, req: InjectOptions): Promise<Envelope['error']> => {
    before = await storeSnapshot(deps);
    const r = await app.inject(req);
    expect(r.statusCode, r.body).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const body = r.json<Envelope>();
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.message.length).toBeGreaterThan(10);
    expect(r.body).not.toMatch(/\bat \S+\.(ts|js):\d+|node_modules/);
    expect(await storeSnapshot(deps)).toBe(before);
    return body.error;
  };
  const records = '/api/v1/products/RPM/records';

  it('refuses malformed JSON (400), naming the body', async () => {
    const e = await refused(400, { method: 'POST', url: records, headers: json, payload: '{"record": {"type": "SRS",' });
    expect(e).toMatchObject({ code: 'INVALID_INPUT', field: 'body' });
    expect(e.message).toMatch(/^the request body is not valid JSON/);
  });

  it('refuses a body that is not a JSON object, or not JSON at all (415)', async () => {
    expect(await refused(400, { method: 'POST', url: records, headers: json, payload: '[1,2]' })).toMatchObject({ field: 'body' });
    expect(await refused(400, { method: 'POST', url: records, headers: json, payload: '"text"' })).toMatchObject({ field: 'body' });
    const e = await refused(415, { method: 'POST', url: records, headers: { ...admin, 'content-type': 'text/plain' }, payload: 'record=SRS' });
    expect(e.message).toBe('the request body must be JSON: send it with Content-Type: application/json');
    await refused(415, { method: 'POST', url: records, headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=b' });
  });

  it('refuses wrong types and unknown fields with the CLI wording, naming the field [DOSSIER-SRS-1] [DOSSIER-SRS-37]', async () => {
    const wrong = await refused(400, { method: 'POST', url: records, headers: admin, payload: { record: { type: 'SRS', title: 5 } } });
    expect(wrong).toMatchObject({ code: 'INVALID_INPUT', field: 'record.title' });
    expect(wrong.message).toMatch(/^invalid record: record\.title: /);
    const unknown = await refused(400, { method: 'POST', url: records, headers: admin, payload: { ...{ record: { type: 'SRS', title: 'x' } }, approved: true } });
    expect(unknown.message).toMatch(/approved/);
    const proto = await refused(400, { method: 'POST', url: records, headers: json, payload: '{"record":{"type":"SRS","title":"x"},"__proto__":{"admin":true}}' });
    expect(proto.code).toBe('INVALID_INPUT');
  });

  it('refuses a body over the limit with 413, whatever the declared length', async () => {
    const big = { record: { type: 'SRS', title: 'x', body: 'y'.repeat(LIMIT * 2) } };
    const e = await refused(413, { method: 'POST', url: records, headers: admin, payload: big });
    expect(e).toEqual({ code: 'TOO_LARGE', message: `the request body is over the limit of ${LIMIT} bytes`, field: 'body' });
  });

  it('refuses path traversal and SQL metacharacters in IDs; unknown routes get the envelope', async () => {
    for (const key of ['..%2F..%2Fetc%2Fpasswd', "RPM'%20OR%20'1'%3D'1", 'RPM%3B%20DROP%20TABLE%20records', '%00', 'rpm']) {
      const e = await refused(400, { method: 'POST', url: `/api/v1/products/${key}/records`, headers: admin, payload: { record: { type: 'SRS', title: 'x' } } });
      expect(e).toMatchObject({ code: 'INVALID_INPUT', field: 'productKey' });
    }
    for (const id of ['..%2F..%2FSRS-1', "SRS-1'%20OR%201%3D1--", 'SRS-1%3B%20DELETE%20FROM%20records']) {
      const e = await refused(400, { method: 'PATCH', url: `/api/v1/test/products/RPM/records/${id}`, headers: { ...admin, 'if-match': '"1"' }, payload: { title: 'x' } });
      expect(e.code).toBe('INVALID_INPUT');
    }
    expect(await refused(404, { method: 'PATCH', url: '/api/v1/test/products/RPM/records/SRS-99', headers: { ...admin, 'if-match': '"1"' }, payload: { title: 'x' } })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refused(404, { method: 'GET', url: '/../../etc/passwd' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refused(404, { method: 'DELETE', url: '/api/v1/products/RPM' })).toEqual({ code: 'NOT_FOUND', message: 'no route DELETE /api/v1/products/RPM' });
  });

  it('stores SQL metacharacters in text literally', async () => {
    const title = "x'); DROP TABLE records; --";
    const r = await app.inject({ method: 'POST', url: records, headers: admin, payload: { record: { type: 'SRS', title } } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ title });
    expect((await app.inject({ method: 'GET', url: '/api/v1/products', headers: admin })).statusCode).toBe(200);
  });

  it('refuses a cookie-authenticated write without its CSRF token, or with a forged one (403), changing nothing', async () => {
    const cookies = { [SESSION_COOKIE]: 'sess-ada' };
    const payload = { record: { type: 'SRS', title: 'x' } };
    expect(await refused(403, { method: 'POST', url: records, cookies, payload })).toMatchObject({ code: 'FORBIDDEN', field: 'X-CSRF-Token' });
    await refused(403, { method: 'POST', url: records, cookies: { ...cookies, dossier_csrf: 'forged' }, headers: { 'x-csrf-token': 'forged' }, payload });
    // A token made before the session (for nobody) does not hold for it.
    const pre = await app.inject({ method: 'GET', url: '/api/v1/session/csrf' });
    const secret = pre.cookies.find((c) => c.name === 'dossier_csrf')?.value ?? '';
    const token = pre.json<{ csrfToken: string }>().csrfToken;
    await refused(403, { method: 'POST', url: records, cookies: { ...cookies, dossier_csrf: secret }, headers: { 'x-csrf-token': token }, payload });
  });

  it('never answers 500 to random bodies on any write route, and leaves the audit chain intact', async () => {
    const writes = TEST_USE_CASES.filter((uc) => uc.kind === 'write');
    const value = fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: false });
    const body = fc.oneof(
      value.map((v) => JSON.stringify(v) ?? 'null'),
      fc.dictionary(fc.constantFrom('record', 'title', 'type', 'baseRevision', 'productKey', 'fields', 'body', 'reason', '__proto__', 'constructor'), value).map((d) =>
        JSON.stringify(d),
      ),
      fc.record({ record: fc.record({ type: fc.constantFrom('SRS', 'TC', 'HAZ', 'X', ''), title: fc.string(), fields: fc.dictionary(fc.string(), value) }) }).map((d) =>
        JSON.stringify(d),
      ),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), body, fc.constantFrom('RPM', 'OTHER', "R'; --"), fc.constantFrom('SRS-1', 'TC-1', '../x'), async (uc, payload, productKey, record) => {
        const b = bindingOf(uc);
        let url = b.path;
        for (const p of pathParams(b.path)) url = url.replace(`:${p}`, encodeURIComponent(p === 'productKey' ? productKey : record));
        const r = await app.inject({ method: b.method, url, headers: { ...json, 'if-match': '"1"' }, payload });
        expect(r.statusCode, `${uc.name} ${payload} → ${r.body}`).toBeLessThan(500);
        if (r.statusCode >= 400) expect(Object.keys(r.json<Envelope>())).toEqual(['error']);
      }),
      { numRuns: 150 },
    );
    const report = await verifyIntegrity(deps);
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });
});

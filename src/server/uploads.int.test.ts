import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { listEvidence } from '../app/use-cases/list-evidence.js';
import { grants, ROLES } from '../core/access/permissions.js';
import type { Deps } from '../core/ports.js';
import { combineFileHashes, fileHashLine } from '../ingest/files.js';
import { storeSnapshot } from '../test-support/assertions.js';
import { aProduct } from '../test-support/factories.js';
import { roleTokens, type FakeAuthenticator } from '../test-support/server.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { buildServer, type ServerOptions } from './app.js';

const URL_RPM = '/api/v1/products/RPM/evidence/test-runs/upload';
const BOUNDARY = 'test-boundary-7f3a';

/** A JUnit report of `n` test cases (a few hundred bytes each). */
function junit(n: number, suite = 'big'): string {
  const cases: string[] = [];
  for (let i = 1; i <= n; i++) {
    cases.push(`  <testcase classname="com.example.${suite}.Case${i % 50}" name="handles input ${i} [SRS-1]" time="0.0${i % 10}">` +
      (i % 1000 === 0 ? `<failure message="expected ${i}">stack trace line\n  at Case${i}</failure>` : '') + '</testcase>');
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${suite}" tests="${n}" timestamp="2026-11-20T09:00:00">\n${cases.join('\n')}\n</testsuite>\n`;
}

/** The content hash `dossier evidence tests` computes for these files. */
const hashOf = (...files: string[]): string =>
  combineFileHashes(files.map((f) => fileHashLine(Buffer.byteLength(f), createHash('sha256').update(f).digest('hex'))));

/** A multipart body: the text fields, then the files. */
function multipart(fields: Record<string, string>, files: [name: string, content: string][]): Buffer {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  for (const [name, content] of files) {
    parts.push(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: application/xml\r\n\r\n${content}\r\n`);
  }
  parts.push(`--${BOUNDARY}--\r\n`);
  return Buffer.from(parts.join(''), 'utf8');
}

const errorOf = (r: { json: () => unknown }): { code: string; message: string; field?: string } =>
  (r.json() as { error: { code: string; message: string; field?: string } }).error;

describe.each(DIALECTS)('the streamed test run upload on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let auth: FakeAuthenticator;
  let app: FastifyInstance;
  const build = (extra: Partial<ServerOptions> = {}): Promise<FastifyInstance> =>
    // A JSON body limit of 64 KiB: an upload of megabytes passes only because it is never held as a body.
    buildServer({ deps, authenticator: auth, checkOutput: true, rateLimit: false, bodyLimit: 64 * 1024, ...extra });
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    auth = roleTokens('RPM');
    app = await build();
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });
  const upload = (role: string | undefined, fields: Record<string, string>, files: [string, string][], url = URL_RPM) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...(role === undefined ? {} : { authorization: `Bearer tok-${role}` }) },
      payload: multipart(fields, files),
    });
  const runs = async (): Promise<number> => (await listEvidence(deps, { productKey: 'RPM', kind: 'test_run' })).length;

  it('imports a multi-megabyte JUnit file of 20,000 cases through a server whose JSON limit is 64 KiB', async () => {
    const big = junit(20_000);
    expect(Buffer.byteLength(big)).toBeGreaterThan(2 * 1024 * 1024);
    const r = await upload('author', { version: '1.2.0', commit: 'abc1234', contentHash: hashOf(big) }, [['reports/TEST-big.xml', big]]);
    expect(r.statusCode).toBe(201);
    const s = r.json<{ run: { id: number; itemCount: number; source: string; version: string; importedBy: string }; totals: Record<string, number>; duplicate: boolean }>();
    expect(s.run).toMatchObject({ itemCount: 20_000, source: 'reports/TEST-big.xml', version: '1.2.0', importedBy: 'author' });
    expect(s.totals).toMatchObject({ passed: 19_980, failed: 20 });
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'EVIDENCE_IMPORTED', actor: 'author', entityId: `RPM/evidence/${s.run.id}` });
    // The same file again is recognised by its hash: nothing new, and the rest of the upload is still read and checked.
    const again = await upload('author', { contentHash: hashOf(big) }, [['TEST-big.xml', big]]);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ duplicate: true, run: { id: s.run.id } });
    expect(await runs()).toBe(1);
  });

  it('takes several files of one run, the fields from the query string too, and hashes them as the CLI does', async () => {
    const a = junit(3, 'a');
    const b = junit(2, 'b');
    const r = await upload('author', { contentHash: hashOf(b, a), source: 'a.xml, b.xml' }, [['a.xml', a], ['b.xml', b]], `${URL_RPM}?version=2.0.0`);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ run: { itemCount: 5, source: 'a.xml, b.xml', version: '2.0.0' }, totals: { passed: 5 } });
  });

  it('refuses a file over the upload limit with 413 and the envelope; nothing is written', async () => {
    await app.close();
    app = await build({ importBodyLimit: 1024 * 1024 });
    const big = junit(20_000);
    const before = await storeSnapshot(deps);
    const r = await upload('author', { contentHash: hashOf(big) }, [['big.xml', big]]);
    expect(r.statusCode).toBe(413);
    expect(errorOf(r)).toEqual({ code: 'TOO_LARGE', message: 'the uploaded file is over the limit of 1048576 bytes', field: 'file' });
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('names the file, line and column of a malformed report, as the CLI does; nothing is written', async () => {
    const bad = `<testsuite name="s">\n<testcase name="a"/>\n<testcase name="b">\n</testsuite>`;
    const before = await storeSnapshot(deps);
    const r = await upload('author', { contentHash: hashOf(bad) }, [['reports/bad.xml', bad]]);
    expect(r.statusCode).toBe(400);
    expect(errorOf(r).code).toBe('INVALID_INPUT');
    expect(errorOf(r).message).toMatch(/^reports\/bad\.xml:4:\d+: /);
    const notJUnit = await upload('author', { contentHash: hashOf('<html/>') }, [['page.html', '<html/>']]);
    expect(errorOf(notJUnit).message).toBe('page.html:1:8: not JUnit XML: the root element is <html>, expected <testsuites> or <testsuite>');
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('checks the contentHash against the bytes that arrived, inside the transaction: a wrong one writes nothing', async () => {
    const a = junit(3);
    const before = await storeSnapshot(deps);
    const wrong = await upload('author', { contentHash: hashOf('something else') }, [['a.xml', a]]);
    expect(wrong.statusCode).toBe(400);
    expect(errorOf(wrong)).toMatchObject({ code: 'INVALID_INPUT', field: 'contentHash' });
    expect(await storeSnapshot(deps)).toBe(before);
    // A run imported without a version is not relabelled by an upload that only claims to be the same files.
    const first = await upload('author', { contentHash: hashOf(a) }, [['a.xml', a]]);
    expect(first.statusCode).toBe(201);
    const mid = await storeSnapshot(deps);
    const claim = await upload('author', { contentHash: hashOf(a), version: '9.9.9' }, [['a.xml', junit(4)]]);
    expect(claim.statusCode).toBe(400);
    expect(errorOf(claim).field).toBe('contentHash');
    expect(await storeSnapshot(deps)).toBe(mid);
  });

  it('refuses what is not an upload: no file, a missing hash, an unknown field, a field after the files, JSON', async () => {
    const a = junit(1);
    const before = await storeSnapshot(deps);
    expect(errorOf(await upload('author', { contentHash: hashOf(a) }, []))).toMatchObject({ code: 'INVALID_INPUT', field: 'file' });
    expect(errorOf(await upload('author', {}, [['a.xml', a]]))).toMatchObject({ code: 'INVALID_INPUT', field: 'contentHash' });
    expect(errorOf(await upload('author', { contentHash: hashOf(a), colour: 'red' }, [['a.xml', a]]))).toMatchObject({ field: 'colour' });
    const late = Buffer.concat([
      multipart({ contentHash: hashOf(a) }, [['a.xml', a]]).subarray(0, -`--${BOUNDARY}--\r\n`.length),
      Buffer.from(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="version"\r\n\r\n1.0\r\n--${BOUNDARY}--\r\n`),
    ]);
    const r = await app.inject({ method: 'POST', url: URL_RPM, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, authorization: 'Bearer tok-author' }, payload: late });
    expect(errorOf(r)).toEqual({ code: 'INVALID_INPUT', message: 'invalid test run upload: version: text fields must come before the files', field: 'version' });
    const json = await app.inject({ method: 'POST', url: URL_RPM, headers: { authorization: 'Bearer tok-author' }, payload: { contentHash: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(errorOf(json).code).toBe('INVALID_INPUT');
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it("authorizes through execute for every role, anonymous and a revoked token: refused callers' files are never read [DOSSIER-SRS-29]", async () => {
    const callers = [...ROLES, undefined, 'revoked'] as const;
    for (const role of callers) {
      const n = await runs();
      const events = (await listAuditEvents(deps, { limit: 100_000 })).length;
      // A fresh file per caller, so each allowed upload is a new run.
      const file = junit(2, `s-${role ?? 'anonymous'}`);
      const r = await upload(role, { contentHash: hashOf(file) }, [['a.xml', file]]);
      const principal = role === undefined || role === 'revoked' ? undefined : auth.tokens.get(`tok-${role}`);
      const allowed = principal !== undefined && grants(principal.grants, 'evidence.import', 'RPM', principal.scope);
      if (allowed) {
        expect(r.statusCode, `${role ?? 'anonymous'}`).toBe(201);
        expect(await runs()).toBe(n + 1);
      } else {
        expect(r.statusCode, `${role ?? 'anonymous'}`).toBe(principal === undefined ? 401 : 403);
        expect(await runs()).toBe(n);
        const after = await listAuditEvents(deps, { limit: 100_000 });
        if (principal === undefined) expect(after.length).toBe(events);
        else expect(after.slice(events).map((e) => `${e.action} by ${e.actor}`)).toEqual([`ACCESS_DENIED by ${role ?? ''}`]);
      }
    }
    // The table must grant the upload to someone and refuse it to someone, or this test proves nothing.
    expect(await runs()).toBeGreaterThan(0);
    expect(await runs()).toBeLessThan(ROLES.length);
  });

  it('is in the OpenAPI document with a multipart body, and the document still validates', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { operationId: string; requestBody: { content: Record<string, unknown> } }>> }>();
    const op = doc.paths['/api/v1/products/{productKey}/evidence/test-runs/upload']?.['post'];
    expect(op?.operationId).toBe('evidence.tests.upload');
    expect(Object.keys(op?.requestBody.content ?? {})).toEqual(['multipart/form-data']);
    const v = new Validator();
    const res = await v.validate(doc);
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
  });
});

import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import type { Deps } from '../core/ports.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { roleTokens, type FakeAuthenticator } from '../test-support/server.js';
import { TEST_SERVICES } from '../test-support/services.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { buildServer } from './app.js';

const UPLOAD = '/api/v1/products/RPM/records/TC-1/attachments/upload';
const BOUNDARY = 'attach-boundary-51c2';
const LIMIT = 256 * 1024;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A multipart body: the text fields, then one file part. */
function multipart(fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }): Buffer {
  const head = Object.entries(fields).map(([k, v]) => `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  head.push(`--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`);
  return Buffer.concat([Buffer.from(head.join(''), 'utf8'), file.bytes, Buffer.from(`\r\n--${BOUNDARY}--\r\n`, 'utf8')]);
}

const errorOf = (r: { json: () => unknown }): { code: string; message: string } => (r.json() as { error: { code: string; message: string } }).error;

describe.each(DIALECTS)('attachment upload and download over HTTP on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let auth: FakeAuthenticator;
  let app: FastifyInstance;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS', 'TC']);
    auth = roleTokens('RPM');
    // A JSON body limit of 16 KiB: a 200 KiB file passes only because the upload is never held as a body.
    app = await buildServer({ deps, authenticator: auth, checkOutput: true, rateLimit: false, bodyLimit: 16 * 1024, services: { ...TEST_SERVICES, attachmentLimit: () => LIMIT } });
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });
  const upload = (role: string, fields: Record<string, string>, file: { name: string; type: string; bytes: Buffer }) =>
    app.inject({
      method: 'POST',
      url: UPLOAD,
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, authorization: `Bearer tok-${role}` },
      payload: multipart(fields, file),
    });
  const events = async (): Promise<number> => (await listAuditEvents(deps, {})).length;

  it('takes a file larger than the JSON limit as a streamed upload and serves it back with its type, name and SHA-256 as ETag [DOSSIER-SRS-10]', async () => {
    const bytes = Buffer.alloc(200 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
    const r = await upload('author', { name: 'Prüfbericht "final".png', sha256: sha(bytes) }, { name: 'scan.png', type: 'image/png', bytes });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ contentStored: true, attachment: { record: 'TC-1', name: 'Prüfbericht "final".png', mediaType: 'image/png', size: bytes.length, sha256: sha(bytes), attachedBy: 'author' } });
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'ATTACHMENT_ADDED', entityId: 'RPM/TC-1/attachment/1', actor: 'author' });

    const url = `/api/v1/products/RPM/records/TC-1/attachments/${encodeURIComponent('Prüfbericht "final".png')}`;
    const d = await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer tok-viewer' } });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.headers['content-type']).toBe('image/png');
    expect(d.headers['etag']).toBe(`"${sha(bytes)}"`);
    expect(d.headers['content-disposition']).toBe(`attachment; filename="Pr_fbericht _final_.png"; filename*=UTF-8''Pr%C3%BCfbericht%20%22final%22.png`);
    expect(d.rawPayload.equals(bytes)).toBe(true);
    const again = await app.inject({ method: 'GET', url, headers: { authorization: 'Bearer tok-viewer', 'if-none-match': `"${sha(bytes)}"` } });
    expect(again.statusCode).toBe(304);
    const list = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/records/TC-1/attachments', headers: { authorization: 'Bearer tok-viewer' } });
    expect(list.json<{ attachments: { name: string }[] }>().attachments.map((a) => a.name)).toEqual(['Prüfbericht "final".png']);
    // Without a name field: the file part's name, without the folder a client sent with it.
    const plain = await upload('author', {}, { name: 'C:\\scans\\scan-2.txt', type: 'text/plain', bytes: Buffer.from('second') });
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json()).toMatchObject({ contentStored: true, attachment: { name: 'scan-2.txt', mediaType: 'text/plain' } });
  });

  it('refuses a file over the limit with 413 naming it, a wrong SHA-256 with 400, a viewer with 403: nothing is stored', async () => {
    const before = await events();
    const big = await upload('author', {}, { name: 'big.bin', type: 'application/octet-stream', bytes: Buffer.alloc(LIMIT + 10) });
    expect(big.statusCode).toBe(413);
    expect(errorOf(big).message).toContain(`over the attachment limit of ${LIMIT} bytes (256 KiB`);
    const wrong = await upload('author', { sha256: '0'.repeat(64) }, { name: 'a.txt', type: 'text/plain', bytes: Buffer.from('abc') });
    expect(wrong.statusCode).toBe(400);
    expect(errorOf(wrong).message).toContain(`hash to ${sha(Buffer.from('abc'))}, not to the ${'0'.repeat(64)} declared`);
    const viewer = await upload('viewer', {}, { name: 'a.txt', type: 'text/plain', bytes: Buffer.from('abc') });
    expect(viewer.statusCode).toBe(403);
    const badName = await upload('author', { name: 'evil/../x.txt' }, { name: 'a.txt', type: 'text/plain', bytes: Buffer.from('abc') });
    expect(badName.statusCode).toBe(400);
    expect(errorOf(badName).message).toContain('path separator');
    expect(await events()).toBe(before + 1); // the viewer's ACCESS_DENIED, nothing else
    expect(await t.store.db.selectFrom('attachments').selectAll().execute()).toEqual([]);
    expect(await t.store.db.selectFrom('attachment_contents').select('sha256').execute()).toEqual([]);
  });

  it('takes a small file as base64 in a JSON body too', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/products/RPM/records/SRS-1/attachments',
      headers: { authorization: 'Bearer tok-author' },
      payload: { name: 'note.txt', mediaType: 'text/plain', content: Buffer.from('hello').toString('base64') },
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ attachment: { record: 'SRS-1', size: 5, sha256: sha(Buffer.from('hello')) } });
  });
});

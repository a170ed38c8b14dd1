import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../core/catalog/catalog.js';
import { sha256Bytes } from '../../core/hashing.js';
import type { Deps } from '../../core/ports.js';
import { seedDemo } from '../../demo/seed-demo.js';
import { shippedTemplates } from '../../ingest/document-templates.js';
import { loadBuiltinPacks } from '../../ingest/rule-pack-file.js';
import { buildServer } from '../../server/app.js';
import { expectAppError, storeSnapshot } from '../../test-support/assertions.js';
import { roleTokens } from '../../test-support/server.js';
import { DIALECTS, freshStore, type TestStore } from '../../test-support/stores.js';
import type { DocumentSources } from '../services/baseline-documents.js';
import { renderGeneratedDocument } from './render-generated-document.js';

const sources: DocumentSources = { builtinPacks: loadBuiltinPacks(DEFAULT_CATALOG), shippedTemplates: shippedTemplates() };
const AT = '2026-12-01T10:00:00.000Z';
const bearer = (who: string): Record<string, string> => ({ authorization: `Bearer tok-${who}` });

describe.each(DIALECTS)('one generated document as a file on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ t, deps } = await freshStore(dialect));
    await seedDemo(deps);
    app = await buildServer({ deps, authenticator: roleTokens('RPM'), checkOutput: true, rateLimit: false });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t.cleanup();
  });

  it('renders a release document as DOCX and PDF, named after the product, document and release, writing nothing [DOSSIER-SRS-46]', async () => {
    const before = await storeSnapshot(deps);
    const docx = await renderGeneratedDocument(deps, sources, { productKey: 'RPM', release: '1.2.0', document: 'software-requirements', format: 'docx', generatedAt: AT });
    const bytes = Buffer.from(docx.base64, 'base64');
    expect(docx).toMatchObject({ document: 'software-requirements', fileName: 'RPM-software-requirements-1.2.0.docx', bytes: bytes.byteLength });
    expect(docx.contentType).toMatch(/wordprocessingml/);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(docx.sha256).toBe(sha256Bytes(bytes));
    const pdf = await renderGeneratedDocument(deps, sources, { productKey: 'RPM', document: 'trace-matrix', format: 'pdf', generatedAt: AT });
    expect(pdf.fileName).toBe('RPM-trace-matrix-current.pdf');
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A read: no audit event, no change.
    expect(await storeSnapshot(deps)).toBe(before);
  }, 60_000);

  it('refuses an unknown document by the document field, and a spreadsheet of a document without tables', async () => {
    await expectAppError(renderGeneratedDocument(deps, sources, { productKey: 'RPM', document: 'no-such-doc', format: 'pdf' }), 'INVALID_INPUT', /unknown document no-such-doc/);
    await renderGeneratedDocument(deps, sources, { productKey: 'RPM', document: 'no-such-doc', format: 'pdf' }).catch((e: unknown) => {
      expect((e as { details: { field?: string } }).details.field).toBe('document');
    });
    await expectAppError(renderGeneratedDocument(deps, sources, { productKey: 'RPM', document: 'software-development-plan', format: 'xlsx' }), 'INVALID_INPUT', /no tables for a spreadsheet/);
    await expectAppError(renderGeneratedDocument(deps, sources, { productKey: 'RPM', release: '9.9.9', document: 'trace-matrix', format: 'pdf' }), 'NOT_FOUND', /9\.9\.9/);
  }, 60_000);

  it('serves the file itself over HTTP as a download to a reader of the product', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/generated-documents/trace-matrix/file?format=xlsx', headers: bearer('viewer') });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toMatch(/spreadsheetml/);
    expect(String(r.headers['content-disposition'])).toMatch(/RPM-trace-matrix-current\.xlsx/);
    expect(r.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    const bad = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/generated-documents/trace-matrix/file?format=odt', headers: bearer('viewer') });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/products/RPM/generated-documents/trace-matrix/file?format=pdf' })).statusCode).toBe(401);
  }, 60_000);
});

import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditExport } from '../core/audit-export.js';
import type { AuditLog } from '../app/use-cases/get-audit-log.js';
import { addLink } from '../app/use-cases/add-link.js';
import type { Deps } from '../core/ports.js';
import { AUDIT_CSV_HEAD, AUDIT_CSV_VERIFICATION } from '../export/audit-csv.js';
import { parseCsv } from '../test-support/csv.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { aPrincipal, roleTokens, type FakeAuthenticator } from '../test-support/server.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { buildServer } from './app.js';
import { execute } from '../app/execute.js';
import { processServices } from '../app/process-services.js';
import { USE_CASES } from '../app/registry.js';
import type { Principal } from '../core/access/principal.js';

const bearer = (who: string): Record<string, string> => ({ authorization: `Bearer tok-${who}` });

describe.each(DIALECTS)('the audit trail over HTTP on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let auth: FakeAuthenticator;
  let app: FastifyInstance;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await aProduct(deps, { key: 'OTH' });
    await someRecords(deps, 'RPM', ['SRS', 'TC']);
    await someRecords(deps, 'OTH', ['SRS']);
    await addLink({ ...deps, actor: { id: 'bob' } }, { productKey: 'RPM', link: { from: 'TC-1', type: 'verifies', to: 'SRS-1' } });
    auth = roleTokens('RPM');
    auth.tokens.set('tok-auditor', aPrincipal('auditor', [{ productKey: '*', role: 'quality' }], 'token'));
    app = await buildServer({ deps, authenticator: auth, checkOutput: true, rateLimit: false });
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  it('filters audit.log by the query string: record, actor, repeated action, from/to', async () => {
    const get = async (query: string, who = 'viewer'): Promise<AuditLog> => {
      const r = await app.inject({ method: 'GET', url: `/api/v1/audit/events?${query}`, headers: bearer(who) });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<AuditLog>();
    };
    const record = await get('record=RPM/SRS-1&limit=all');
    expect(record.events.map((e) => `${e.action} ${e.entityId}`)).toEqual(['RECORD_CREATED RPM/SRS-1', 'LINK_CREATED RPM/link/1']);
    expect((await get('productKey=RPM&actor=bob')).events.map((e) => e.action)).toEqual(['LINK_CREATED']);
    const kinds = await get('productKey=RPM&action=PRODUCT_CREATED&action=LINK_CREATED');
    expect(kinds.events.map((e) => e.action)).toEqual(['PRODUCT_CREATED', 'LINK_CREATED']);
    expect((await get('productKey=RPM&from=2026-01-01&to=2026-01-01T00:00:00.001Z')).events.map((e) => e.seq)).toEqual([1]);
    // A record names its product: one product's reader may read its trail; another product's record is not theirs.
    const other = await app.inject({ method: 'GET', url: '/api/v1/audit/events?record=OTH/SRS-1', headers: bearer('viewer') });
    expect(other.statusCode).toBe(403);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/audit/events?productKey=RPM&from=monday', headers: bearer('viewer') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/from: an ISO 8601 time/);
  });

  it('P11-05: exports JSON and CSV (a file) with the verification; the whole store needs audit.verify [DOSSIER-SRS-51]', async () => {
    const json = await app.inject({ method: 'GET', url: '/api/v1/audit/export?productKey=RPM', headers: bearer('viewer') });
    expect(json.statusCode, json.body).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const exp = json.json<AuditExport>();
    expect(exp.verification.ok).toBe(true);
    expect(exp.events.every((e) => e.productKey === 'RPM')).toBe(true);
    expect(exp.events.length).toBe(exp.total);

    const csv = await app.inject({ method: 'GET', url: '/api/v1/audit/export?productKey=RPM&format=csv&action=LINK_CREATED', headers: bearer('viewer') });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="audit-RPM-${exp.verification.head?.seq}.csv"`);
    expect(csv.headers['cache-control']).toBe('no-store');
    const rows = parseCsv(csv.body);
    expect(rows[0]).toEqual([...AUDIT_CSV_HEAD]);
    expect(rows.slice(1, -1).map((r) => r[3])).toEqual(['LINK_CREATED']);
    expect(rows[rows.length - 1]?.slice(0, 2)).toEqual([AUDIT_CSV_VERIFICATION, 'ok=true']);

    expect((await app.inject({ method: 'GET', url: '/api/v1/audit/export', headers: bearer('viewer') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit/export?productKey=OTH', headers: bearer('viewer') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit/export?productKey=RPM' })).statusCode).toBe(401);
    const whole = await app.inject({ method: 'GET', url: '/api/v1/audit/export?format=csv', headers: bearer('auditor') });
    expect(whole.statusCode, whole.body).toBe(200);
    expect(whole.headers['content-disposition']).toMatch(/filename="audit-store-\d+\.csv"/);
    expect(parseCsv(whole.body).some((r) => r[6] === 'OTH')).toBe(true);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/audit/export?productKey=RPM&format=xlsx', headers: bearer('viewer') });
    expect(bad.statusCode).toBe(400);
    // The API document says the route may answer CSV.
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { responses: Record<string, { content: object }> }>> }>();
    expect(Object.keys(doc.paths['/api/v1/audit/export']?.['get']?.responses['200']?.content ?? {})).toEqual(['application/json', 'text/csv']);
  });

  it('serves the CSV file from a read pool too (the worker answers JSON text)', async () => {
    const calls: string[] = [];
    const readPool = {
      run: async (name: string, principal: Principal, raw: unknown): Promise<string> => {
        calls.push(name);
        const uc = USE_CASES.find((u) => u.name === name);
        if (uc === undefined) throw new Error(`no use-case ${name}`);
        return JSON.stringify(await execute(uc, { deps, principal, services: processServices(deps.catalog) }, raw));
      },
    };
    const pooled = await buildServer({ deps, authenticator: auth, rateLimit: false, readPool });
    try {
      const csv = await pooled.inject({ method: 'GET', url: '/api/v1/audit/export?productKey=RPM&format=csv', headers: bearer('viewer') });
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="audit-RPM-\d+\.csv"$/);
      expect(parseCsv(csv.body).at(-1)?.slice(0, 2)).toEqual([AUDIT_CSV_VERIFICATION, 'ok=true']);
      const json = await pooled.inject({ method: 'GET', url: '/api/v1/audit/export?productKey=RPM', headers: bearer('viewer') });
      expect(json.json<AuditExport>().verification.ok).toBe(true);
      expect(calls).toEqual(['audit.export', 'audit.export']);
    } finally {
      await pooled.close();
    }
  });
});

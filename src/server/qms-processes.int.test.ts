import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { USE_CASES } from '../app/registry.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import type { Deps } from '../core/ports.js';
import { storeSnapshot } from '../test-support/assertions.js';
import { aProduct } from '../test-support/factories.js';
import { roleTokens } from '../test-support/server.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { buildServer } from './app.js';

const bearer = (role: string, revision?: number): Record<string, string> => ({
  authorization: `Bearer tok-${role}`,
  ...(revision === undefined ? {} : { 'if-match': `"${revision}"` }),
});
const errorOf = (r: { json: () => unknown }): { code: string; message: string } => (r.json() as { error: { code: string; message: string } }).error;

describe.each(DIALECTS)('the quality processes over HTTP on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let app: FastifyInstance;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await addRecords(deps, {
      productKey: 'RPM',
      records: [
        { type: 'CAPA', title: 'Readings dropped', fields: { source: 'complaint', owner: 'author', openedOn: '2026-01-01', dueOn: '2026-02-01' } },
        { type: 'CMP', title: 'Alarm late', fields: { receivedOn: '2026-03-02', channel: 'email', awareOn: '2026-03-02', euReportability: 'serious_public_health_threat', reportabilityRationale: 'a delayed alarm' } },
        { type: 'CR', title: 'Pin the key', fields: { origin: 'capa' } },
      ],
    });
    app = await buildServer({ deps, authenticator: roleTokens('RPM'), useCases: USE_CASES, checkOutput: true });
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  const advance = (record: string, revision: number, payload: Record<string, unknown>, role = 'author') =>
    app.inject({ method: 'POST', url: `/api/v1/products/RPM/qms/records/${record}/advance`, headers: bearer(role, revision), payload });

  /** A refused call changes nothing, and writes no audit event. */
  async function unchanged(call: () => Promise<{ statusCode: number; json: () => unknown }>, status: number, code: string, message: RegExp): Promise<void> {
    const before = await storeSnapshot(deps);
    const events = (await listAuditEvents(deps, {})).length;
    const r = await call();
    expect(r.statusCode).toBe(status);
    expect(errorOf(r).code).toBe(code);
    expect(errorOf(r).message).toMatch(message);
    expect(await storeSnapshot(deps)).toBe(before);
    expect((await listAuditEvents(deps, {})).length).toBe(events);
  }

  it('advances a CAPA with If-Match; a state without what it needs is 400, a move not allowed 409, a stale base 412, a viewer 403 [DOSSIER-SRS-39]', async () => {
    await unchanged(() => advance('CAPA-1', 1, { state: 'investigation' }), 400, 'INVALID_INPUT', /needs problem/);
    await unchanged(() => advance('CAPA-1', 1, { state: 'verification', fields: { problem: 'p' } }), 409, 'INVALID_STATE', /cannot move to verification/);
    // A viewer may not: 403, and only the denial is audited (as every denied access is).
    const denied = await advance('CAPA-1', 1, { state: 'investigation', fields: { problem: 'p' } }, 'viewer');
    expect(denied.statusCode).toBe(403);
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'ACCESS_DENIED', entityId: 'qms.advance' });
    expect((await deps.store.read((r) => r.findRecord(1, 'CAPA', 1)))?.latestRevision).toBe(1);
    const ok = await advance('CAPA-1', 1, { state: 'investigation', fields: { problem: 'Readings dropped for 2 hours' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ from: 'open', to: 'investigation', processState: 'investigation', record: { key: 'CAPA-1', latestRevision: 2 } });
    expect((await listAuditEvents(deps, {})).at(-1)).toMatchObject({ action: 'RECORD_REVISED', entityId: 'RPM/CAPA-1', actor: 'author' });
    await unchanged(() => advance('CAPA-1', 1, { state: 'open' }), 412, 'PRECONDITION_FAILED', /CAPA-1/);

    const list = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/qms/processes/capa?overdue=true&asOf=2026-02-10', headers: bearer('viewer') });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({
      product: 'RPM',
      kind: 'capa',
      asOf: '2026-02-10',
      states: expect.arrayContaining(['open', 'investigation']) as unknown,
      listStates: expect.arrayContaining(['closed', 'cancelled']) as unknown,
      moves: expect.arrayContaining([['open', 'investigation']]) as unknown,
      records: [{ key: 'CAPA-1', title: 'Readings dropped', state: 'investigation', owner: 'author', due: '2026-02-01', overdue: true, ageDays: 40 }],
    });
    const none = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/qms/processes/capa?overdue=true&asOf=2026-01-10', headers: bearer('viewer') });
    expect(none.json<{ records: unknown[] }>().records).toEqual([]);
  });

  it('serves a complaint\'s deadlines and a change request\'s impact [DOSSIER-SRS-40] [DOSSIER-SRS-41]', async () => {
    const d = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/qms/complaints/CMP-1/deadlines?asOf=2026-03-03', headers: bearer('viewer') });
    expect(d.statusCode).toBe(200);
    expect(d.json<{ reports: { jurisdiction: string; dueOn: string | null; text: string }[] }>().reports).toMatchObject([
      { jurisdiction: 'FDA', dueOn: null, text: 'reportability not decided' },
      { jurisdiction: 'EU', dueOn: '2026-03-04', text: 'due in 1 day' },
    ]);
    const i = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/qms/changes/CR-1/impact', headers: bearer('viewer') });
    expect(i.statusCode).toBe(200);
    expect(i.json()).toMatchObject({ record: 'CR-1', state: 'submitted', approved: false, changes: [], affected: [] });
    const notCr = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/qms/changes/CMP-1/impact', headers: bearer('viewer') });
    expect(notCr.statusCode).toBe(400);
  });
});

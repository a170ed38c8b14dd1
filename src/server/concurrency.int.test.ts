import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import type { Deps } from '../core/ports.js';
import { openStore, parseStoreTarget } from '../storage/open-store.js';
import type { KyselyStore } from '../storage/kysely-store.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { roleTokens } from '../test-support/server.js';
import { TEST_USE_CASES } from '../test-support/server-use-cases.js';
import { DIALECTS, freshStore, testDeps, type TestStore } from '../test-support/stores.js';
import { buildServer } from './app.js';

const N = 60;
const headers = { authorization: 'Bearer tok-author' };

/**
 * Two servers, each with its own connection(s) to one database (as two server processes would have): concurrent
 * writes through both lose nothing, conflicting edits let exactly one through, and the audit chain stays intact.
 */
describe.each(DIALECTS)('two servers on one %s database', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let second: KyselyStore;
  let apps: FastifyInstance[] = [];
  beforeAll(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS']);
    second = await openStore(parseStoreTarget(t.dbArg));
    apps = await Promise.all(
      [deps, testDeps(second)].map((d) => buildServer({ deps: d, authenticator: roleTokens('RPM'), useCases: TEST_USE_CASES, rateLimit: false })),
    );
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await second.close();
    await t.cleanup();
  });
  const app = (i: number): FastifyInstance => apps[i % 2] as FastifyInstance;

  it('numbers concurrent records without gaps or duplicates', async () => {
    const rs = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        app(i).inject({ method: 'POST', url: '/api/v1/products/RPM/records', headers, payload: { record: { type: 'TC', title: `Case ${i}`, fields: { level: 'integration' } } } }),
      ),
    );
    expect(rs.map((r) => r.statusCode)).toEqual(Array.from({ length: N }, () => 201));
    const numbers = rs.map((r) => r.json<{ number: number }>().number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  });

  it('lets exactly one of many conflicting edits through; the others get 412 and change nothing [DOSSIER-SRS-8]', async () => {
    const rs = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        app(i).inject({ method: 'PATCH', url: '/api/v1/test/products/RPM/records/SRS-1', headers: { ...headers, 'if-match': '"1"' }, payload: { title: `Edit ${i}` } }),
      ),
    );
    const statuses = rs.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(N - 1);
    const head = await deps.store.read(async (r) => {
      const p = await r.findProduct('RPM');
      return p === undefined ? undefined : r.findRecord(p.id, 'SRS', 1);
    });
    expect(head?.latestRevision).toBe(2);
    const report = await verifyIntegrity(deps);
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });
});

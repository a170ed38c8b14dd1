import { TEST_SERVICES } from '../test-support/services.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execute } from '../app/execute.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { createTokenUseCase } from '../app/use-cases/create-token.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { localPrincipal } from '../core/access/principal.js';
import { aProduct } from '../test-support/factories.js';
import { startServe } from '../test-support/processes.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../test-support/stores.js';

const services = TEST_SERVICES;

/** Records in the product: enough that verifying the whole store takes far longer than a product list. */
const RECORDS = 20_000;

/**
 * The built `dossier serve` runs heavy reads (here a whole-store audit verification) on its read pool: short reads
 * sent while it runs are answered at once, on SQLite (whose reads block the thread that runs them) and
 * PostgreSQL. Needs `npm run build` (the pool's worker is a built file).
 */
describe.each(DIALECTS)('the read pool of dossier serve on %s', (dialect) => {
  let t: TestStore;
  let token: string;
  beforeEach(async () => {
    t = await openTestStore(dialect);
    const deps = testDeps(t.store);
    await aProduct(deps);
    for (let done = 0; done < RECORDS; done += 5_000) {
      await addRecords(deps, {
        productKey: 'RPM',
        records: Array.from({ length: 5_000 }, (_, i) => ({ type: 'SRS', title: `Requirement ${done + i + 1}`, fields: { riskControl: (i & 1) === 0 } })),
      });
    }
    const ctx = { deps, principal: localPrincipal('ops'), services };
    await execute(createUserUseCase, ctx, { username: 'ada', printedName: 'Ada Lovelace', admin: true, password: 'correct horse battery staple' });
    const created = await execute(createTokenUseCase, { ...ctx, principal: localPrincipal('ada') }, {
      productKey: 'RPM',
      permissions: ['product.read'],
      name: 'read pool test',
    });
    token = created.token;
  }, 120_000);
  afterEach(async () => t.cleanup());

  it('answers short reads while a long check runs on a worker', async () => {
    const server = startServe(t.dbArg, ['--read-workers', '1'], { ...process.env, DOSSIER_LOG_LEVEL: 'warn' });
    const { child, ended } = server;
    const address = await server.address;
    try {
      const headers = { authorization: `Bearer ${token}` };
      // A whole-store verification (audit verify: every event and revision re-hashed, the state replayed) as the
      // administrator's browser session; its answer is small, so what the main thread does is only the short reads.
      const login = await fetch(`${address}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ada', password: 'correct horse battery staple' }),
      });
      const session = login.headers.getSetCookie().map((c) => c.split(';')[0]);
      const csrf = await fetch(`${address}/api/v1/session/csrf`, { headers: { cookie: session.join('; ') } });
      const cookie = [...session, ...csrf.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const started = performance.now();
      let checkDone = false;
      const check = fetch(`${address}/api/v1/audit/verify`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: '{}',
      }).then(async (r) => {
        const body = (await r.json()) as { ok: boolean };
        checkDone = true;
        return { status: r.status, ok: body.ok, took: performance.now() - started };
      });
      // Short reads, one after another, for as long as the check runs: how long did the slowest one wait?
      const waits: number[] = [];
      while (!checkDone) {
        const t = performance.now();
        const r = await fetch(`${address}/api/v1/products`, { headers });
        expect(r.status).toBe(200);
        await r.arrayBuffer();
        waits.push(performance.now() - t);
      }
      const result = await check;
      expect(result.status).toBe(200);
      expect(result.ok).toBe(true);
      expect(waits.length).toBeGreaterThan(1);
      // No short read waited for the verification: the slowest took a small part of its time (about 3 % here). With
      // `--read-workers 0` (the verification on the main thread) this fails: on SQLite a short read waits for all of
      // it, on PostgreSQL for about 16 %.
      expect(Math.max(...waits)).toBeLessThan(result.took / 10);
    } finally {
      child.kill('SIGTERM');
      expect(await ended).toBe(0);
    }
  }, 180_000);
});

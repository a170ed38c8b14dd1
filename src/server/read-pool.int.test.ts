import { TEST_SERVICES } from '../test-support/services.js';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execute } from '../app/execute.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { createTokenUseCase } from '../app/use-cases/create-token.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { localPrincipal } from '../core/access/principal.js';
import { aProduct } from '../test-support/factories.js';
import { built } from '../test-support/processes.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../test-support/stores.js';

const services = TEST_SERVICES;

/** Records in the product: enough that a whole-product check takes far longer than a product list. */
const RECORDS = 20_000;

/**
 * The built `dossier serve` runs heavy reads (here a whole-product check) on its read pool: short reads sent while
 * the check runs are answered before it ends, on SQLite (whose reads block the thread that runs them) and
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
    const child = spawn(process.execPath, [built('cli/main.js'), '--db', t.dbArg, 'serve', '--port', '0', '--read-workers', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DOSSIER_LOG_LEVEL: 'warn' },
    });
    let err = '';
    const address = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      child.on('close', () => reject(new Error(`serve ended early: ${err}`)));
    });
    const ended = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const headers = { authorization: `Bearer ${token}` };
      const started = performance.now();
      let checkDone = false;
      // The answer is read as bytes and parsed only at the end: parsing tens of megabytes of JSON here would hold up
      // this process's own short reads, which is not what is measured.
      const check = fetch(`${address}/api/v1/products/RPM/check`, { headers }).then(async (r) => {
        const body = await r.arrayBuffer();
        checkDone = true;
        return { status: r.status, body, took: performance.now() - started };
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
      const findings = (JSON.parse(Buffer.from(result.body).toString('utf8')) as { findings: unknown[] }).findings;
      expect(findings.length).toBeGreaterThanOrEqual(RECORDS / 2);
      expect(waits.length).toBeGreaterThan(1);
      // No short read waited for the check: the slowest took a small part of the check's time. With
      // `--read-workers 0` (the check on the main thread) this fails: a short read then waits 50–75 % of the check.
      expect(Math.max(...waits)).toBeLessThan(result.took / 4);
    } finally {
      child.kill('SIGTERM');
      expect(await ended).toBe(0);
    }
  }, 180_000);
});

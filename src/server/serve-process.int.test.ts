import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aProduct } from '../test-support/factories.js';
import { startServe } from '../test-support/processes.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../test-support/stores.js';

/**
 * `dossier serve` as a real process (needs `npm run build`): it listens, answers health and readiness, logs JSON
 * lines with request IDs, and on SIGTERM stops taking requests, closes the store and exits 0.
 */
describe.each(DIALECTS)('dossier serve on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect);
    await aProduct(testDeps(t.store));
  });
  afterEach(async () => t.cleanup());

  it('serves until SIGTERM, then shuts down cleanly', async () => {
    const server = startServe(t.dbArg);
    const { child, ended } = server;
    const address = await server.address;
    expect((await fetch(`${address}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${address}/readyz`)).json()).toEqual({ status: 'ready' });
    const denied = await fetch(`${address}/api/v1/products`, { headers: { authorization: 'Bearer secret-token-value' } });
    expect(denied.status).toBe(401);
    const doc = (await (await fetch(`${address}/api/openapi.json`)).json()) as { openapi: string };
    expect(doc.openapi).toBe('3.1.0');
    child.kill('SIGTERM');
    expect(await ended).toBe(0);
    const lines = server
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reqId?: string; msg: string });
    expect(lines.some((l) => l.reqId !== undefined && l.msg === 'request completed')).toBe(true);
    expect(lines.at(-1)?.msg).toMatch(/^shutting down|Server closed/i);
    expect(server.out()).not.toContain('secret-token-value');
  });
});

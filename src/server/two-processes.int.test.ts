import { TEST_SERVICES } from '../test-support/services.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execute } from '../app/execute.js';
import { createTokenUseCase } from '../app/use-cases/create-token.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import { localPrincipal } from '../core/access/principal.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { startServe, type ServeProcess } from '../test-support/processes.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../test-support/stores.js';

const services = TEST_SERVICES;
const PASSWORD = 'correct horse battery staple';

/** Starts the built `dossier serve` on a free port, its log at warnings only. */
const serve = (dbArg: string, env: NodeJS.ProcessEnv): ServeProcess => startServe(dbArg, [], { ...process.env, ...env, DOSSIER_LOG_LEVEL: 'warn' });

/**
 * Two `dossier serve` processes on one database (needs `npm run build`): writes through both are numbered without
 * gaps or duplicates; of many conflicting edits from one revision exactly one is saved; a session started on one
 * process is valid on the other (sessions live in the database), and so is its CSRF token (one shared key); a token
 * revoked through one is refused by the other at once; the audit chain holds.
 */
describe.each(DIALECTS)('two dossier serve processes on one %s database', (dialect) => {
  let t: TestStore;
  let token: string;
  beforeEach(async () => {
    t = await openTestStore(dialect);
    const deps = testDeps(t.store);
    await aProduct(deps);
    await someRecords(deps, 'RPM', ['SRS']);
    const ctx = { deps, principal: localPrincipal('ops'), services };
    await execute(createUserUseCase, ctx, { username: 'ada', printedName: 'Ada Lovelace', admin: true, password: PASSWORD });
    token = (
      await execute(createTokenUseCase, { ...ctx, principal: localPrincipal('ada') }, {
        productKey: 'RPM',
        permissions: ['product.read', 'record.create', 'record.edit'],
        name: 'two processes',
      })
    ).token;
  }, 60_000);
  afterEach(async () => t.cleanup());

  it('share one store: no lost or doubled writes, one winner per conflict, sessions and revocations seen by both', async () => {
    const env = { DOSSIER_CSRF_KEY: 'a key both processes share, long enough' };
    const servers = [serve(t.dbArg, env), serve(t.dbArg, env)];
    try {
      const [a, b] = await Promise.all(servers.map((s) => s.address));
      const at = (i: number): string => ((i & 1) === 0 ? (a as string) : (b as string));
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const added = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          fetch(`${at(i)}/api/v1/products/RPM/records`, { method: 'POST', headers, body: JSON.stringify({ record: { type: 'SRS', title: `Requirement ${i}` } }) }).then(
            async (r) => ({ status: r.status, body: (await r.json()) as { number: number } }),
          ),
        ),
      );
      expect(added.every((r) => r.status === 201)).toBe(true);
      expect(added.map((r) => r.body.number).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));

      const edits = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fetch(`${at(i)}/api/v1/products/RPM/records/SRS-1`, { method: 'PATCH', headers: { ...headers, 'if-match': '"1"' }, body: JSON.stringify({ title: `Edit ${i}` }) }).then((r) => r.status),
        ),
      );
      expect(edits.filter((s) => s === 200)).toHaveLength(1);
      expect(edits.filter((s) => s === 412)).toHaveLength(19);

      // A session from process A works on process B, and so does its CSRF token.
      const login = await fetch(`${a as string}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ada', password: PASSWORD }) });
      expect(login.status).toBe(200);
      const session = login.headers.getSetCookie().map((c) => c.split(';')[0]);
      const csrf = await fetch(`${a as string}/api/v1/session/csrf`, { headers: { cookie: session.join('; ') } });
      const cookie = [...session, ...csrf.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const viaB = await fetch(`${b as string}/api/v1/products/RPM/records`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ record: { type: 'SRS', title: 'Added with a session from the other process' } }),
      });
      expect(viaB.status).toBe(201);

      // The token revoked through B is refused by A at once.
      const tokens = (await (await fetch(`${b as string}/api/v1/tokens`, { headers: { cookie } })).json()) as { id: number }[];
      const revoke = await fetch(`${b as string}/api/v1/tokens/${String(tokens[0]?.id)}`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': csrfToken } });
      expect(revoke.status, await revoke.text()).toBe(200);
      expect((await fetch(`${a as string}/api/v1/products`, { headers })).status).toBe(401);
    } finally {
      for (const s of servers) s.child.kill('SIGTERM');
      expect(await Promise.all(servers.map((s) => s.ended))).toEqual([0, 0]);
    }
    const report = await verifyIntegrity(testDeps(t.store));
    expect(report.ok).toBe(true);
  }, 120_000);
});

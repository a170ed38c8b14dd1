import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execute } from '../app/execute.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { linkSsoUseCase } from '../app/use-cases/link-sso.js';
import { localPrincipal } from '../core/access/principal.js';
import { CookieJar, driveProvider, startTestProvider, TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_PUBLIC_URL, type TestProvider } from '../test-support/oidc-provider.js';
import { built, startServe } from '../test-support/processes.js';
import { TEST_SERVICES } from '../test-support/services.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../test-support/stores.js';

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(async () => provider.close());

/** The value of a cookie a response sets, or ''. */
function setCookie(res: Response, name: string): string {
  for (const line of res.headers.getSetCookie()) if (line.startsWith(`${name}=`)) return line.slice(name.length + 1).split(';')[0] ?? '';
  return '';
}

/**
 * `dossier serve` as a real process (needs `npm run build`) with single sign-on configured from the environment
 * (a confidential client): a linked user logs in through a real OpenID provider and gets a working session; the
 * client secret never reaches the log.
 */
describe.each(DIALECTS)('dossier serve with single sign-on on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect);
    const ops = { deps: testDeps(t.store), principal: localPrincipal('ops'), services: TEST_SERVICES };
    await execute(createUserUseCase, ops, { username: 'ada', printedName: 'Ada Lovelace', admin: true });
    await execute(linkSsoUseCase, ops, { username: 'ada', issuer: provider.issuer, subject: 'ada-at-idp' });
  });
  afterEach(async () => t.cleanup());

  it('P11-04: logs a linked user in through the provider, from the environment’s configuration', async () => {
    const env = {
      ...process.env,
      DOSSIER_OIDC_ISSUER: provider.issuer,
      DOSSIER_OIDC_CLIENT_ID: `${TEST_CLIENT_ID}-confidential`,
      DOSSIER_OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
      DOSSIER_PUBLIC_URL: TEST_PUBLIC_URL,
    };
    const server = startServe(t.dbArg, ['--read-workers', '0'], env);
    const { child, ended } = server;
    const address = await server.address;
    try {
      const begin = await fetch(`${address}/api/v1/sso/login`, { redirect: 'manual' });
      expect(begin.status).toBe(302);
      const flow = setCookie(begin, 'dossier_sso');
      // The browser reaches Dossier at its public URL; here that is the process's own address.
      const back = await driveProvider(begin.headers.get('location') ?? '', new CookieJar(), 'ada-at-idp');
      const done = await fetch(`${address}${back.pathname}${back.search}`, { redirect: 'manual', headers: { cookie: `dossier_sso=${flow}` } });
      expect(done.status, await done.clone().text()).toBe(302);
      expect(done.headers.get('location')).toBe('/');
      const session = setCookie(done, 'dossier_session');
      const me = await fetch(`${address}/api/v1/session`, { headers: { cookie: `dossier_session=${session}` } });
      expect(await me.json()).toMatchObject({ username: 'ada', kind: 'user' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await ended).toBe(0);
    expect(server.out()).toContain('single sign-on is on');
    expect(server.out() + server.err()).not.toContain(TEST_CLIENT_SECRET);
  });

  it('refuses to start with single sign-on half configured, naming the variable', async () => {
    const env = { ...process.env, DOSSIER_OIDC_ISSUER: provider.issuer, DOSSIER_OIDC_CLIENT_ID: '', DOSSIER_PUBLIC_URL: TEST_PUBLIC_URL };
    const child = spawn(process.execPath, [built('cli/main.js'), '--db', t.dbArg, 'serve', '--port', '0', '--read-workers', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, err }).toEqual({ code: 2, err: 'dossier: DOSSIER_OIDC_CLIENT_ID is required when DOSSIER_OIDC_ISSUER is set (single sign-on)\n' });
  });
});

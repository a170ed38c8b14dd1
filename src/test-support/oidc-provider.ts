import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** The redirect URI the test provider's client is registered with (Dossier's public URL in these tests). */
export const TEST_PUBLIC_URL = 'http://127.0.0.1:8080';
/** The public client (PKCE only); `${TEST_CLIENT_ID}-confidential` has TEST_CLIENT_SECRET. */
export const TEST_CLIENT_ID = 'dossier';
/** The confidential client's secret. */
export const TEST_CLIENT_SECRET = 'a-confidential-client-secret-for-tests-only';

/** A real OpenID provider on 127.0.0.1 (oidc-provider with its development login and consent pages). */
export interface TestProvider {
  readonly issuer: string;
  close(): Promise<void>;
}

/**
 * Starts oidc-provider on a free port of 127.0.0.1, with two clients for Dossier's callback: a public one
 * (`dossier`, no secret) and a confidential one (`dossier-confidential`). Both must use PKCE, and ID tokens always
 * carry `auth_time`. Any login name is accepted with any password; the account's subject is the login name.
 */
export async function startTestProvider(): Promise<TestProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const redirect = { redirect_uris: [`${TEST_PUBLIC_URL}/api/v1/sso/callback`], grant_types: ['authorization_code'], response_types: ['code'], require_auth_time: true };
  const provider = new Provider(issuer, {
    clients: [
      { client_id: TEST_CLIENT_ID, token_endpoint_auth_method: 'none', ...redirect },
      { client_id: `${TEST_CLIENT_ID}-confidential`, client_secret: TEST_CLIENT_SECRET, token_endpoint_auth_method: 'client_secret_post', ...redirect },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, name: `Account ${id}` }) }),
    cookies: { keys: ['test-provider-cookie-key'] },
  });
  // Silence the provider's development warnings in the test output.
  provider.on('server_error', () => undefined);
  handler = provider.callback();
  return {
    issuer,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e === undefined ? resolve() : reject(e)))),
  };
}

/** A browser's cookies for one host, enough for the provider's pages (paths are ignored: all are sent). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** Keeps the cookies a response sets (a cookie set to expire is dropped). */
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Drives the provider's pages from an authorization URL, as a browser would: follows redirects by hand, fills the
 * login form with `login` (any password) and confirms consent, until the provider sends the browser to Dossier's
 * callback. Returns that callback URL (path and query, to send to Dossier).
 * @throws Error when the provider answers something else (an error page, an error redirect)
 */
export async function driveProvider(start: string, jar: CookieJar, login: string): Promise<URL> {
  let url = new URL(start);
  let method: 'GET' | 'POST' = 'GET';
  let body: string | undefined;
  for (let step = 0; step < 20; step++) {
    if (url.href.startsWith(TEST_PUBLIC_URL)) return url;
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(body === undefined ? {} : { body }),
    });
    jar.take(res);
    method = 'GET';
    body = undefined;
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location') ?? '', url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`the provider answered ${res.status} at ${url.pathname}: ${html.slice(0, 300)}`);
    // A form: the login page, the consent page, or one the provider submits by script (the old session's logout).
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (action === undefined) throw new Error(`the provider shows no form at ${url.pathname}: ${html.slice(0, 300)}`);
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)) fields.set(m[1] ?? '', unescapeHtml(m[2] ?? ''));
    if (fields.get('prompt') === 'login') {
      fields.set('login', login);
      fields.set('password', 'any password');
    }
    url = new URL(unescapeHtml(action), url);
    method = 'POST';
    body = fields.toString();
  }
  throw new Error('the provider never sent the browser back');
}

function unescapeHtml(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

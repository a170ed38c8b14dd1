import type { Authenticator } from '../app/authenticator.js';
import { ROLES, type Permission, type RoleGrant } from '../core/access/permissions.js';
import { ANONYMOUS, type Principal } from '../core/access/principal.js';

/** A principal for tests: a user with these grants, or a token when it has a scope. */
export function aPrincipal(id: string, grants: RoleGrant[], kind: Principal['kind'] = 'user', scope?: readonly Permission[]): Principal {
  return {
    id,
    userId: 1,
    printedName: id,
    kind,
    grants,
    ...(scope === undefined ? {} : { scope }),
    sessionId: `s-${id}`,
    authenticatedAt: '2026-01-01T00:00:00.000Z',
  };
}

/**
 * An Authenticator over fixed tables, until the identity store is there: API tokens and session IDs map to
 * principals; `revoke` makes a token answer ANONYMOUS, as a revoked one does.
 */
export class FakeAuthenticator implements Authenticator {
  readonly tokens = new Map<string, Principal>();
  readonly sessions = new Map<string, Principal>();

  fromSession(sessionId: string): Promise<Principal> {
    return Promise.resolve(this.sessions.get(sessionId) ?? ANONYMOUS);
  }

  fromToken(token: string): Promise<Principal> {
    return Promise.resolve(this.tokens.get(token) ?? ANONYMOUS);
  }

  /** Forgets a token: it then proves nothing. */
  revoke(token: string): void {
    this.tokens.delete(token);
  }
}

/** A FakeAuthenticator with one token per role on `productKey` (`tok-<role>`), plus `tok-revoked` (revoked). */
export function roleTokens(productKey: string): FakeAuthenticator {
  const a = new FakeAuthenticator();
  for (const role of ROLES) a.tokens.set(`tok-${role}`, aPrincipal(role, [{ productKey, role: role }], 'token'));
  a.tokens.set('tok-revoked', aPrincipal('revoked', [{ productKey: '*', role: 'admin' }], 'token'));
  a.revoke('tok-revoked');
  return a;
}

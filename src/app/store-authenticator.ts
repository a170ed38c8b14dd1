import { ANONYMOUS, type Principal } from '../core/access/principal.js';
import { sha256Hex } from '../core/hashing.js';
import { mustChangePassword, sessionExpiry, type IdentityPolicy } from '../core/identity/policy.js';
import type { Clock, Store } from '../core/ports.js';
import type { Authenticator } from './authenticator.js';
import { heldGrants } from './services/identity.js';
import { TOKEN_PREFIX } from './use-cases/create-token.js';

/**
 * How often, at most, a session's last-seen time (and idle expiry) or a token's last use is written: a write per
 * request would queue every read behind the write lock. The idle timeout is therefore exact to this much.
 */
export const TOUCH_INTERVAL_MS = 60_000;

/**
 * The authenticator over the identity store: a session cookie's secret or an API token becomes a principal, or
 * ANONYMOUS. A session must be open, within its idle and absolute timeouts, and its user active; a user who must
 * change the password gets no role until it is changed. A token must not be revoked and its user must be active;
 * it acts with its creator's roles on the token's product (held there or on every product), limited to the
 * token's permissions, so revoking a role narrows the token at once.
 */
export class StoreAuthenticator implements Authenticator {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly policy: IdentityPolicy,
  ) {}

  async fromSession(sessionId: string): Promise<Principal> {
    if (sessionId.length === 0 || sessionId.length > 200) return ANONYMOUS;
    const id = sha256Hex(sessionId);
    const now = this.clock.now();
    const found = await this.store.read(async (r) => {
      const s = await r.findSession(id);
      if (s === undefined || s.endedAt !== null || now >= s.idleExpiresAt || now >= s.absoluteExpiresAt) return undefined;
      const u = await r.findUserById(s.userId);
      if (u === undefined || u.deactivatedAt !== null) return undefined;
      return { s, u, grants: heldGrants(await r.listRoleGrants(u.id)) };
    });
    if (found === undefined) return ANONYMOUS;
    const { s, u } = found;
    if (Date.parse(now) - Date.parse(s.lastSeenAt) >= TOUCH_INTERVAL_MS) {
      const { idleExpiresAt } = sessionExpiry(this.policy, s.createdAt, now);
      await this.store.write((w) => w.touchSession(s.id, now, idleExpiresAt));
    }
    const mustChange = mustChangePassword(this.policy, u, now);
    return {
      id: u.username,
      userId: u.id,
      printedName: u.printedName,
      kind: 'user',
      // Until a forced password change is done, the session may only change the password, ask who it is, log out.
      grants: mustChange ? [] : found.grants,
      sessionId: s.id,
      authenticatedAt: s.createdAt,
      ...(mustChange ? { mustChangePassword: true } : {}),
    };
  }

  async fromToken(token: string): Promise<Principal> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return ANONYMOUS;
    const now = this.clock.now();
    const found = await this.store.read(async (r) => {
      const t = await r.findApiTokenBySecretHash(sha256Hex(token));
      if (t === undefined || t.revokedAt !== null) return undefined;
      const u = await r.findUserById(t.userId);
      if (u === undefined || u.deactivatedAt !== null) return undefined;
      return { t, u, grants: heldGrants(await r.listRoleGrants(u.id)) };
    });
    if (found === undefined) return ANONYMOUS;
    const { t, u } = found;
    if (t.lastUsedAt === null || Date.parse(now) - Date.parse(t.lastUsedAt) >= TOUCH_INTERVAL_MS) {
      await this.store.write((w) => w.touchApiToken(t.id, now));
    }
    return {
      id: u.username,
      userId: u.id,
      printedName: u.printedName,
      kind: 'token',
      // The creator's roles that reach the token's product, held on that product only.
      grants: found.grants.filter((g) => g.productKey === '*' || g.productKey === t.productKey).map((g) => ({
        productKey: t.productKey,
        role: g.role,
      })),
      scope: t.permissions,
      sessionId: `token/${t.id}`,
      authenticatedAt: now,
    };
  }
}

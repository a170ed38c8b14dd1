import { z } from 'zod';
import { unauthenticated } from '../../core/errors.js';
import { sha256Hex } from '../../core/hashing.js';
import { isLocked, mustChangePassword, sessionExpiry } from '../../core/identity/policy.js';
import type { FailedLogin } from '../identity-services.js';
import { defineUseCase } from '../use-case.js';
import { countFailedAttempt, dummyHash, heldGrants, identityOf, PasswordInputSchema, WhoAmISchema } from '../services/identity.js';

/** One message for every refusal, so a login does not tell which usernames exist or are locked. */
const REFUSED = 'login failed: wrong username or password, or the account is locked or deactivated';

/**
 * Logs a user in with username and password and starts a server-side session. Failed attempts are counted; the
 * attempt that reaches the policy's limit locks the account for a while and writes USER_LOCKED. An unknown
 * username costs a hash check too (against a dummy hash), so timing does not reveal it. A user who must change the
 * password gets a session that can do nothing else (see the authenticator).
 * @throws AppError UNAUTHENTICATED for any refusal, with one message
 */
export const logInUseCase = defineUseCase({
  name: 'session.login',
  summary: 'Log in with username and password; starts a session.',
  kind: 'write',
  what: 'login',
  input: z.strictObject({ username: z.string().trim().toLowerCase().min(1).max(64), password: PasswordInputSchema }),
  output: z.object({ sessionId: z.string(), expiresAt: z.string(), user: WhoAmISchema }),
  permission: 'public',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/session', session: 'start' },
  run: async ({ deps, services }, input) => {
    const id = identityOf(services);
    const known = await deps.store.read((r) => r.findUser(input.username));
    const matches = await id.hasher.verify(known?.passwordHash ?? (await dummyHash(id)), input.password);
    const secret = id.newSecret();
    let failed: FailedLogin | undefined;
    const outcome = await deps.store.write(async (w) => {
      failed = undefined;
      const u = await w.findUser(input.username);
      const now = deps.clock.now();
      if (u === undefined) return undefined;
      const refused = (why: FailedLogin['refused'], lockedUntil = u.lockedUntil, failedAttempts = u.failedAttempts): undefined => {
        failed = { username: u.username, refused: why, failedAttempts, lockedUntil };
        return undefined;
      };
      // Deactivated or locked: refused without counting, so a lockout is not extended by further attempts.
      if (u.deactivatedAt !== null) return refused('deactivated');
      if (isLocked(u, now)) return refused('locked');
      if (u.passwordHash === null) return refused('no_password');
      // The hash checked above must still be the user's (a password change may have come in between).
      if (!matches || u.passwordHash !== known?.passwordHash) {
        const next = await countFailedAttempt(w, deps.actor.id, id.policy, u, now);
        refused(next.locked ? 'locked_now' : 'wrong_password', next.lockedUntil, next.failedAttempts);
        return undefined;
      }
      if (u.failedAttempts !== 0 || u.lockedUntil !== null) await w.updateUser(u.id, { failedAttempts: 0, lockedUntil: null });
      const expiry = sessionExpiry(id.policy, now, now);
      await w.insertSession({ id: sha256Hex(secret), userId: u.id, createdAt: now, lastSeenAt: now, ...expiry, endedAt: null });
      const roles = heldGrants(await w.listRoleGrants(u.id));
      return {
        sessionId: secret,
        expiresAt: expiry.absoluteExpiresAt,
        user: {
          username: u.username,
          printedName: u.printedName,
          kind: 'user' as const,
          roles,
          authenticatedAt: now,
          mustChangePassword: mustChangePassword(id.policy, u, now),
        },
      };
    });
    // Committed: now the refusal may be told (11.300(d)). Thrown after the write, so the failed attempt is kept.
    if (failed !== undefined) id.onFailedLogin?.(failed);
    if (outcome === undefined) throw unauthenticated(REFUSED);
    return outcome;
  },
});

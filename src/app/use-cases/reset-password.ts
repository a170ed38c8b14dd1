import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { unauthenticated } from '../../core/errors.js';
import { sha256Hex } from '../../core/hashing.js';
import { defineUseCase } from '../use-case.js';
import { checkNewPassword, identityOf, PasswordInputSchema, passwordChangedEvent } from '../services/identity.js';

const refused = (): Error => unauthenticated('the reset secret is unknown, already used or expired: ask an administrator for a new one');

/**
 * Sets a new password with a one-time reset secret (anyone holding it may; no login needed). The secret is used
 * up, a lockout is lifted, and the user's open sessions end. Writes PASSWORD_CHANGED in the user's name.
 * @throws AppError UNAUTHENTICATED for an unknown, used or expired secret; INVALID_INPUT when the password breaks the policy
 */
export const resetPasswordUseCase = defineUseCase({
  name: 'password.reset',
  summary: 'Set a new password with a one-time reset secret.',
  kind: 'write',
  what: 'password reset',
  input: z.strictObject({ secret: z.string().min(1).max(200), newPassword: PasswordInputSchema }),
  output: z.object({ username: z.string() }),
  permission: 'public',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/password/reset' },
  run: async ({ deps, services }, input) => {
    const id = identityOf(services);
    const secretHash = sha256Hex(input.secret);
    const found = await deps.store.read(async (r) => {
      const t = await r.findResetTicket(secretHash);
      return t === undefined ? undefined : { ticket: t, user: await r.findUserById(t.userId) };
    });
    if (found?.user === undefined) throw refused();
    checkNewPassword(id.policy, input.newPassword, found.user.username, 'newPassword');
    const passwordHash = await id.hasher.hash(input.newPassword);
    return deps.store.write(async (w) => {
      const now = deps.clock.now();
      const t = await w.findResetTicket(secretHash);
      const u = t === undefined ? undefined : await w.findUserById(t.userId);
      if (t === undefined || u === undefined || t.usedAt !== null || now >= t.expiresAt || u.deactivatedAt !== null) throw refused();
      await w.markResetTicketUsed(secretHash, now);
      await w.updateUser(u.id, { passwordHash, passwordSetAt: now, mustChangePassword: false, failedAttempts: 0, lockedUntil: null });
      await w.endUserSessions(u.id, now);
      await appendAudit(w, { actor: { id: u.username } }, now, [passwordChangedEvent(u.username, 'reset')]);
      return { username: u.username };
    });
  },
});

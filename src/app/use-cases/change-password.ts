import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidInput, unauthenticated } from '../../core/errors.js';
import { defineUseCase } from '../use-case.js';
import { actingUser, checkNewPassword, identityOf, PasswordInputSchema, passwordChangedEvent } from '../services/identity.js';

/**
 * Changes the caller's own password, proving the current one. Clears a forced change (after a reset, or an aged
 * password). Writes PASSWORD_CHANGED.
 * @throws AppError UNAUTHENTICATED when the current password is wrong or the caller is no user; INVALID_INPUT
 *   when the new one breaks the policy or equals the current one
 */
export const changePasswordUseCase = defineUseCase({
  name: 'password.change',
  summary: 'Change your own password.',
  kind: 'write',
  what: 'password change',
  input: z.strictObject({ currentPassword: PasswordInputSchema, newPassword: PasswordInputSchema }),
  output: z.object({ username: z.string(), passwordSetAt: z.string() }),
  permission: 'signed-in',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/session/password' },
  run: async ({ deps, principal, services }, input) => {
    const id = identityOf(services);
    const u = await deps.store.read((r) => actingUser(r, principal));
    if (u === undefined || u.deactivatedAt !== null) throw unauthenticated(`${principal.id} is not an active user of this store`);
    if (u.passwordHash === null || !(await id.hasher.verify(u.passwordHash, input.currentPassword))) {
      throw unauthenticated('the current password is wrong', { field: 'currentPassword' });
    }
    if (input.newPassword === input.currentPassword) {
      throw invalidInput(
        'invalid newPassword: it must differ from the current password',
        { field: 'newPassword' },
      );
    }
    checkNewPassword(id.policy, input.newPassword, u.username, 'newPassword');
    const passwordHash = await id.hasher.hash(input.newPassword);
    return deps.store.write(async (w) => {
      const now = deps.clock.now();
      await w.updateUser(u.id, { passwordHash, passwordSetAt: now, mustChangePassword: false });
      await appendAudit(w, { actor: { id: u.username } }, now, [passwordChangedEvent(u.username, 'change')]);
      return { username: u.username, passwordSetAt: now };
    });
  },
});

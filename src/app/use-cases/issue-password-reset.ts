import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidState } from '../../core/errors.js';
import { sha256Hex } from '../../core/hashing.js';
import { UsernameSchema, userEntityId } from '../../core/identity/model.js';
import { addMinutes } from '../../core/identity/policy.js';
import { defineUseCase } from '../use-case.js';
import { getUser, identityOf } from '../services/identity.js';

/**
 * Issues a one-time password reset secret for a user (an administrator never reads or sets a password): the user
 * sets a new password with it (`password.reset`) and must change the password at the next login meanwhile. Only
 * the secret's hash is stored. Writes PASSWORD_RESET_ISSUED (without the secret).
 * @throws AppError NOT_FOUND; INVALID_STATE for a deactivated user
 */
export const issuePasswordResetUseCase = defineUseCase({
  name: 'user.issue-reset',
  summary: 'Issue a one-time password reset secret for a user.',
  kind: 'write',
  what: 'password reset',
  input: z.strictObject({ username: UsernameSchema }),
  output: z.object({ username: z.string(), resetSecret: z.string(), expiresAt: z.string() }),
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/users/:username/password-reset', status: 201 },
  run: async ({ deps, services }, input) => {
    const id = identityOf(services);
    const secret = id.newSecret();
    return deps.store.write(async (w) => {
      const u = await getUser(w, input.username);
      if (u.deactivatedAt !== null) throw invalidState(`user '${u.username}' is deactivated`, { item: u.username });
      const now = deps.clock.now();
      const expiresAt = addMinutes(now, id.policy.resetTicketHours * 60);
      await w.insertResetTicket({
        secretHash: sha256Hex(secret),
        userId: u.id,
        createdAt: now,
        createdBy: deps.actor.id,
        expiresAt,
        usedAt: null,
      });
      await w.updateUser(u.id, { mustChangePassword: true });
      await appendAudit(w, deps, now, [
        {
          action: 'PASSWORD_RESET_ISSUED',
          entityType: 'user',
          entityId: userEntityId(u.username),
          productKey: null,
          newValue: { username: u.username, expiresAt },
        },
      ]);
      return { username: u.username, resetSecret: secret, expiresAt };
    });
  },
});

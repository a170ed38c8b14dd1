import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidState } from '../../core/errors.js';
import { UsernameSchema, UserSchema, userEntityId } from '../../core/identity/model.js';
import { isLocked } from '../../core/identity/policy.js';
import { ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
import { getUser, readUser } from '../services/identity.js';

/**
 * Lifts a user's lockout before it runs out (after the administrator made sure the failed logins were the user's
 * own): the failed-attempt counter starts again from zero. Writes USER_UNLOCKED with the lockout that was lifted.
 * @throws AppError NOT_FOUND; INVALID_STATE when the user is not locked, or is deactivated
 */
export const unlockUserUseCase = defineUseCase({
  name: 'user.unlock',
  summary: 'Lift a user’s lockout after too many failed logins.',
  kind: 'write',
  what: 'unlock',
  input: z.strictObject({ username: UsernameSchema, reason: ReasonSchema.optional() }),
  output: UserSchema,
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/users/:username/unlock' },
  run: ({ deps }, input) =>
    deps.store.write(async (w) => {
      const u = await getUser(w, input.username);
      const now = deps.clock.now();
      if (u.deactivatedAt !== null) throw invalidState(`user '${u.username}' is deactivated: there is nothing to unlock`, { item: u.username });
      if (!isLocked(u, now)) throw invalidState(`user '${u.username}' is not locked`, { item: u.username });
      await w.updateUser(u.id, { failedAttempts: 0, lockedUntil: null });
      await appendAudit(w, deps, now, [
        {
          action: 'USER_UNLOCKED',
          entityType: 'user',
          entityId: userEntityId(u.username),
          productKey: null,
          oldValue: { lockedUntil: u.lockedUntil, failedAttempts: u.failedAttempts },
          newValue: { username: u.username },
          reason: input.reason ?? null,
        },
      ]);
      return readUser(w, (await w.findUserById(u.id)) ?? u);
    }),
});

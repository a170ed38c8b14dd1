import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidState } from '../../core/errors.js';
import { UsernameSchema, UserSchema, userEntityId } from '../../core/identity/model.js';
import { ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
import { getUser, readUser } from '../services/identity.js';

/**
 * Deactivates a user for good: its sessions end, its tokens stop working, its username stays taken. Users are
 * never deleted (their name stays on what they did). Writes USER_DEACTIVATED.
 * @throws AppError NOT_FOUND; INVALID_STATE when already deactivated
 */
export const deactivateUserUseCase = defineUseCase({
  name: 'user.deactivate',
  summary: 'Deactivate a user (never deleted; the username stays taken).',
  kind: 'write',
  what: 'deactivation',
  input: z.strictObject({ username: UsernameSchema, reason: ReasonSchema.optional() }),
  output: UserSchema,
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/users/:username/deactivate' },
  run: ({ deps }, input) =>
    deps.store.write(async (w) => {
      const u = await getUser(w, input.username);
      if (u.deactivatedAt !== null) {
        throw invalidState(
          `user '${u.username}' was already deactivated on ${u.deactivatedAt}`,
          { item: u.username },
        );
      }
      const now = deps.clock.now();
      await w.updateUser(u.id, { deactivatedAt: now, deactivatedBy: deps.actor.id });
      await w.endUserSessions(u.id, now);
      await appendAudit(w, deps, now, [
        {
          action: 'USER_DEACTIVATED',
          entityType: 'user',
          entityId: userEntityId(u.username),
          productKey: null,
          newValue: { username: u.username },
          reason: input.reason ?? null,
        },
      ]);
      return readUser(w, (await w.findUserById(u.id)) ?? u);
    }),
});

import { z } from 'zod';
import { UsernameSchema, UserSchema } from '../../core/identity/model.js';
import { defineUseCase } from '../use-case.js';
import { getUser, readUser } from '../services/identity.js';

/** One user, deactivated or not, with its roles, lockout state and single sign-on link (never a password or hash). */
export const getUserUseCase = defineUseCase({
  name: 'user.show',
  summary: 'Show one user with its roles, lockout state and single sign-on link.',
  kind: 'read',
  what: 'user',
  input: z.strictObject({ username: UsernameSchema }),
  output: UserSchema,
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'GET', path: '/api/v1/users/:username' },
  run: ({ deps }, input) => deps.store.read(async (r) => readUser(r, await getUser(r, input.username))),
});

import { z } from 'zod';
import { toUser, UserSchema } from '../../core/identity/model.js';
import { defineUseCase } from '../use-case.js';

/** Every user, deactivated ones too, with their roles and lockout state (never a password or its hash). */
export const listUsersUseCase = defineUseCase({
  name: 'user.list',
  summary: 'List users with their roles and lockout state.',
  kind: 'read',
  what: 'user list',
  input: z.strictObject({}),
  output: z.array(UserSchema),
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'GET', path: '/api/v1/users' },
  run: ({ deps }) =>
    deps.store.read(async (r) => {
      const grants = await r.listRoleGrants();
      return (await r.listUsers()).map((u) => toUser(u, grants));
    }),
});

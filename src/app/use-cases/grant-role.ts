import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { conflict, invalidState, notFound } from '../../core/errors.js';
import { grantEntityId, RoleSchema, UsernameSchema, UserSchema } from '../../core/identity/model.js';
import { defineUseCase } from '../use-case.js';
import { getUser, GrantProductSchema, readUser } from '../services/identity.js';

export const RoleChangeInputSchema = z.strictObject({
  username: UsernameSchema,
  role: RoleSchema,
  /** The product the role is held on, or `*` for every product. */
  productKey: GrantProductSchema,
});

/**
 * Grants a user a role on one product or on every product (`*`). Writes ROLE_GRANTED.
 * @throws AppError NOT_FOUND (user, product); INVALID_STATE for a deactivated user; CONFLICT when already held
 */
export const grantRoleUseCase = defineUseCase({
  name: 'user.grant-role',
  summary: 'Grant a user a role on a product or on every product.',
  kind: 'write',
  what: 'role grant',
  input: RoleChangeInputSchema,
  output: UserSchema,
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/users/:username/roles', status: 201 },
  run: ({ deps }, input) =>
    deps.store.write(async (w) => {
      const u = await getUser(w, input.username);
      if (u.deactivatedAt !== null) throw invalidState(`user '${u.username}' is deactivated: it can hold no role`, { item: u.username });
      if (input.productKey !== '*' && (await w.findProduct(input.productKey)) === undefined) {
        throw notFound(`no product '${input.productKey}'`, { field: 'productKey', item: input.productKey });
      }
      const held = (await w.listRoleGrants(u.id)).some(
        (g) => g.revokedAt === null && g.productKey === input.productKey && g.role === input.role,
      );
      if (held) throw conflict(`user '${u.username}' already holds ${input.role} on ${input.productKey}`, { item: u.username });
      const now = deps.clock.now();
      const g = await w.insertRoleGrant({
        userId: u.id,
        productKey: input.productKey,
        role: input.role,
        grantedAt: now,
        grantedBy: deps.actor.id,
        revokedAt: null,
        revokedBy: null,
      });
      await appendAudit(w, deps, now, [
        {
          action: 'ROLE_GRANTED',
          entityType: 'role',
          entityId: grantEntityId(u.username, g.id),
          productKey: input.productKey === '*' ? null : input.productKey,
          newValue: { username: u.username, grantId: g.id, productKey: input.productKey, role: input.role },
        },
      ]);
      return readUser(w, u);
    }),
});

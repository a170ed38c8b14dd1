import { appendAudit } from '../../core/audit-trail.js';
import { notFound } from '../../core/errors.js';
import { grantEntityId, UserSchema } from '../../core/identity/model.js';
import { defineUseCase } from '../use-case.js';
import { getUser, readUser } from '../services/identity.js';
import { RoleChangeInputSchema } from './grant-role.js';

/**
 * Revokes a role a user holds; the grant is kept, marked revoked. Takes effect at the user's next request.
 * Writes ROLE_REVOKED.
 * @throws AppError NOT_FOUND when the user does not hold the role there
 */
export const revokeRoleUseCase = defineUseCase({
  name: 'user.revoke-role',
  summary: 'Revoke a role a user holds on a product or on every product.',
  kind: 'write',
  what: 'role revocation',
  input: RoleChangeInputSchema,
  output: UserSchema,
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/users/:username/roles/revoke' },
  run: ({ deps }, input) =>
    deps.store.write(async (w) => {
      const u = await getUser(w, input.username);
      const g = (await w.listRoleGrants(u.id)).find(
        (x) => x.revokedAt === null && x.productKey === input.productKey && x.role === input.role,
      );
      if (g === undefined) throw notFound(`user '${u.username}' does not hold ${input.role} on ${input.productKey}`, { item: u.username });
      const now = deps.clock.now();
      await w.revokeRoleGrant(g.id, now, deps.actor.id);
      await appendAudit(w, deps, now, [
        {
          action: 'ROLE_REVOKED',
          entityType: 'role',
          entityId: grantEntityId(u.username, g.id),
          productKey: g.productKey === '*' ? null : g.productKey,
          newValue: { username: u.username, grantId: g.id, productKey: g.productKey, role: g.role },
        },
      ]);
      return readUser(w, u);
    }),
});

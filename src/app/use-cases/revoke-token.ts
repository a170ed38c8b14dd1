import { z } from 'zod';
import { grants } from '../../core/access/permissions.js';
import { appendAudit } from '../../core/audit-trail.js';
import { forbidden, invalidState, notFound } from '../../core/errors.js';
import { ApiTokenSchema, toApiToken, tokenEntityId } from '../../core/identity/model.js';
import { defineUseCase } from '../use-case.js';
import { actingUser } from '../services/identity.js';

/**
 * Revokes an API token, at once: the next request with it is anonymous. Its owner or a user manager may. The
 * token is kept, marked revoked. Writes TOKEN_REVOKED.
 * @throws AppError NOT_FOUND; FORBIDDEN for someone else's token; INVALID_STATE when already revoked
 */
export const revokeTokenUseCase = defineUseCase({
  name: 'token.revoke',
  summary: 'Revoke an API token; it stops working at once.',
  kind: 'write',
  what: 'token revocation',
  input: z.strictObject({ id: z.coerce.number().int().positive() }),
  output: ApiTokenSchema,
  permission: 'signed-in',
  product: () => undefined,
  http: { method: 'DELETE', path: '/api/v1/tokens/:id' },
  run: ({ deps, principal }, input) =>
    deps.store.write(async (w) => {
      const t = await w.findApiToken(input.id);
      if (t === undefined) throw notFound(`no API token ${input.id}`, { field: 'id', item: String(input.id) });
      const me = await actingUser(w, principal);
      if (me?.id !== t.userId && !grants(principal.grants, 'user.manage', undefined, principal.scope)) {
        throw forbidden(
          `${principal.id} may revoke only its own tokens: token ${t.id} needs the permission user.manage`,
          { permission: 'user.manage' },
        );
      }
      if (t.revokedAt !== null) throw invalidState(`API token ${t.id} was already revoked on ${t.revokedAt}`, { item: String(t.id) });
      const now = deps.clock.now();
      await w.revokeApiToken(t.id, now, deps.actor.id);
      const owner = (await w.findUserById(t.userId))?.username ?? `user#${t.userId}`;
      await appendAudit(w, deps, now, [
        {
          action: 'TOKEN_REVOKED',
          entityType: 'token',
          entityId: tokenEntityId(t.id),
          productKey: t.productKey,
          newValue: { tokenId: t.id, username: owner },
        },
      ]);
      return toApiToken({ ...t, revokedAt: now, revokedBy: deps.actor.id }, owner);
    }),
});

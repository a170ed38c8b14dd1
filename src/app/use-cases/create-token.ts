import { z } from 'zod';
import { grants, PERMISSIONS } from '../../core/access/permissions.js';
import { appendAudit } from '../../core/audit-trail.js';
import { forbidden, invalidInput, notFound } from '../../core/errors.js';
import { sha256Hex } from '../../core/hashing.js';
import { ProductKeySchema } from '../../core/entities.js';
import { PermissionSchema, tokenEntityId } from '../../core/identity/model.js';
import { storableText } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
import { actingUser, heldGrants, identityOf } from '../services/identity.js';

/** Every API token starts with this, so a leaked one is easy to recognise (and to scan for). */
export const TOKEN_PREFIX = 'dossier_';

export const CreateTokenInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  permissions: z
    .array(PermissionSchema)
    .min(1, 'a token needs at least one permission')
    .refine((ps) => new Set(ps).size === ps.length, 'a permission is named twice'),
  name: storableText().trim().min(1, 'a token needs a name').max(100),
});

/**
 * Creates an API token for the caller, scoped to one product and a set of permissions, never beyond what the
 * caller holds there. The secret is returned once; only its SHA-256 is stored. Writes TOKEN_CREATED (without it).
 * @throws AppError FORBIDDEN when a permission is not the creator's on that product; INVALID_INPUT for a store-wide
 *   permission; NOT_FOUND for an unknown product
 */
export const createTokenUseCase = defineUseCase({
  name: 'token.create',
  summary: 'Create an API token scoped to one product and some of your permissions.',
  kind: 'write',
  what: 'API token',
  input: CreateTokenInputSchema,
  output: z.object({
    id: z.number().int(),
    /** The secret: shown once, never stored. */
    token: z.string(),
    name: z.string(),
    username: z.string(),
    productKey: z.string(),
    permissions: z.array(PermissionSchema),
  }),
  permission: 'token.create',
  http: { method: 'POST', path: '/api/v1/tokens', status: 201 },
  run: async ({ deps, principal, services }, input) => {
    const token = TOKEN_PREFIX + identityOf(services).newSecret();
    return deps.store.write(async (w) => {
      const creator = await actingUser(w, principal);
      if (creator === undefined || creator.deactivatedAt !== null) {
        throw forbidden(
          `${principal.id} is not an active user of this store: a token belongs to a user (create one with \`dossier user create\`)`,
        );
      }
      if ((await w.findProduct(input.productKey)) === undefined) {
        throw notFound(
          `no product '${input.productKey}'`,
          { field: 'productKey', item: input.productKey },
        );
      }
      const held = heldGrants(await w.listRoleGrants(creator.id));
      for (const p of input.permissions) {
        if (PERMISSIONS[p].scope === 'store') {
          throw invalidInput(
            `invalid API token: permissions: ${p} is store-wide; a token is scoped to one product`,
            { field: 'permissions', item: p },
          );
        }
        // Never beyond the creator: its own roles on the product, and (a token making a token) the caller's scope.
        if (!grants(held, p, input.productKey) || !grants(principal.grants, p, input.productKey, principal.scope)) {
          throw forbidden(
            `a token cannot have more than its creator: ${creator.username} does not hold ${p} on ${input.productKey}`,
            { field: 'permissions', item: p },
          );
        }
      }
      const now = deps.clock.now();
      const row = await w.insertApiToken({
        secretHash: sha256Hex(token),
        name: input.name,
        userId: creator.id,
        productKey: input.productKey,
        permissions: input.permissions,
        createdAt: now,
        createdBy: deps.actor.id,
        revokedAt: null,
        revokedBy: null,
        lastUsedAt: null,
      });
      await appendAudit(w, deps, now, [
        {
          action: 'TOKEN_CREATED',
          entityType: 'token',
          entityId: tokenEntityId(row.id),
          productKey: input.productKey,
          newValue: {
            tokenId: row.id,
            name: input.name,
            username: creator.username,
            productKey: input.productKey,
            permissions: input.permissions,
          },
        },
      ]);
      return {
        id: row.id,
        token,
        name: row.name,
        username: creator.username,
        productKey: row.productKey,
        permissions: [...row.permissions],
      };
    });
  },
});

import { z } from 'zod';
import { grants } from '../../core/access/permissions.js';
import { forbidden } from '../../core/errors.js';
import { ApiTokenSchema, toApiToken } from '../../core/identity/model.js';
import { defineUseCase } from '../use-case.js';
import { actingUser } from '../services/identity.js';

/** The caller's API tokens, or (`all`, for user managers) every token; never a secret. */
export const listTokensUseCase = defineUseCase({
  name: 'token.list',
  summary: 'List API tokens: your own, or all of them for user managers.',
  kind: 'read',
  what: 'token list',
  // From a query string `all` is text: only `true` means true.
  input: z.strictObject({ all: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean()).default(false) }),
  output: z.array(ApiTokenSchema),
  permission: 'signed-in',
  product: () => undefined,
  http: { method: 'GET', path: '/api/v1/tokens' },
  run: ({ deps, principal }, input) =>
    deps.store.read(async (r) => {
      if (input.all && !grants(principal.grants, 'user.manage', undefined, principal.scope)) {
        throw forbidden(
          `${principal.id} may list only its own tokens: all tokens need the permission user.manage`,
          { permission: 'user.manage' },
        );
      }
      const me = input.all ? undefined : await actingUser(r, principal);
      if (!input.all && me === undefined) return [];
      const names = new Map((await r.listUsers()).map((u) => [u.id, u.username]));
      return (await r.listApiTokens(me?.id)).map((t) => toApiToken(t, names.get(t.userId) ?? `user#${t.userId}`));
    }),
});

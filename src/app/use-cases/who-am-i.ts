import { z } from 'zod';
import { defineUseCase } from '../use-case.js';
import { WhoAmISchema } from '../services/identity.js';

/** Who the caller is, as the server sees it: username, full name, how it proved it, its roles and a token's scope. */
export const whoAmIUseCase = defineUseCase({
  name: 'session.whoami',
  summary: 'Show who you are logged in as, and your roles.',
  kind: 'read',
  what: 'session',
  input: z.strictObject({}),
  output: WhoAmISchema,
  permission: 'signed-in',
  product: () => undefined,
  http: { method: 'GET', path: '/api/v1/session' },
  run: ({ principal }) =>
    Promise.resolve({
      username: principal.id,
      printedName: principal.printedName,
      kind: principal.kind,
      roles: principal.grants.map((g) => ({ productKey: g.productKey, role: g.role })),
      ...(principal.scope === undefined ? {} : { scope: [...principal.scope] }),
      authenticatedAt: principal.authenticatedAt,
      mustChangePassword: principal.mustChangePassword === true,
    }),
});

import { z } from 'zod';
import { forbidden, notFound } from '../../core/errors.js';
import { UsernameSchema } from '../../core/identity/model.js';
import { ACCOUNTABILITY_STATEMENT_VERSION, accountabilityStatement } from '../../core/signatures/model.js';
import { defineUseCase } from '../use-case.js';

export const SignatureStatementSchema = z.object({
  /** Whose statement: it is written in their name. */
  username: z.string(),
  printedName: z.string(),
  version: z.string(),
  text: z.string(),
  /** When the user accepted this version; null when not yet (then they cannot sign). */
  acceptedAt: z.string().nullable(),
});

/**
 * `signature.statement`: the electronic signature accountability statement in the user's name (21 CFR 11.100(c)),
 * and whether they have accepted it. Yourself when signed in; the local operator of a store names the user.
 * @throws AppError NOT_FOUND for an unknown user; FORBIDDEN for another user's statement
 */
export const showSignatureStatementUseCase = defineUseCase({
  name: 'signature.statement',
  summary: 'Show the electronic signature accountability statement in your name, and whether you have accepted it.',
  kind: 'read',
  what: 'statement query',
  input: z.strictObject({ username: UsernameSchema.optional() }),
  output: SignatureStatementSchema,
  permission: 'signed-in',
  product: () => undefined,
  http: { method: 'GET', path: '/api/v1/signatures/statement' },
  run: ({ deps, principal }, input) =>
    deps.store.read(async (r) => {
      if (principal.kind !== 'local' && input.username !== undefined && input.username !== principal.id) {
        throw forbidden(`you are signed in as ${principal.id}; you can see only your own statement`, { field: 'username' });
      }
      const username = principal.kind === 'local' ? input.username : principal.id;
      if (username === undefined) {
        return { username: principal.id, printedName: principal.printedName, version: ACCOUNTABILITY_STATEMENT_VERSION, text: accountabilityStatement(principal.printedName), acceptedAt: null };
      }
      const u = await r.findUser(username);
      if (u === undefined) throw notFound(`user ${username} does not exist`, { field: 'username', item: username });
      const accepted = (await r.listStatementAcceptances(u.id)).find((a) => a.version === ACCOUNTABILITY_STATEMENT_VERSION);
      return {
        username: u.username,
        printedName: u.printedName,
        version: ACCOUNTABILITY_STATEMENT_VERSION,
        text: accepted?.text ?? accountabilityStatement(u.printedName),
        acceptedAt: accepted?.acceptedAt ?? null,
      };
    }),
});

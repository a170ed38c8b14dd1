import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidState } from '../../core/errors.js';
import { ACCOUNTABILITY_STATEMENT_VERSION, accountabilityStatement, statementEntityId } from '../../core/signatures/model.js';
import { SignCredentialsShape, withSigner } from '../services/signing.js';
import { defineUseCase } from '../use-case.js';

export const StatementAcceptanceSchema = z.object({
  username: z.string(),
  printedName: z.string(),
  version: z.string(),
  text: z.string(),
  acceptedAt: z.string(),
});

/**
 * Accepts the electronic signature accountability statement in the signer's own name (21 CFR 11.100(c), 11.10(j)):
 * needed once before a user's first signature, proved like a signature (password again), kept for good with its
 * SIGNATURE_STATEMENT_ACCEPTED event. `accept: false` (or no credentials) only shows the text.
 * @throws AppError INVALID_STATE when already accepted; UNAUTHENTICATED for wrong credentials
 */
export const acceptSignatureStatementUseCase = defineUseCase({
  name: 'signature.accept-statement',
  summary: 'Accept the electronic signature accountability statement before your first signature.',
  kind: 'write',
  what: 'statement acceptance',
  input: z.strictObject({ ...SignCredentialsShape }),
  output: StatementAcceptanceSchema,
  permission: 'signed-in',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/signatures/statement' },
  run: (ctx, input) =>
    withSigner(
      ctx,
      input,
      { action: 'signature.accept-statement', productKey: null, items: [], meaning: null },
      async (w, signer, at) => {
        const u = signer.user;
        if ((await w.listStatementAcceptances(u.id)).some((a) => a.version === ACCOUNTABILITY_STATEMENT_VERSION)) {
          throw invalidState(`${u.username} has already accepted version ${ACCOUNTABILITY_STATEMENT_VERSION} of the accountability statement`, { item: u.username });
        }
        const row = await w.insertStatementAcceptance({
          userId: u.id,
          username: u.username,
          printedName: u.printedName,
          version: ACCOUNTABILITY_STATEMENT_VERSION,
          text: accountabilityStatement(u.printedName),
          acceptedAt: at,
        });
        await appendAudit(w, { actor: { id: u.username } }, at, [
          {
            action: 'SIGNATURE_STATEMENT_ACCEPTED',
            entityType: 'signature',
            entityId: statementEntityId(u.username, row.version),
            productKey: null,
            newValue: { username: u.username, printedName: u.printedName, version: row.version, text: row.text, acceptedAt: at },
          },
        ]);
        return { username: u.username, printedName: u.printedName, version: row.version, text: row.text, acceptedAt: at };
      },
      false,
    ),
});

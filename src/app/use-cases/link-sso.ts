import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { conflict, invalidState } from '../../core/errors.js';
import { UsernameSchema, UserSchema, userEntityId } from '../../core/identity/model.js';
import { isProviderUrl } from '../../core/identity/sso.js';
import { storableText } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
import { getUser, readUser } from '../services/identity.js';

/** An OpenID provider's issuer: an https URL (http only on this machine, for testing), as the provider writes it. */
const IssuerSchema = z
  .string()
  .trim()
  .max(2048)
  .refine(isProviderUrl, "an issuer is the provider's https URL, exactly as in its discovery document (e.g. https://accounts.google.com)");

/**
 * Links a user to an account at the single sign-on provider: its issuer and its subject (`sub`, the stable ID the
 * provider gives that account; not an e-mail address). The user may then log in through the provider; roles stay
 * Dossier's own. A link may be moved to another account (audited again); no two users share one account.
 * Writes USER_SSO_LINKED.
 * 21 CFR 11.10(d), 11.100(a): an account at the provider stands for one named user, never shared or reassigned.
 * @throws AppError NOT_FOUND; INVALID_STATE for a deactivated user; CONFLICT when another user holds the account
 */
export const linkSsoUseCase = defineUseCase({
  name: 'user.link-sso',
  summary: 'Link a user to an account at the single sign-on provider (issuer and subject).',
  kind: 'write',
  what: 'single sign-on link',
  input: z.strictObject({
    username: UsernameSchema,
    issuer: IssuerSchema,
    subject: storableText().trim().min(1, 'a subject is required').max(255),
  }),
  output: UserSchema,
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/users/:username/sso' },
  run: ({ deps }, input) =>
    deps.store.write(async (w) => {
      const u = await getUser(w, input.username);
      if (u.deactivatedAt !== null) throw invalidState(`user '${u.username}' is deactivated: it cannot be linked`, { item: u.username });
      const holder = await w.findUserBySso(input.issuer, input.subject);
      if (holder !== undefined && holder.id !== u.id) {
        throw conflict(`user '${holder.username}' is already linked to this account at ${input.issuer}: one account, one user`, {
          field: 'subject',
          item: input.subject,
        });
      }
      if (u.ssoIssuer === input.issuer && u.ssoSubject === input.subject) {
        throw invalidState(`user '${u.username}' is already linked to this account`, { item: u.username });
      }
      const now = deps.clock.now();
      await w.setUserSso(u.id, input.issuer, input.subject);
      await appendAudit(w, deps, now, [
        {
          action: 'USER_SSO_LINKED',
          entityType: 'user',
          entityId: userEntityId(u.username),
          productKey: null,
          ...(u.ssoSubject === null ? {} : { oldValue: { issuer: u.ssoIssuer, subject: u.ssoSubject } }),
          newValue: { username: u.username, issuer: input.issuer, subject: input.subject },
        },
      ]);
      return readUser(w, (await w.findUserById(u.id)) ?? u);
    }),
});

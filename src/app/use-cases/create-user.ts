import { z } from 'zod';
import type { AuditDraft } from '../../core/audit.js';
import { appendAudit } from '../../core/audit-trail.js';
import { conflict, forbidden } from '../../core/errors.js';
import { sha256Hex } from '../../core/hashing.js';
import { grantEntityId, UsernameSchema, UserSchema, userEntityId } from '../../core/identity/model.js';
import { addMinutes } from '../../core/identity/policy.js';
import { defineUseCase } from '../use-case.js';
import { checkNewPassword, identityOf, PasswordInputSchema, PrintedNameSchema, readUser } from '../services/identity.js';

export const CreateUserInputSchema = z.strictObject({
  username: UsernameSchema,
  printedName: PrintedNameSchema,
  /** Grant the admin role on every product (the first admin of a store). */
  admin: z.boolean().default(false),
  /**
   * The user's password, only from the operator of a local store (`dossier user create --password-stdin`). An
   * administrator never sets anyone's password: without one, a one-time reset secret is issued instead.
   */
  password: PasswordInputSchema.optional(),
});

export const CreateUserOutputSchema = z.object({
  user: UserSchema,
  /** The one-time secret the user sets a first password with (only when no password was given); shown once. */
  resetSecret: z.string().optional(),
  resetExpiresAt: z.string().optional(),
});

/**
 * Creates a user. The username is never reused: a deactivated user's name stays taken. Writes USER_CREATED (and
 * ROLE_GRANTED for `admin`, PASSWORD_RESET_ISSUED when a reset secret is issued) in the same transaction.
 * @throws AppError CONFLICT when the username is taken; FORBIDDEN when a remote administrator sends a password
 */
export const createUserUseCase = defineUseCase({
  name: 'user.create',
  summary: 'Create a user (without a password, a one-time reset secret is returned).',
  kind: 'write',
  what: 'user',
  input: CreateUserInputSchema,
  output: CreateUserOutputSchema,
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/users', status: 201 },
  run: async ({ deps, principal, services }, input) => {
    const id = identityOf(services);
    if (input.password !== undefined) {
      // Only whoever can open the database file (who could change it anyway) may choose a password for an account.
      if (principal.kind !== 'local') {
        throw forbidden(
          'an administrator never sets a password: leave it out, and give the user the one-time reset secret',
          { field: 'password' },
        );
      }
      checkNewPassword(id.policy, input.password, input.username, 'password');
    }
    const passwordHash = input.password === undefined ? null : await id.hasher.hash(input.password);
    const resetSecret = input.password === undefined ? id.newSecret() : undefined;
    return deps.store.write(async (w) => {
      if ((await w.findUser(input.username)) !== undefined) {
        throw conflict(
          `username '${input.username}' is taken (usernames are never reused, also after deactivation)`,
          { field: 'username', item: input.username },
        );
      }
      const now = deps.clock.now();
      const user = await w.insertUser({
        username: input.username,
        printedName: input.printedName,
        passwordHash,
        passwordSetAt: passwordHash === null ? null : now,
        mustChangePassword: false,
        createdAt: now,
        createdBy: deps.actor.id,
        deactivatedAt: null,
        deactivatedBy: null,
        failedAttempts: 0,
        lockedUntil: null,
        ssoIssuer: null,
        ssoSubject: null,
      });
      const drafts: AuditDraft[] = [
        {
          action: 'USER_CREATED',
          entityType: 'user',
          entityId: userEntityId(user.username),
          productKey: null,
          newValue: { username: user.username, printedName: user.printedName, passwordSet: passwordHash !== null },
        },
      ];
      if (input.admin) {
        const g = await w.insertRoleGrant({
          userId: user.id,
          productKey: '*',
          role: 'admin',
          grantedAt: now,
          grantedBy: deps.actor.id,
          revokedAt: null,
          revokedBy: null,
        });
        drafts.push({
          action: 'ROLE_GRANTED',
          entityType: 'role',
          entityId: grantEntityId(user.username, g.id),
          productKey: null,
          newValue: { username: user.username, grantId: g.id, productKey: '*', role: 'admin' },
        });
      }
      let resetExpiresAt: string | undefined;
      if (resetSecret !== undefined) {
        resetExpiresAt = addMinutes(now, id.policy.resetTicketHours * 60);
        await w.insertResetTicket({
          secretHash: sha256Hex(resetSecret),
          userId: user.id,
          createdAt: now,
          createdBy: deps.actor.id,
          expiresAt: resetExpiresAt,
          usedAt: null,
        });
        await w.updateUser(user.id, { mustChangePassword: true });
        drafts.push({
          action: 'PASSWORD_RESET_ISSUED',
          entityType: 'user',
          entityId: userEntityId(user.username),
          productKey: null,
          newValue: { username: user.username, expiresAt: resetExpiresAt },
        });
      }
      await appendAudit(w, deps, now, drafts);
      const out = await readUser(w, (await w.findUserById(user.id)) ?? user);
      return resetSecret === undefined || resetExpiresAt === undefined ? { user: out } : { user: out, resetSecret, resetExpiresAt };
    });
  },
});

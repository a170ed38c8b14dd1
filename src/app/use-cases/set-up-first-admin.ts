import { z } from 'zod';
import type { AuditDraft } from '../../core/audit.js';
import { appendAudit } from '../../core/audit-trail.js';
import { AppError, conflict } from '../../core/errors.js';
import { sha256Hex } from '../../core/hashing.js';
import { grantEntityId, UsernameSchema, userEntityId } from '../../core/identity/model.js';
import { sessionExpiry } from '../../core/identity/policy.js';
import { setupCodeMatches } from '../setup-code.js';
import { defineUseCase } from '../use-case.js';
import { checkNewPassword, heldGrants, identityOf, PasswordInputSchema, PrintedNameSchema, WhoAmISchema } from '../services/identity.js';

const ALREADY = 'Dossier is already set up: this store has users. Log in, or ask an administrator for an account';

/**
 * First-run set-up: on a store without users, whoever holds the one-time set-up code that `dossier serve` printed
 * on its console creates the first administrator (the admin role on every product, with a password checked by the
 * password policy) and is logged in. Writes USER_CREATED and ROLE_GRANTED, in the new administrator's name, in
 * one transaction with the user.
 * @throws AppError CONFLICT when the store has users; UNAUTHENTICATED (field `code`) for a wrong or missing code;
 *   INVALID_INPUT when the password breaks the policy
 */
export const setUpFirstAdminUseCase = defineUseCase({
  name: 'setup.first-admin',
  summary: 'First run: create the first administrator with the set-up code printed by `dossier serve`; starts a session.',
  kind: 'write',
  what: 'set-up',
  input: z.strictObject({
    code: z.string().trim().min(1, 'the set-up code is required').max(64),
    username: UsernameSchema,
    printedName: PrintedNameSchema,
    password: PasswordInputSchema,
  }),
  output: z.object({ sessionId: z.string(), expiresAt: z.string(), user: WhoAmISchema }),
  permission: 'public',
  product: () => undefined,
  http: { method: 'POST', path: '/api/v1/setup', status: 201, session: 'start' },
  run: async ({ deps, services }, input) => {
    const id = identityOf(services);
    if ((await deps.store.read((r) => r.listUsers())).length > 0) throw conflict(ALREADY);
    const expected = services.setupCode?.();
    if (expected === undefined) {
      throw new AppError('UNAUTHENTICATED', 'set-up is not open: restart `dossier serve` on this store; it prints a set-up code on its console', { field: 'code' });
    }
    if (!setupCodeMatches(expected, input.code)) {
      throw new AppError('UNAUTHENTICATED', 'wrong set-up code: use the code `dossier serve` printed on its console when it started', { field: 'code' });
    }
    checkNewPassword(id.policy, input.password, input.username, 'password');
    const passwordHash = await id.hasher.hash(input.password);
    const secret = id.newSecret();
    return deps.store.write(async (w) => {
      // Checked again inside the transaction: two set-ups at once make one administrator.
      if ((await w.listUsers()).length > 0) throw conflict(ALREADY);
      const now = deps.clock.now();
      const user = await w.insertUser({
        username: input.username,
        printedName: input.printedName,
        passwordHash,
        passwordSetAt: now,
        mustChangePassword: false,
        createdAt: now,
        createdBy: input.username,
        deactivatedAt: null,
        deactivatedBy: null,
        failedAttempts: 0,
        lockedUntil: null,
        ssoIssuer: null,
        ssoSubject: null,
      });
      const g = await w.insertRoleGrant({ userId: user.id, productKey: '*', role: 'admin', grantedAt: now, grantedBy: input.username, revokedAt: null, revokedBy: null });
      const reason = 'first-run set-up with the set-up code';
      const drafts: AuditDraft[] = [
        {
          action: 'USER_CREATED',
          entityType: 'user',
          entityId: userEntityId(user.username),
          productKey: null,
          newValue: { username: user.username, printedName: user.printedName, passwordSet: true },
          reason,
        },
        {
          action: 'ROLE_GRANTED',
          entityType: 'role',
          entityId: grantEntityId(user.username, g.id),
          productKey: null,
          newValue: { username: user.username, grantId: g.id, productKey: '*', role: 'admin' },
          reason,
        },
      ];
      // The first administrator creates itself: the events carry its name (nobody was logged in).
      await appendAudit(w, { actor: { id: user.username } }, now, drafts);
      const expiry = sessionExpiry(id.policy, now, now);
      await w.insertSession({ id: sha256Hex(secret), userId: user.id, createdAt: now, lastSeenAt: now, ...expiry, endedAt: null });
      return {
        sessionId: secret,
        expiresAt: expiry.absoluteExpiresAt,
        user: {
          username: user.username,
          printedName: user.printedName,
          kind: 'user' as const,
          roles: heldGrants(await w.listRoleGrants(user.id)),
          authenticatedAt: now,
          mustChangePassword: false,
        },
      };
    });
  },
});

/** Whether the store still needs its first administrator (the login page offers set-up only then). */
export const setupStatusUseCase = defineUseCase({
  name: 'setup.status',
  summary: 'Whether this store still needs its first administrator.',
  kind: 'read',
  what: 'set-up status',
  input: z.strictObject({}),
  output: z.object({ needed: z.boolean() }),
  permission: 'public',
  product: () => undefined,
  http: { method: 'GET', path: '/api/v1/setup' },
  run: async ({ deps }) => ({ needed: (await deps.store.read((r) => r.listUsers())).length === 0 }),
});

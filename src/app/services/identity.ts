import { z } from 'zod';
import type { RoleGrant } from '../../core/access/permissions.js';
import type { Principal } from '../../core/access/principal.js';
import { AppError, invalidInput, notFound } from '../../core/errors.js';
import { toUser, type RoleGrantRow, type User, type UserRow } from '../../core/identity/model.js';
import { afterFailedLogin, passwordProblems, type IdentityPolicy } from '../../core/identity/policy.js';
import { appendAudit } from '../../core/audit-trail.js';
import type { AuditDraft } from '../../core/audit.js';
import { userEntityId } from '../../core/identity/model.js';
import type { StoreReader, StoreWriter } from '../../core/ports.js';
import { storableText } from '../../core/validation.js';
import type { IdentityServices } from '../identity-services.js';
import type { AppServices } from '../use-case.js';

/** What the identity use-cases share: looking users up, checking new passwords, building principals. */

/** A password as input: any storable text up to 1,024 characters (the policy checks the rest). */
export const PasswordInputSchema = storableText().min(1, 'a password is required').max(1024);

/** A printed full name: one line. */
export const PrintedNameSchema = storableText()
  .trim()
  .min(1, 'a full name is required')
  .max(200)
  .refine((s) => !/[\r\n]/.test(s), 'a full name is one line');

/** The identity services of this process. @throws AppError INTERNAL when the adapter gave none */
export function identityOf(services: AppServices): IdentityServices {
  const id = services.identity?.();
  if (id === undefined) throw new AppError(
    'INTERNAL',
    'this process has no identity services (password hashing); the adapter must provide them',
  );
  return id;
}

/** The user of a username. @throws AppError NOT_FOUND */
export async function getUser(r: StoreReader, username: string): Promise<UserRow> {
  const u = await r.findUser(username);
  if (u === undefined) throw notFound(`no user named '${username}'`, { field: 'username', item: username });
  return u;
}

/** The user row of a principal: its user ID, or (the local operator) a user of the same name; undefined if none. */
export async function actingUser(r: StoreReader, principal: Principal): Promise<UserRow | undefined> {
  if (principal.userId !== null) return r.findUserById(principal.userId);
  return principal.kind === 'local' ? r.findUser(principal.id) : undefined;
}

/** The roles a user holds now. */
export function heldGrants(rows: readonly RoleGrantRow[]): RoleGrant[] {
  return rows.filter((g) => g.revokedAt === null).map((g) => ({ productKey: g.productKey, role: g.role }));
}

/** A user as the API shows it, read with its grants. */
export async function readUser(r: StoreReader, u: UserRow): Promise<User> {
  return toUser(u, await r.listRoleGrants(u.id));
}

/** @throws AppError INVALID_INPUT naming the field when the password breaks the policy */
export function checkNewPassword(policy: IdentityPolicy, password: string, username: string, field: string): void {
  const problems = passwordProblems(policy, password, username);
  if (problems.length > 0) throw invalidInput(`invalid ${field}: ${problems.join('; ')}`, { field });
}

/** A role grant's product: a product key, or `*` for every product. */
export const GrantProductSchema = z.union([
  z.literal('*'),
  z.string().trim().toUpperCase().regex(/^[A-Z][A-Z0-9]{1,15}$/, 'a product key (2–16 letters or digits) or * for every product'),
]);

const dummyHashes = new WeakMap<object, Promise<string>>();

/**
 * A hash of a random password made with the same hasher: a login for an unknown username is checked against it,
 * so it takes about as long as one for a real user and the timing does not tell which usernames exist.
 */
export function dummyHash(id: IdentityServices): Promise<string> {
  let h = dummyHashes.get(id.hasher);
  if (h === undefined) {
    h = id.hasher.hash(id.newSecret());
    dummyHashes.set(id.hasher, h);
  }
  return h;
}

/** What a principal shows of itself. */
export const WhoAmISchema = z.object({
  username: z.string(),
  printedName: z.string(),
  kind: z.enum(['user', 'token', 'local', 'anonymous']),
  roles: z.array(z.object({ productKey: z.string(), role: z.string() })),
  /** An API token's permissions. */
  scope: z.array(z.string()).optional(),
  authenticatedAt: z.string().nullable(),
  /** The user must choose a new password before anything else. */
  mustChangePassword: z.boolean(),
});
export type WhoAmI = z.infer<typeof WhoAmISchema>;

/** The PASSWORD_CHANGED event of a user's password change (never the password or its hash). */
export function passwordChangedEvent(username: string, via: 'change' | 'reset'): AuditDraft {
  return { action: 'PASSWORD_CHANGED', entityType: 'user', entityId: userEntityId(username), productKey: null, newValue: { username, via } };
}

/**
 * Counts a failed password attempt (a login or a signature): the user's failed attempts and lockout move on, and the
 * attempt that reaches the policy's limit locks the account and writes USER_LOCKED, named after `actor`.
 */
export async function countFailedAttempt(
  w: StoreWriter,
  actor: string,
  policy: IdentityPolicy,
  u: UserRow,
  now: string,
): Promise<ReturnType<typeof afterFailedLogin>> {
  const next = afterFailedLogin(policy, u, now);
  await w.updateUser(u.id, { failedAttempts: next.failedAttempts, lockedUntil: next.lockedUntil });
  if (next.locked) {
    await appendAudit(w, { actor: { id: actor } }, now, [
      {
        action: 'USER_LOCKED',
        entityType: 'user',
        entityId: userEntityId(u.username),
        productKey: null,
        newValue: { username: u.username, failedAttempts: next.failedAttempts, lockedUntil: next.lockedUntil },
      },
    ]);
  }
  return next;
}

import { z } from 'zod';
import { PERMISSION_KEYS, ROLES, type Permission, type Role } from '../access/permissions.js';
import { TimestampSchema } from '../entities.js';

/**
 * A username: 2–64 lower-case letters, digits, dots, hyphens or underscores, starting with a letter. It names the
 * user in the audit trail for good, so it is never reused or reassigned (a deactivated user's name stays taken).
 */
export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9._-]{1,63}$/, 'a username is 2–64 lower-case letters, digits, dots, hyphens or underscores, starting with a letter');

/** A role name. */
export const RoleSchema = z.enum(ROLES);

/** A permission name of the catalog. */
export const PermissionSchema = z.enum(PERMISSION_KEYS as [Permission, ...Permission[]]);

/** A user as stored, without the password hash (the hash never leaves the identity repository but for checks). */
export interface UserRow {
  readonly id: number;
  readonly username: string;
  readonly printedName: string;
  /** argon2id PHC string; null until the user first sets a password (through a reset ticket). */
  readonly passwordHash: string | null;
  readonly passwordSetAt: string | null;
  /** The user must choose a new password before doing anything else (after a reset was issued). */
  readonly mustChangePassword: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly deactivatedAt: string | null;
  readonly deactivatedBy: string | null;
  /** Failed logins since the last successful one (operational: not in the audit trail's state). */
  readonly failedAttempts: number;
  readonly lockedUntil: string | null;
  /** The OpenID provider (its issuer URL) of the single sign-on account the user is linked to; null: none. */
  readonly ssoIssuer: string | null;
  /** The user's subject (`sub`) at that provider: stable, never reassigned by the provider. */
  readonly ssoSubject: string | null;
}

/** A role held by a user, on one product or on every product (`*`); revoked grants are kept. */
export interface RoleGrantRow {
  readonly id: number;
  readonly userId: number;
  readonly productKey: string;
  readonly role: Role;
  readonly grantedAt: string;
  readonly grantedBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

/** A server-side session: its ID is the SHA-256 of the secret in the cookie, never the secret itself. */
export interface SessionRow {
  readonly id: string;
  readonly userId: number;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly idleExpiresAt: string;
  readonly absoluteExpiresAt: string;
  readonly endedAt: string | null;
}

/** An API token: scoped to one product and a set of permissions; only the SHA-256 of its secret is kept. */
export interface ApiTokenRow {
  readonly id: number;
  readonly secretHash: string;
  readonly name: string;
  readonly userId: number;
  readonly productKey: string;
  readonly permissions: readonly Permission[];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
  readonly lastUsedAt: string | null;
}

/** How a user's sessions have been used, for the access review: what a session row shows, summed per user. */
export interface SessionActivity {
  readonly userId: number;
  /** When the user's newest session started (their last login). */
  readonly lastLoginAt: string;
  /** The newest time any of the user's sessions was used. */
  readonly lastSeenAt: string;
  /** Sessions neither ended nor past a timeout at the time asked. */
  readonly openSessions: number;
}

/** A one-time password reset ticket: the SHA-256 of its secret, for whom, until when, and whether it was used. */
export interface ResetTicketRow {
  readonly secretHash: string;
  readonly userId: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

/** A role grant as the API shows it. */
export const RoleGrantSchema = z.object({ productKey: z.string(), role: RoleSchema });

/** A user as admins see it: never a password or its hash. Lockout state is shown so admins can act on it. */
export const UserSchema = z.object({
  username: z.string(),
  printedName: z.string(),
  createdAt: TimestampSchema,
  createdBy: z.string(),
  deactivatedAt: TimestampSchema.nullable(),
  deactivatedBy: z.string().nullable(),
  passwordSetAt: TimestampSchema.nullable(),
  mustChangePassword: z.boolean(),
  failedAttempts: z.number().int(),
  lockedUntil: TimestampSchema.nullable(),
  /** The single sign-on account the user logs in with (provider issuer and subject), if linked. */
  sso: z.object({ issuer: z.string(), subject: z.string() }).nullable(),
  roles: z.array(RoleGrantSchema),
});
export type User = z.infer<typeof UserSchema>;

/** An API token as listed: never its secret. */
export const ApiTokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  username: z.string(),
  productKey: z.string(),
  permissions: z.array(PermissionSchema),
  createdAt: TimestampSchema,
  createdBy: z.string(),
  revokedAt: TimestampSchema.nullable(),
  revokedBy: z.string().nullable(),
  lastUsedAt: TimestampSchema.nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

/** The user as the API shows it, with the roles it holds now (revoked grants left out). */
export function toUser(u: UserRow, grants: readonly RoleGrantRow[]): User {
  return {
    username: u.username,
    printedName: u.printedName,
    createdAt: u.createdAt,
    createdBy: u.createdBy,
    deactivatedAt: u.deactivatedAt,
    deactivatedBy: u.deactivatedBy,
    passwordSetAt: u.passwordSetAt,
    mustChangePassword: u.mustChangePassword,
    failedAttempts: u.failedAttempts,
    lockedUntil: u.lockedUntil,
    sso: u.ssoIssuer === null || u.ssoSubject === null ? null : { issuer: u.ssoIssuer, subject: u.ssoSubject },
    roles: grants.filter((g) => g.userId === u.id && g.revokedAt === null).map((g) => ({ productKey: g.productKey, role: g.role })),
  };
}

/** The token as listed. */
export function toApiToken(t: ApiTokenRow, username: string): ApiToken {
  return {
    id: t.id,
    name: t.name,
    username,
    productKey: t.productKey,
    permissions: [...t.permissions],
    createdAt: t.createdAt,
    createdBy: t.createdBy,
    revokedAt: t.revokedAt,
    revokedBy: t.revokedBy,
    lastUsedAt: t.lastUsedAt,
  };
}

/** Audit entity IDs of identity rows: `user/ada`, `user/ada/grant/3`, `token/7`. */
export const userEntityId = (username: string): string => `user/${username}`;
export const grantEntityId = (username: string, grantId: number): string => `user/${username}/grant/${grantId}`;
export const tokenEntityId = (id: number): string => `token/${id}`;

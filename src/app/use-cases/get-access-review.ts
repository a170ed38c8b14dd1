import { z } from 'zod';
import { TimestampSchema } from '../../core/entities.js';
import { PermissionSchema, RoleSchema, type UserRow } from '../../core/identity/model.js';
import { isLocked, passwordExpired, type IdentityPolicy } from '../../core/identity/policy.js';
import { defineUseCase } from '../use-case.js';
import { identityOf } from '../services/identity.js';

const DAY_MS = 86_400_000;

/** Where a user stands at the time of the review, the first that applies. */
export const AccessStateSchema = z.enum(['deactivated', 'locked', 'no_password', 'password_expired', 'must_change_password', 'active']);
export type AccessState = z.infer<typeof AccessStateSchema>;

/** One user as an access review shows it: who, what they may do where, how they have used it. */
export const AccessReviewUserSchema = z.object({
  username: z.string(),
  printedName: z.string(),
  state: AccessStateSchema,
  createdAt: TimestampSchema,
  createdBy: z.string(),
  deactivatedAt: TimestampSchema.nullable(),
  deactivatedBy: z.string().nullable(),
  /** Roles held now, per product (`*`: every product), with who granted them and when. */
  roles: z.array(z.object({ productKey: z.string(), role: RoleSchema, grantedAt: TimestampSchema, grantedBy: z.string() })),
  /** When the newest session started; null: never logged in. */
  lastLoginAt: TimestampSchema.nullable(),
  /** When any session was last used. */
  lastSeenAt: TimestampSchema.nullable(),
  openSessions: z.number().int(),
  passwordSetAt: TimestampSchema.nullable(),
  /** Whole days since the password was set; null when none is set. */
  passwordAgeDays: z.number().int().nullable(),
  /** Older than the policy's ageing allows (never, when passwords do not age); true when none is set. */
  passwordExpired: z.boolean(),
  mustChangePassword: z.boolean(),
  failedAttempts: z.number().int(),
  lockedUntil: TimestampSchema.nullable(),
  /** API tokens, revoked ones too, with their last use. */
  tokens: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      productKey: z.string(),
      permissions: z.array(PermissionSchema),
      createdAt: TimestampSchema,
      revokedAt: TimestampSchema.nullable(),
      lastUsedAt: TimestampSchema.nullable(),
    }),
  ),
});
export type AccessReviewUser = z.infer<typeof AccessReviewUserSchema>;

/** An account lockout from the audit trail. */
export const LockoutSchema = z.object({
  seq: z.number().int(),
  occurredAt: TimestampSchema,
  username: z.string(),
  failedAttempts: z.number().int().nullable(),
  lockedUntil: TimestampSchema.nullable(),
});

/** The access review: every user, the identity policy it was judged by, and the recent lockouts. */
export const AccessReviewSchema = z.object({
  generatedAt: TimestampSchema,
  policy: z.object({
    passwordMaxAgeDays: z.number().int(),
    lockoutAttempts: z.number().int(),
    lockoutMinutes: z.number().int(),
    sessionIdleMinutes: z.number().int(),
    sessionAbsoluteHours: z.number().int(),
  }),
  /** USER_LOCKED events since this time, newest first. */
  lockoutsSince: TimestampSchema,
  lockouts: z.array(LockoutSchema),
  users: z.array(AccessReviewUserSchema),
});
export type AccessReview = z.infer<typeof AccessReviewSchema>;

/** Most lockout events a review lists (newest first). */
const MAX_LOCKOUTS = 1000;

/** The user's state, in the order an administrator acts on it. */
function stateOf(policy: IdentityPolicy, u: UserRow, now: string): AccessState {
  if (u.deactivatedAt !== null) return 'deactivated';
  if (isLocked(u, now)) return 'locked';
  if (u.passwordHash === null) return 'no_password';
  if (passwordExpired(policy, u, now)) return 'password_expired';
  if (u.mustChangePassword) return 'must_change_password';
  return 'active';
}

/** The new value of a USER_LOCKED event, read leniently (an older event may lack a field). */
const LockedValueSchema = z
  .object({ failedAttempts: z.number().int().optional(), lockedUntil: z.string().nullable().optional() })
  .catch({});

function parseJson(text: string | null): unknown {
  try {
    return JSON.parse(text ?? 'null') as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The periodic access review of 21 CFR 11.300(b): every user with the roles held per product, last login and last
 * use, password age against the policy's ageing, lockout and deactivation, and API tokens with their last use;
 * besides, the accounts locked by failed logins in the last `lockoutDays` days (the alert an administrator reads).
 * One read snapshot; changes nothing.
 */
export const getAccessReviewUseCase = defineUseCase({
  name: 'user.access-review',
  summary: 'Access review: every user with roles per product, last login, password age, lockouts and API tokens.',
  kind: 'read',
  what: 'access review',
  input: z.strictObject({
    /** How far back to list lockouts, in days (default 30). */
    lockoutDays: z.number().int().min(1).max(3650).default(30),
  }),
  output: AccessReviewSchema,
  permission: 'user.manage',
  product: () => undefined,
  http: { method: 'GET', path: '/api/v1/users/access-review' },
  run: async ({ deps, services }, input) => {
    const policy = identityOf(services).policy;
    const now = deps.clock.now();
    const since = new Date(Date.parse(now) - input.lockoutDays * DAY_MS).toISOString();
    return deps.store.read(async (r) => {
      const [users, grants, tokens, activity, locked] = [
        await r.listUsers(),
        await r.listRoleGrants(),
        await r.listApiTokens(),
        await r.sessionActivity(now),
        await r.listAudit({ actions: ['USER_LOCKED'], from: since, limit: MAX_LOCKOUTS, newestFirst: true }),
      ];
      const activityOf = new Map(activity.map((a) => [a.userId, a]));
      return {
        generatedAt: now,
        policy: {
          passwordMaxAgeDays: policy.passwordMaxAgeDays,
          lockoutAttempts: policy.lockoutAttempts,
          lockoutMinutes: policy.lockoutMinutes,
          sessionIdleMinutes: policy.sessionIdleMinutes,
          sessionAbsoluteHours: policy.sessionAbsoluteHours,
        },
        lockoutsSince: since,
        lockouts: locked.map((e) => {
          const v = LockedValueSchema.parse(parseJson(e.newValue));
          return {
            seq: e.seq,
            occurredAt: e.occurredAt,
            username: e.entityId.replace(/^user\//, ''),
            failedAttempts: v.failedAttempts ?? null,
            lockedUntil: v.lockedUntil ?? null,
          };
        }),
        users: users.map((u) => {
          const a = activityOf.get(u.id);
          return {
            username: u.username,
            printedName: u.printedName,
            state: stateOf(policy, u, now),
            createdAt: u.createdAt,
            createdBy: u.createdBy,
            deactivatedAt: u.deactivatedAt,
            deactivatedBy: u.deactivatedBy,
            roles: grants
              .filter((g) => g.userId === u.id && g.revokedAt === null)
              .map((g) => ({ productKey: g.productKey, role: g.role, grantedAt: g.grantedAt, grantedBy: g.grantedBy })),
            lastLoginAt: a?.lastLoginAt ?? null,
            lastSeenAt: a?.lastSeenAt ?? null,
            openSessions: a?.openSessions ?? 0,
            passwordSetAt: u.passwordSetAt,
            passwordAgeDays: u.passwordSetAt === null ? null : Math.floor((Date.parse(now) - Date.parse(u.passwordSetAt)) / DAY_MS),
            passwordExpired: passwordExpired(policy, u, now),
            mustChangePassword: u.mustChangePassword,
            failedAttempts: u.failedAttempts,
            lockedUntil: u.lockedUntil,
            tokens: tokens
              .filter((t) => t.userId === u.id)
              .map((t) => ({
                id: t.id,
                name: t.name,
                productKey: t.productKey,
                permissions: [...t.permissions],
                createdAt: t.createdAt,
                revokedAt: t.revokedAt,
                lastUsedAt: t.lastUsedAt,
              })),
          };
        }),
      };
    });
  },
});

import { z } from 'zod';
import type { UserRow } from './model.js';

/**
 * The identity rules an organisation may set: password policy, ageing, lockout, session lifetimes. Data, validated
 * at the edge and passed down; the defaults below hold when nothing is configured.
 */
export const IdentityPolicySchema = z.strictObject({
  /** Shortest password accepted (length beats composition rules; NIST SP 800-63B asks for at least 8). */
  passwordMinLength: z.number().int().min(8).max(128),
  /** Longest password accepted (argon2 takes any length; a bound keeps a login request cheap). */
  passwordMaxLength: z.number().int().min(16).max(1024),
  /** Distinct character classes needed (lower, upper, digit, other): 0 for none. */
  passwordMinClasses: z.number().int().min(0).max(4),
  /** Days after which a password must be changed at the next login; 0: passwords do not age. */
  passwordMaxAgeDays: z.number().int().min(0).max(3650),
  /** Failed logins in a row that lock the account. */
  lockoutAttempts: z.number().int().min(1).max(100),
  /** How long a lockout lasts, in minutes. */
  lockoutMinutes: z.number().int().min(1).max(10_080),
  /** A session unused this long ends, in minutes. */
  sessionIdleMinutes: z.number().int().min(1).max(1440),
  /** A session ends this long after login whatever its use, in hours. */
  sessionAbsoluteHours: z.number().int().min(1).max(720),
  /** How long a one-time reset secret stays valid, in hours. */
  resetTicketHours: z.number().int().min(1).max(720),
});
export type IdentityPolicy = z.infer<typeof IdentityPolicySchema>;

/** Defaults: 12 characters, no composition rules, no ageing, 5 attempts lock for 15 minutes, 30 min idle / 12 h sessions. */
export const DEFAULT_IDENTITY_POLICY: IdentityPolicy = {
  passwordMinLength: 12,
  passwordMaxLength: 256,
  passwordMinClasses: 0,
  passwordMaxAgeDays: 0,
  lockoutAttempts: 5,
  lockoutMinutes: 15,
  sessionIdleMinutes: 30,
  sessionAbsoluteHours: 12,
  resetTicketHours: 24,
};

const MINUTE = 60_000;

/** `at` plus `minutes`, as an ISO UTC time. */
export function addMinutes(at: string, minutes: number): string {
  return new Date(Date.parse(at) + minutes * MINUTE).toISOString();
}

/**
 * What is wrong with a new password under the policy, one phrase per problem; empty when it is acceptable.
 * @param username - a password containing the username is refused
 */
export function passwordProblems(policy: IdentityPolicy, password: string, username: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < policy.passwordMinLength) problems.push(`it must be at least ${policy.passwordMinLength} characters long`);
  if (length > policy.passwordMaxLength) problems.push(`it must be at most ${policy.passwordMaxLength} characters long`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < policy.passwordMinClasses) {
    problems.push(
      `it must mix at least ${policy.passwordMinClasses} of lower-case letters, upper-case letters, digits and other characters`,
    );
  }
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) problems.push('it must not contain the username');
  return problems;
}

/** True when the user's password is older than the policy allows (or was never set): it must be changed first. */
export function passwordExpired(policy: IdentityPolicy, user: Pick<UserRow, 'passwordSetAt'>, now: string): boolean {
  if (user.passwordSetAt === null) return true;
  if (policy.passwordMaxAgeDays === 0) return false;
  return Date.parse(now) >= Date.parse(user.passwordSetAt) + policy.passwordMaxAgeDays * 1440 * MINUTE;
}

/**
 * True when the user must choose a new password before anything else (reset issued, or password aged out). A user
 * linked to single sign-on who has no password logs in only through the provider: no password to choose or age.
 */
export function mustChangePassword(
  policy: IdentityPolicy,
  user: Pick<UserRow, 'passwordSetAt' | 'mustChangePassword'> & Partial<Pick<UserRow, 'passwordHash' | 'ssoSubject'>>,
  now: string,
): boolean {
  if (user.passwordHash === null && typeof user.ssoSubject === 'string') return false;
  return user.mustChangePassword || passwordExpired(policy, user, now);
}

/** True while a lockout lasts. */
export function isLocked(user: Pick<UserRow, 'lockedUntil'>, now: string): boolean {
  return user.lockedUntil !== null && Date.parse(now) < Date.parse(user.lockedUntil);
}

/** The counters after one more failed login: `locked` when this attempt starts a lockout. */
export function afterFailedLogin(
  policy: IdentityPolicy,
  user: Pick<UserRow, 'failedAttempts' | 'lockedUntil'>,
  now: string,
): { readonly failedAttempts: number; readonly lockedUntil: string | null; readonly locked: boolean } {
  // A lockout that has run out starts the count again.
  const previous = user.lockedUntil !== null && !isLocked(user, now) ? 0 : user.failedAttempts;
  const failedAttempts = previous + 1;
  if (failedAttempts >= policy.lockoutAttempts) {
    return { failedAttempts, lockedUntil: addMinutes(now, policy.lockoutMinutes), locked: true };
  }
  return { failedAttempts, lockedUntil: null, locked: false };
}

/** A session's timeouts, as ISO times: the idle expiry never passes the absolute one. */
export function sessionExpiry(
  policy: IdentityPolicy,
  createdAt: string,
  now: string,
): { idleExpiresAt: string; absoluteExpiresAt: string } {
  const absoluteExpiresAt = addMinutes(createdAt, policy.sessionAbsoluteHours * 60);
  const idle = addMinutes(now, policy.sessionIdleMinutes);
  return { idleExpiresAt: idle < absoluteExpiresAt ? idle : absoluteExpiresAt, absoluteExpiresAt };
}

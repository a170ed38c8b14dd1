import { randomBytes } from 'node:crypto';
import { DEFAULT_IDENTITY_POLICY, type IdentityPolicy } from '../core/identity/policy.js';
import type { PasswordHasher } from '../core/identity/ports.js';
import type { AppServices } from './use-case.js';

/** What the identity use-cases need besides the store: password hashing, fresh secrets and the identity policy. */
export interface IdentityServices {
  readonly hasher: PasswordHasher;
  readonly policy: IdentityPolicy;
  /** A new random secret (256 bits, base64url) for a session, an API token or a reset ticket. */
  newSecret(): string;
  /**
   * Told when a login has just locked an account (after its USER_LOCKED event is committed), so the adapter can
   * alert someone at once: the server logs a warning. Absent: the audit trail and the access review show it.
   */
  onAccountLocked?(alert: AccountLockedAlert): void;
}

/** An account locked by failed logins: who, after how many attempts, until when. */
export interface AccountLockedAlert {
  readonly username: string;
  readonly failedAttempts: number;
  readonly lockedUntil: string;
}

/**
 * The same services, with `alert` told of every account a login locks (21 CFR 11.300(d): an attempt at
 * unauthorized use is reported at once).
 * @param alert - must not throw; it runs after the lockout is committed
 */
export function withLockoutAlert(services: AppServices, alert: (a: AccountLockedAlert) => void): AppServices {
  if (services.identity === undefined) return services;
  return { ...services, identity: () => ({ ...(services.identity?.() as IdentityServices), onAccountLocked: alert }) };
}

/** 256 random bits, base64url: a secret nobody can guess. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Identity services with the production argon2id hasher, loaded on first use (its native module is not loaded by
 * commands that never hash).
 */
export function defaultIdentityServices(policy: IdentityPolicy = DEFAULT_IDENTITY_POLICY): IdentityServices {
  let loaded: Promise<PasswordHasher> | undefined;
  const hasher = (): Promise<PasswordHasher> => (loaded ??= import('../shared/argon2-hasher.js').then((m) => m.argon2Hasher()));
  return {
    hasher: {
      hash: async (password) => (await hasher()).hash(password),
      verify: async (stored, password) => (await hasher()).verify(stored, password),
    },
    policy,
    newSecret: randomSecret,
  };
}

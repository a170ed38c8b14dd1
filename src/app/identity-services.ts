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
   * Told of every refused login of an existing account (after the attempt is committed), so the adapter can alert
   * someone at once: the server logs it, as a warning when the attempt locked the account. Absent: the user row's
   * counter, the USER_LOCKED event and the access review show it.
   */
  onFailedLogin?(failure: FailedLogin): void;
}

/**
 * A refused login of an existing account: who, why, the failed attempts in a row, and the lockout's end. Never
 * what was typed; an unknown username is not told at all (it may be a password typed in the wrong field).
 */
export interface FailedLogin {
  readonly username: string;
  /** `locked_now`: this attempt locked the account; `locked`: it was locked already (not counted). */
  readonly refused: 'wrong_password' | 'locked_now' | 'locked' | 'deactivated' | 'no_password';
  readonly failedAttempts: number;
  readonly lockedUntil: string | null;
}

/**
 * The same services, with `alert` told of every refused login (21 CFR 11.300(d): attempts at unauthorized use are
 * reported at once).
 * @param alert - must not throw; it runs after the attempt is committed
 */
export function withLoginAlerts(services: AppServices, alert: (f: FailedLogin) => void): AppServices {
  if (services.identity === undefined) return services;
  return { ...services, identity: () => ({ ...(services.identity?.() as IdentityServices), onFailedLogin: alert }) };
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

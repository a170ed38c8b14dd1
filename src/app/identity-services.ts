import { randomBytes } from 'node:crypto';
import { DEFAULT_IDENTITY_POLICY, type IdentityPolicy } from '../core/identity/policy.js';
import type { PasswordHasher } from '../core/identity/ports.js';

/** What the identity use-cases need besides the store: password hashing, fresh secrets and the identity policy. */
export interface IdentityServices {
  readonly hasher: PasswordHasher;
  readonly policy: IdentityPolicy;
  /** A new random secret (256 bits, base64url) for a session, an API token or a reset ticket. */
  newSecret(): string;
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

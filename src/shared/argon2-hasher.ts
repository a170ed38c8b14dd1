import { hash, verify, type Algorithm } from '@node-rs/argon2';
import type { PasswordHasher } from '../core/identity/ports.js';

/** argon2's numeric code for argon2id (the package's enum is a `const enum`, which isolated modules cannot read). */
const ARGON2ID = 2 as Algorithm.Argon2id;

/** argon2id costs: memory in KiB, passes, lanes. */
export interface Argon2Cost {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** Production cost: 19 MiB, 2 passes, 1 lane (OWASP's first argon2id setting): tens of milliseconds per hash. */
export const PRODUCTION_ARGON2_COST: Argon2Cost = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** The lowest cost argon2 accepts: for tests only, where thousands of hashes must stay fast. */
export const TEST_ARGON2_COST: Argon2Cost = { memoryCost: 8, timeCost: 1, parallelism: 1 };

/**
 * The password hasher over @node-rs/argon2, always argon2id with a random salt per hash.
 * @param cost - production cost unless a test passes `TEST_ARGON2_COST`
 */
export function argon2Hasher(cost: Argon2Cost = PRODUCTION_ARGON2_COST): PasswordHasher {
  return {
    hash: (password) => hash(password, { algorithm: ARGON2ID, ...cost }),
    async verify(stored, password) {
      // A hash that is not argon2id (or is damaged) never matches.
      if (!stored.startsWith('$argon2id$')) return false;
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
  };
}

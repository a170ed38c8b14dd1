import { randomSecret } from '../app/identity-services.js';
import type { AppServices } from '../app/use-case.js';
import { DEFAULT_IDENTITY_POLICY } from '../core/identity/policy.js';
import { argon2Hasher, TEST_ARGON2_COST } from '../shared/argon2-hasher.js';

/** Process services for tests: no shipped rule packs, the default identity policy, a quick password hasher. */
export const TEST_SERVICES: AppServices = {
  builtinPacks: () => [],
  identity: () => ({ hasher: argon2Hasher(TEST_ARGON2_COST), policy: DEFAULT_IDENTITY_POLICY, newSecret: randomSecret }),
};

import type { AnyUseCase } from './use-case.js';
import { addRecordUseCase } from './use-cases/add-record.js';
import { listProductsUseCase } from './use-cases/list-products.js';
import { changePasswordUseCase } from './use-cases/change-password.js';
import { createTokenUseCase } from './use-cases/create-token.js';
import { createUserUseCase } from './use-cases/create-user.js';
import { deactivateUserUseCase } from './use-cases/deactivate-user.js';
import { grantRoleUseCase } from './use-cases/grant-role.js';
import { issuePasswordResetUseCase } from './use-cases/issue-password-reset.js';
import { listTokensUseCase } from './use-cases/list-tokens.js';
import { listUsersUseCase } from './use-cases/list-users.js';
import { logInUseCase } from './use-cases/log-in.js';
import { logOutUseCase } from './use-cases/log-out.js';
import { resetPasswordUseCase } from './use-cases/reset-password.js';
import { revokeRoleUseCase } from './use-cases/revoke-role.js';
import { revokeTokenUseCase } from './use-cases/revoke-token.js';
import { whoAmIUseCase } from './use-cases/who-am-i.js';

/**
 * Every use-case the adapters expose. The HTTP API mounts a route for each and the permission-matrix test
 * enumerates them; a use-case missing here is reachable from nowhere but its own tests.
 */
export const USE_CASES: readonly AnyUseCase[] = [
  // products
  listProductsUseCase,
  // records
  addRecordUseCase,
  // links
  // trace, check, rules
  // evidence
  // releases
  // risk
  // audit and store
  // identity (users, sessions, tokens)
  createUserUseCase,
  listUsersUseCase,
  deactivateUserUseCase,
  grantRoleUseCase,
  revokeRoleUseCase,
  issuePasswordResetUseCase,
  resetPasswordUseCase,
  changePasswordUseCase,
  logInUseCase,
  logOutUseCase,
  whoAmIUseCase,
  createTokenUseCase,
  listTokensUseCase,
  revokeTokenUseCase,
];

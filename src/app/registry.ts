import type { AnyUseCase } from './use-case.js';
import { addRecordUseCase } from './use-cases/add-record.js';
import { listProductsUseCase } from './use-cases/list-products.js';

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
];

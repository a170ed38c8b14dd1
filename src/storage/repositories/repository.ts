import type { Kysely } from 'kysely';
import type { ChainCheckPlan } from '../audit-chain.js';
import type { DialectAdapter } from '../dialect.js';
import type { Database } from '../schema.js';

/**
 * What every repository works on: one connection or transaction, the adapter for its engine's differences, and how
 * the audit chain is checked. Repositories hold the SQL of one aggregate and no state of their own, so `KyselyStore`
 * composes them into one session per transaction (see `kysely-store.ts`).
 */
export abstract class Repository {
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly dialect: DialectAdapter,
    protected readonly chain: ChainCheckPlan,
  ) {}
}

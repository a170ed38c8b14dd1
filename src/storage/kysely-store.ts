import type BetterSqlite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Store, StoreReader, StoreWriter } from '../core/ports.js';
import { IN_THREAD, type ChainCheckPlan } from './audit-chain.js';
import { storeRefusal } from './db-errors.js';
import { dialectAdapter, type DialectAdapter } from './dialect.js';
import { AuditRepository } from './repositories/audit.js';
import { EvidenceRepository } from './repositories/evidence.js';
import { IdentityRepository } from './identity-repository.js';
import { LinksRepository } from './repositories/links.js';
import { ProductsRepository } from './repositories/products.js';
import { RecordsRepository } from './repositories/records.js';
import { ReleasesRepository } from './repositories/releases.js';
import { Repository } from './repositories/repository.js';
import { RulesRepository } from './repositories/rules.js';
import { StoreWideRepository } from './repositories/store-wide.js';
import { TraceRepository } from './repositories/trace.js';
import type { Database, Dialect } from './schema.js';

export type { ChainCheckPlan } from './audit-chain.js';

/**
 * The repositories a session is made of, one per aggregate. A new aggregate's repository (it extends `Repository`)
 * is added here and to the `KyselySession` interface below; its reader and writer join `StoreReader` and
 * `StoreWriter` in `core/ports.ts`.
 */
const REPOSITORIES = [
  ProductsRepository,
  RecordsRepository,
  LinksRepository,
  AuditRepository,
  EvidenceRepository,
  ReleasesRepository,
  RulesRepository,
  TraceRepository,
  StoreWideRepository,
  IdentityRepository,
] as const;

/**
 * Reads and writes through one Kysely connection or transaction: every repository's methods on one object, so a
 * use-case sees one `StoreReader` / `StoreWriter`. The methods are the repositories' own, copied onto this prototype
 * once (below): no object per repository and no delegation per call. No SQL lives outside `src/storage`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface declares the copied methods
class KyselySession extends Repository implements StoreWriter {}
// The methods the loop below copies onto the prototype.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the class
interface KyselySession
  extends ProductsRepository,
    RecordsRepository,
    LinksRepository,
    AuditRepository,
    EvidenceRepository,
    ReleasesRepository,
    RulesRepository,
    TraceRepository,
    StoreWideRepository,
    IdentityRepository {}

for (const repository of REPOSITORIES) {
  for (const name of Object.getOwnPropertyNames(repository.prototype)) {
    if (name === 'constructor') continue;
    if (Object.prototype.hasOwnProperty.call(KyselySession.prototype, name)) {
      throw new Error(`${repository.name}.${name}: another repository has a member of that name`);
    }
    Object.defineProperty(KyselySession.prototype, name, Object.getOwnPropertyDescriptor(repository.prototype, name) ?? {});
  }
}

/**
 * The Kysely implementation of the storage port, for SQLite and PostgreSQL.
 * Writes are serialized: each write transaction first takes a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a row
 * lock on `dossier_meta.write_lock`), so the audit chain grows one transaction at a time and never forks.
 */
export class KyselyStore implements Store {
  private readonly adapter: DialectAdapter;

  /**
   * @param sqlite - the better-sqlite3 handle under `db` (required for SQLite): large reads and bulk inserts use
   *   statements prepared on it, inside the same transaction (see `SqliteAdapter`)
   * @param chain - how `checkAuditChain` splits the chain over worker threads (reads only; writes check in-thread)
   */
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    sqlite?: BetterSqlite.Database,
    private readonly chain: ChainCheckPlan = IN_THREAD,
  ) {
    this.adapter = dialectAdapter(dialect, sqlite);
  }

  async read<T>(fn: (r: StoreReader) => Promise<T>): Promise<T> {
    try {
      return await this.adapter.read(this.db, (conn) => fn(new KyselySession(conn, this.adapter, this.chain)));
    } catch (e) {
      throw storeRefusal(e);
    }
  }

  async write<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T> {
    try {
      return await this.adapter.write(this.db, (conn) => fn(new KyselySession(conn, this.adapter, IN_THREAD)));
    } catch (e) {
      throw storeRefusal(e);
    }
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

import type BetterSqlite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Store, StoreReader, StoreWriter } from '../core/ports.js';
import { IN_THREAD, type ChainCheckPlan } from './audit-chain.js';
import { storeRefusal } from './db-errors.js';
import { dialectAdapter, type DialectAdapter } from './dialect.js';
import { AttachmentsRepository } from './repositories/attachments.js';
import { AuditRepository } from './repositories/audit.js';
import { EvidenceRepository } from './repositories/evidence.js';
import { IdentityRepository } from './identity-repository.js';
import { LinksRepository } from './repositories/links.js';
import { ProductsRepository } from './repositories/products.js';
import { RecordsRepository } from './repositories/records.js';
import { ReleasesRepository } from './repositories/releases.js';
import { Repository } from './repositories/repository.js';
import { RulesRepository } from './repositories/rules.js';
import { SignaturesRepository } from './repositories/signatures.js';
import { SsoRepository } from './repositories/sso.js';
import { DocumentControlRepository } from './repositories/document-control.js';
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
  SignaturesRepository,
  SsoRepository,
  AttachmentsRepository,
  DocumentControlRepository,
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
    IdentityRepository,
    SignaturesRepository,
    SsoRepository,
    AttachmentsRepository,
    DocumentControlRepository {}

for (const repository of REPOSITORIES) {
  for (const name of Object.getOwnPropertyNames(repository.prototype)) {
    if (name === 'constructor') continue;
    if (Object.prototype.hasOwnProperty.call(KyselySession.prototype, name)) {
      throw new Error(`${repository.name}.${name}: another repository has a member of that name`);
    }
    Object.defineProperty(KyselySession.prototype, name, Object.getOwnPropertyDescriptor(repository.prototype, name) ?? {});
  }
}

/** How group commit bounds a transaction that carries several writes. */
export interface GroupCommit {
  /** Most writes in one transaction. */
  readonly maxWrites: number;
  /** No further write joins a transaction that has been running this long, in milliseconds. */
  readonly maxMs: number;
}

/** Group commit's default bounds: a write waits for at most one short transaction before its own starts. */
export const DEFAULT_GROUP_COMMIT: GroupCommit = { maxWrites: 128, maxMs: 10 };

/** A write waiting for its turn in a group commit. */
interface QueuedWrite {
  readonly fn: (w: StoreWriter) => Promise<unknown>;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** The savepoint each write after the first of a group runs in (released before the next one starts). */
const SAVEPOINT = sql.raw('dossier_write');

/**
 * The Kysely implementation of the storage port, for SQLite and PostgreSQL.
 * Writes are serialized: each write transaction first takes a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a row
 * lock on `dossier_meta.write_lock`), so the audit chain grows one transaction at a time and never forks.
 *
 * Group commit (on unless `groupCommit` is `false`): writes that arrive while a write transaction runs or commits
 * queue up, and the next transaction runs them one after another, in arrival order, on the same connection, so each
 * sees the ones before it (the chain stays linear). The first runs as a lone write would; each later one runs in
 * its own savepoint: if it fails, only it is rolled back and rejected. One COMMIT (one fsync) then makes them all
 * durable, and only then does each caller get its result. If the COMMIT fails, or the engine ends the transaction
 * under a write (SQLite does after a full disk or an I/O error), every write the transaction held is rejected with
 * that error; those not run yet wait for the next transaction.
 */
export class KyselyStore implements Store {
  private readonly adapter: DialectAdapter;
  private readonly queue: QueuedWrite[] = [];
  /** The loop that runs queued writes, while there are any. */
  private draining: Promise<void> | undefined;

  /**
   * @param sqlite - the better-sqlite3 handle under `db` (required for SQLite): large reads and bulk inserts use
   *   statements prepared on it, inside the same transaction (see `SqliteAdapter`)
   * @param chain - how `checkAuditChain` splits the chain over worker threads (reads only; writes check in-thread)
   * @param groupCommit - the bounds of a group commit, or `false` for one transaction per write
   */
  constructor(
    readonly db: Kysely<Database>,
    readonly dialect: Dialect,
    sqlite?: BetterSqlite.Database,
    private readonly chain: ChainCheckPlan = IN_THREAD,
    private readonly groupCommit: GroupCommit | false = DEFAULT_GROUP_COMMIT,
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

  /**
   * Runs `fn` once, in a write transaction; returns its result once that transaction is committed. An error in `fn`
   * leaves nothing of what it wrote.
   */
  async write<T>(fn: (w: StoreWriter) => Promise<T>): Promise<T> {
    try {
      if (this.groupCommit === false) {
        return await this.adapter.write(this.db, (conn) => fn(new KyselySession(conn, this.adapter, IN_THREAD)));
      }
      return await new Promise<T>((resolve, reject) => {
        this.queue.push({ fn, resolve: resolve as (result: unknown) => void, reject });
        this.draining ??= this.drain();
      });
    } catch (e) {
      throw storeRefusal(e);
    }
  }

  async close(): Promise<void> {
    await this.draining;
    await this.db.destroy();
  }

  /** Runs transactions until no write is waiting. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commitGroup(this.groupCommit === false ? DEFAULT_GROUP_COMMIT : this.groupCommit);
    } finally {
      this.draining = undefined;
    }
  }

  /** One transaction: the waiting writes (within the bounds), then one COMMIT; settles each write it ran. */
  private async commitGroup(bounds: GroupCommit): Promise<void> {
    const ran: { readonly write: QueuedWrite; readonly result: unknown }[] = [];
    let current: QueuedWrite | undefined;
    try {
      await this.adapter.write(this.db, async (conn) => {
        const started = performance.now();
        for (;;) {
          const write = this.queue[0];
          if (write === undefined) break;
          if (ran.length > 0 && (ran.length >= bounds.maxWrites || performance.now() - started >= bounds.maxMs)) break;
          this.queue.shift();
          current = write;
          const session = new KyselySession(conn, this.adapter, IN_THREAD);
          // The first write needs no savepoint: if it fails, the transaction holds nothing else and is rolled back.
          if (ran.length === 0) {
            ran.push({ write, result: await write.fn(session) });
            current = undefined;
            continue;
          }
          await sql`savepoint ${SAVEPOINT}`.execute(conn);
          let result: unknown;
          try {
            result = await write.fn(session);
          } catch (e) {
            // Fails when the engine has ended the transaction itself: then the whole group fails with `e` (below).
            await sql`rollback to savepoint ${SAVEPOINT}`.execute(conn).catch(() => Promise.reject(e as Error));
            await sql`release savepoint ${SAVEPOINT}`.execute(conn).catch(() => Promise.reject(e as Error));
            current = undefined;
            write.reject(e);
            continue;
          }
          await sql`release savepoint ${SAVEPOINT}`.execute(conn);
          ran.push({ write, result });
          current = undefined;
        }
      });
    } catch (e) {
      // Nothing of this transaction is kept: the write that was running and every one before it fail with the error.
      // If it failed before running any (the lock could not be taken), the first waiting write fails with it, as it
      // would alone; the others try again.
      if (current === undefined && ran.length === 0) current = this.queue.shift();
      current?.reject(e);
      for (const { write } of ran) write.reject(e);
      return;
    }
    for (const { write, result } of ran) write.resolve(result);
  }
}

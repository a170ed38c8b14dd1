import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type BetterSqlite from 'better-sqlite3';
import type { AuditAnchor } from '../core/audit-anchor.js';
import { AppError } from '../core/errors.js';
import { ChainRangeChecker, type ChainRangeResult } from '../core/integrity.js';
import type { Dialect } from './schema.js';

/**
 * Audit columns in the order `auditHashInput` (core/audit.ts) covers them after the sequence number. The SQL below
 * must build exactly the bytes that function builds; `audit-digest.int.test.ts` checks it on both databases.
 */
const HASHED_AUDIT_COLUMNS = [
  'occurred_at', 'actor', 'action', 'entity_type', 'entity_id', 'product_key', 'old_value', 'new_value', 'reason', 'prev_hash',
] as const;

/**
 * SQL that builds an event's hash input text in the database, so verification reads one value per event. Same SQL
 * on both databases: concat() (SQLite ≥ 3.44, PostgreSQL) builds the text in one allocation and skips NULLs; a
 * chain of || would copy the growing string once per part. For NULL the prefix becomes '-' and the value adds nothing.
 */
export const AUDIT_HASH_INPUT_SQL = `concat('dossier-audit-v1|', seq, '|', ${HASHED_AUDIT_COLUMNS.map((c) => `coalesce(octet_length(${c}) || ':', '-'), ${c}`).join(', ')})`;

/** Events read per query when checking a range. */
const CHAIN_PAGE = 20_000;

/**
 * The rows `checkChainRange` reads, as arrays: seq, prev_hash, hash, hash input. `?` placeholders (SQLite). No upper
 * bound in WHERE: with one, PostgreSQL may plan a bitmap scan and a sort of the rest of the range for every page
 * instead of walking the primary key; the limit keeps a page inside the range (sequence numbers are unique).
 */
export const CHAIN_PAGE_SQL = `select seq, prev_hash, hash, ${AUDIT_HASH_INPUT_SQL} as input from audit_events where seq > ? order by seq limit ?`;

/** One range of the chain: the events after `after`, through `through`. */
export interface ChainRange {
  readonly after: number;
  readonly through: number;
}

/** Reads a page: up to `limit` events after `after`, as `CHAIN_PAGE_SQL` rows. */
export type ChainPageReader = (after: number, limit: number) => unknown[][] | Promise<unknown[][]>;

/** Splits events 1…`throughSeq` into `n` ranges of (nearly) equal length. */
export function chainRanges(throughSeq: number, n: number): ChainRange[] {
  const out: ChainRange[] = [];
  for (let i = 0; i < n; i++) out.push({ after: Math.floor((throughSeq * i) / n), through: Math.floor((throughSeq * (i + 1)) / n) });
  return out;
}

/** Checks one range of the chain, page by page, with the rows `read` returns. */
export async function checkChainRange(read: ChainPageReader, range: ChainRange, anchors: readonly AuditAnchor[]): Promise<ChainRangeResult> {
  const checker = new ChainRangeChecker(anchors.filter((a) => a.seq > range.after && a.seq <= range.through));
  for (let after = range.after; after < range.through; ) {
    const rows = await read(after, Math.min(CHAIN_PAGE, range.through - after));
    if (rows.length === 0) break;
    for (const r of rows) {
      // PostgreSQL returns int8 as text outside the store's pool.
      const seq = Number(r[0]);
      // Past a gap, a page can reach into the next range.
      if (seq > range.through) return checker.result();
      checker.check(seq, r[1] as string, r[2] as string, r[3] as string);
      after = seq;
    }
  }
  return checker.result();
}

/** A page reader on a better-sqlite3 handle: raw rows (arrays), one prepared statement. */
export function sqliteChainPages(db: BetterSqlite.Database): ChainPageReader {
  const stmt = db.prepare(CHAIN_PAGE_SQL).raw(true);
  return (after, limit) => stmt.all(after, limit) as unknown[][];
}

/** How a worker opens the store again: its own connection, on the same snapshot where the database allows it. */
export interface ChainWorkerTarget {
  readonly dialect: Dialect;
  readonly location: string;
  readonly schema?: string;
  /** PostgreSQL: the snapshot exported by the verifying transaction (`pg_export_snapshot`). */
  readonly snapshot?: string;
}

/** What a worker is given. */
export interface ChainWorkerInput {
  readonly target: ChainWorkerTarget;
  readonly range: ChainRange;
  readonly anchors: readonly AuditAnchor[];
}

/** What a worker answers. */
export type ChainWorkerOutput =
  | { readonly ok: true; readonly result: ChainRangeResult }
  | { readonly ok: false; readonly message: string; readonly code?: string };

const WORKER_URL = new URL('./audit-chain-worker.js', import.meta.url);

/** Whether the worker's compiled module is there (it is not when the sources run untranspiled, as in unit tests). */
export function chainWorkersAvailable(): boolean {
  return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
}

/**
 * Checks each range on its own worker thread, all at once; results in range order. A worker's failure (a read on
 * damaged storage) rejects with an error that carries the database's error code, as a read in this thread would.
 */
export function checkChainRangesOnWorkers(target: ChainWorkerTarget, ranges: readonly ChainRange[], anchors: readonly AuditAnchor[]): Promise<ChainRangeResult[]> {
  return Promise.all(
    ranges.map(
      (range) =>
        new Promise<ChainRangeResult>((resolve, reject) => {
          const input: ChainWorkerInput = { target, range, anchors: anchors.filter((a) => a.seq > range.after && a.seq <= range.through) };
          // A worker inherits the process's Node options; --input-type (a script given with -e) would refuse its file.
          const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
          const worker = new Worker(WORKER_URL, { workerData: input, execArgv });
          let answered = false;
          worker.once('message', (out: ChainWorkerOutput) => {
            answered = true;
            if (out.ok) resolve(out.result);
            else reject(Object.assign(new Error(out.message), out.code === undefined ? {} : { code: out.code }));
          });
          worker.once('error', (e) => {
            answered = true;
            reject(e);
          });
          worker.once('exit', (code) => {
            if (!answered) reject(new AppError('INTERNAL', `the audit chain check of events ${range.after + 1}…${range.through} stopped (exit code ${code})`));
          });
        }),
    ),
  );
}

/** How verification splits the audit chain into ranges (see `StoreReader.checkAuditChain`). */
export interface ChainCheckPlan {
  /** How a worker opens the store again; undefined when it cannot (an in-memory SQLite database). */
  readonly target?: ChainWorkerTarget;
  /** Worker threads that check ranges while the verifying thread replays the state; 0 checks the chain in it. */
  readonly workers: number;
  /** Fewest events per range: a shorter chain is split into fewer ranges, and below this it is checked in-thread. */
  readonly minEventsPerRange: number;
}

/** The whole chain as one range, in the verifying thread. */
export const IN_THREAD: ChainCheckPlan = { workers: 0, minEventsPerRange: Number.POSITIVE_INFINITY };

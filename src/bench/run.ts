/**
 * `npm run bench`: bulk record and link creation through the use-case layer, then audit verification, on SQLite
 * and PostgreSQL. Prints a Markdown table to paste into BENCHMARKS.md. Options:
 *   --records N (default 100000)  --links N (default 3 × records)  --only sqlite|postgres
 *   --pg URL (default postgres://postgres@127.0.0.1:5432/test)
 *   --runs N (default 1): verify the store N times (the first run also reads it from disk)
 *   --keep: leave the store in place and print how to open it again (SQLite files go to the system temp folder)
 *   --db FILE|URL: verify this existing store (from --keep) instead of creating one; with --only for its dialect
 *   --workers N: worker threads for the audit chain (default: the store's default); 0 checks it in the main thread
 */
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps, type Store } from '../core/ports.js';
import { addLinks, type NewLink } from '../app/use-cases/add-links.js';
import { addRecords, type NewRecord } from '../app/use-cases/add-records.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import type { KyselyStore } from '../storage/kysely-store.js';
import { openStore } from '../storage/open-store.js';
import type { Dialect } from '../storage/schema.js';
import { syntheticProduct } from './synthetic-product.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    links: { type: 'string' },
    only: { type: 'string' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    runs: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    db: { type: 'string' },
    workers: { type: 'string' },
  },
});
const OPEN = values.workers === undefined ? {} : { verifyWorkers: Number(values.workers) };
const RUNS = Number(values.runs);
const RECORDS = Number(values.records);
const LINKS = values.links === undefined ? RECORDS * 3 : Number(values.links);
const RECORD_BATCH = 2_000;
const LINK_BATCH = 5_000;

interface Result {
  dialect: Dialect;
  records: number;
  recordsPerSec: number;
  links: number;
  linksPerSec: number;
  events: number;
  verifySec: number;
  chainSec: number;
  eventsPerSec: number;
  revisionsPerSec: number;
  revisions: number;
  dbBytes: number;
}

/** Seconds from the start of one verification to the end of each of its steps. */
interface VerifyTimes {
  total: number;
  database: number;
  chain: number;
  revisions: number;
  state: number;
  /** When the events had been read (the revisions are checked next). */
  events0: number;
  events: number;
  revisionCount: number;
}

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;
/** CPU time of the process (every thread, user and system) since `from`: steadier than wall time on a loaded machine. */
const cpuSeconds = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};

async function run(dialect: Dialect): Promise<Result> {
  let store: KyselyStore;
  let size: () => Promise<number>;
  let cleanup: () => Promise<void>;
  const reuse = values.db;
  if (dialect === 'sqlite') {
    const dir = reuse === undefined ? mkdtempSync(join(tmpdir(), 'dossier-bench-')) : undefined;
    const file = reuse ?? join(dir ?? '', 'bench.db');
    store = await openStore({ dialect, location: file }, OPEN);
    size = async () => {
      await sql`pragma wal_checkpoint(truncate)`.execute(store.db);
      return [file, `${file}-wal`].filter(existsSync).reduce((n, f) => n + statSync(f).size, 0);
    };
    cleanup = async () => {
      await store.close();
      if (values.keep) progress(`kept: --only sqlite --db ${file}`);
      else if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const url = reuse === undefined ? undefined : new URL(reuse);
    const schema = url?.searchParams.get('schema') ?? `bench_${Date.now().toString(36)}`;
    url?.searchParams.delete('schema');
    const location = url?.toString() ?? values.pg;
    store = await openStore({ dialect, location, schema }, OPEN);
    size = async () => {
      const r = await sql<{ n: number }>`select sum(pg_total_relation_size(c.oid))::bigint as n from pg_class c
        join pg_namespace s on s.oid = c.relnamespace where s.nspname = ${schema} and c.relkind = 'r'`.execute(store.db);
      return Number(r.rows[0]?.n ?? 0);
    };
    cleanup = async () => {
      if (values.keep || reuse !== undefined) progress(`kept: --only postgres --db '${location}?schema=${schema}'`);
      else await sql.raw(`drop schema ${schema} cascade`).execute(store.db);
      await store.close();
    };
  }
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
  if (reuse !== undefined) {
    const times: VerifyTimes[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await timeVerify(store, dialect));
    const dbBytes = await size();
    await cleanup();
    const best = times.reduce((a, b) => (b.total < a.total ? b : a));
    return { dialect, records: 0, recordsPerSec: 0, links: 0, linksPerSec: 0, dbBytes, ...fromTimes(best) };
  }
  await createProduct(deps, { key: 'BENCH', name: 'Synthetic product', intendedUse: 'Benchmark', safetyClass: 'C' });
  const shape = syntheticProduct(RECORDS, LINKS);

  const batches = <T>(items: readonly T[], n: number): T[][] => {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
    return out;
  };
  let t0 = process.hrtime.bigint();
  for (const b of batches<NewRecord>(shape.records, RECORD_BATCH)) await addRecords(deps, { productKey: 'BENCH', records: b });
  const recSec = seconds(t0);
  progress(`${dialect}: ${RECORDS} records in ${recSec.toFixed(2)} s`);

  t0 = process.hrtime.bigint();
  for (const b of batches<NewLink>(shape.links, LINK_BATCH)) await addLinks(deps, { productKey: 'BENCH', links: b });
  const linkSec = seconds(t0);
  progress(`${dialect}: ${shape.links.length} links in ${linkSec.toFixed(2)} s`);

  const times: VerifyTimes[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeVerify(store, dialect));
  const best = times.reduce((a, b) => (b.total < a.total ? b : a));
  const dbBytes = await size();
  await cleanup();
  return {
    dialect,
    records: RECORDS,
    recordsPerSec: RECORDS / recSec,
    links: shape.links.length,
    linksPerSec: shape.links.length / linkSec,
    dbBytes,
    ...fromTimes(best),
  };
}

function fromTimes(t: VerifyTimes): Pick<Result, 'events' | 'verifySec' | 'chainSec' | 'eventsPerSec' | 'revisionsPerSec' | 'revisions'> {
  return {
    events: t.events,
    verifySec: t.total,
    chainSec: t.chain,
    eventsPerSec: t.events / t.chain,
    revisionsPerSec: t.revisionCount / Math.max(t.revisions - t.events0, 1e-9),
    revisions: t.revisionCount,
  };
}

/**
 * One `verifyIntegrity`, with the time each step ended. The database engine's own check is timed on its own (the
 * store's reader is wrapped), so the chain walk is measured from its end to the last audit-events progress call.
 */
async function timeVerify(store: KyselyStore, dialect: Dialect): Promise<VerifyTimes> {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const at: Record<string, number> = {};
  const timed: Store = {
    read: (fn) =>
      store.read((r) =>
        fn(
          new Proxy(r, {
            get(target, p): unknown {
              if (p === 'checkDatabase') {
                return async () => {
                  const out = await target.checkDatabase();
                  at['database'] = seconds(t0);
                  return out;
                };
              }
              const v: unknown = Reflect.get(target, p);
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
            },
          }),
        ),
      ),
    write: (fn) => store.write(fn),
    close: () => store.close(),
  };
  const report = await verifyIntegrity({ store: timed }, (_done, _total, phase) => {
    at[phase] = seconds(t0);
  });
  const total = seconds(t0);
  const cpu = cpuSeconds(cpu0);
  if (!report.ok) throw new Error(`verify failed: ${report.firstProblem?.message ?? ''}`);
  const database = at['database'] ?? 0;
  // The chain walk on its own (during the verification it runs beside the state replay): ranges as configured.
  const c0 = process.hrtime.bigint();
  const chainCpu0 = process.cpuUsage();
  const head = report.head?.seq ?? 0;
  await store.read((r) => r.checkAuditChain(head, []));
  const chain = seconds(c0);
  const chainCpu = cpuSeconds(chainCpu0);
  const t: VerifyTimes = {
    total,
    database,
    chain,
    revisions: at['revisions'] ?? 0,
    state: at['current state'] ?? 0,
    events0: at['audit events'] ?? 0,
    events: report.eventsChecked,
    revisionCount: report.revisionsChecked,
  };
  progress(
    `${dialect}: verified ${report.eventsChecked} events, ${report.revisionsChecked} revisions, ${report.stateRowsChecked} state rows in ${total.toFixed(2)} s ` +
      `(database check ended at ${database.toFixed(2)} s, events read by ${(at['audit events'] ?? 0).toFixed(2)} s, revisions ended at ${t.revisions.toFixed(2)} s, ` +
      `current state at ${t.state.toFixed(2)} s); chain walk alone ${chain.toFixed(2)} s; CPU (all threads): verify ${cpu.toFixed(2)} s, chain walk ${chainCpu.toFixed(2)} s`,
  );
  return t;
}

function progress(s: string): void {
  process.stderr.write(`${s}\n`);
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en');
const dialects: Dialect[] = values.only === undefined ? ['sqlite', 'postgres'] : [values.only as Dialect];
const results: Result[] = [];
for (const d of dialects) results.push(await run(d));

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`\nMachine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| database | records | records/s | links | links/s | audit events | chain walk (s) | events/s | revisions/s | whole verify (s) | database size |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.dialect} | ${fmt(r.records)} | ${fmt(r.recordsPerSec)} | ${fmt(r.links)} | ${fmt(r.linksPerSec)} | ${fmt(r.events)} | ` +
      `${r.chainSec.toFixed(2)} | ${fmt(r.eventsPerSec)} | ${fmt(r.revisionsPerSec)} | ${r.verifySec.toFixed(2)} | ${(r.dbBytes / 2 ** 20).toFixed(0)} MiB |`,
  );
}

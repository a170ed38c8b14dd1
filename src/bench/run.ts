/**
 * `npm run bench`: bulk record and link creation through the use-case layer, then audit verification, on SQLite
 * and PostgreSQL. Prints a Markdown table to paste into BENCHMARKS.md. Options:
 *   --records N (default 100000)  --links N (default 3 × records)  --only sqlite|postgres
 *   --pg URL (default postgres://postgres@127.0.0.1:5432/test)
 */
import { mkdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { addLinks, type NewLink } from '../core/use-cases/add-links.js';
import { addRecords, type NewRecord } from '../core/use-cases/add-records.js';
import { createProduct } from '../core/use-cases/create-product.js';
import { verifyIntegrity } from '../core/use-cases/verify-integrity.js';
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
  },
});
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

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

async function run(dialect: Dialect): Promise<Result> {
  let store: KyselyStore;
  let size: () => Promise<number>;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    mkdirSync('.bench', { recursive: true });
    const file = '.bench/bench.db';
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    store = await openStore({ dialect, location: file });
    size = async () => {
      await sql`pragma wal_checkpoint(truncate)`.execute(store.db);
      return [file, `${file}-wal`].filter(existsSync).reduce((n, f) => n + statSync(f).size, 0);
    };
    cleanup = () => store.close();
  } else {
    const schema = `bench_${Date.now().toString(36)}`;
    store = await openStore({ dialect, location: values.pg, schema });
    size = async () => {
      const r = await sql<{ n: number }>`select sum(pg_total_relation_size(c.oid))::bigint as n from pg_class c
        join pg_namespace s on s.oid = c.relnamespace where s.nspname = ${schema} and c.relkind = 'r'`.execute(store.db);
      return Number(r.rows[0]?.n ?? 0);
    };
    cleanup = async () => {
      await sql.raw(`drop schema ${schema} cascade`).execute(store.db);
      await store.close();
    };
  }
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
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

  t0 = process.hrtime.bigint();
  let chainSec = 0;
  // The chain is walked first, then revisions: the last audit-events progress call marks the end of the chain walk.
  const report = await verifyIntegrity(deps, (_done, _total, phase) => {
    if (phase === 'audit events') chainSec = seconds(t0);
  });
  const verifySec = seconds(t0);
  if (!report.ok) throw new Error(`verify failed: ${report.firstProblem?.message ?? ''}`);
  progress(`${dialect}: verified ${report.eventsChecked} events, ${report.revisionsChecked} revisions in ${verifySec.toFixed(2)} s`);
  const dbBytes = await size();
  await cleanup();
  return {
    dialect,
    records: RECORDS,
    recordsPerSec: RECORDS / recSec,
    links: shape.links.length,
    linksPerSec: shape.links.length / linkSec,
    events: report.eventsChecked,
    verifySec,
    chainSec,
    eventsPerSec: report.eventsChecked / chainSec,
    revisionsPerSec: report.revisionsChecked / (verifySec - chainSec),
    revisions: report.revisionsChecked,
    dbBytes,
  };
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

/**
 * Times `record.list` (listRecordsPage) on a synthetic product: pages of 100 with and without filters.
 * Usage: node dist/bench/record-list.js [--records N] [--pg URL] [--keep DIR] [--runs N]
 *   --records N (default 100000)  --runs N timed runs per query (default 10)
 *   --keep DIR: keep the SQLite file (DIR/record-list-N.db) and the PostgreSQL schema (bench_list_N) and reuse them
 * Prints wall time (median, max) and the process's CPU time per run (the machine may be shared).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { addRecords } from '../app/use-cases/add-records.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { ListRecordsInputSchema, listRecordsPage, type ListRecordsInput } from '../app/use-cases/list-records.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { openStore, type StoreTarget } from '../storage/open-store.js';
import { syntheticProduct } from './synthetic-product.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '10' },
    pg: { type: 'string' },
    keep: { type: 'string' },
  },
});
const RECORDS = Number(values.records);
const RUNS = Number(values.runs);

const QUERIES: readonly [string, Omit<ListRecordsInput, 'productKey'>][] = [
  ['first 100 of all', {}],
  ['type=SRS, first 100', { type: 'SRS' }],
  ['type=SRS, offset 20000', { type: 'SRS', offset: 20_000 }],
  ['all types, offset 50000', { offset: 50_000 }],
  ['status=draft, first 100', { status: 'draft' }],
  ["text='7', first 100", { text: '7' }],
  ["type=TC, text='99', first 100", { type: 'TC', text: '99' }],
];

async function seeded(target: StoreTarget): Promise<Deps> {
  const store = await openStore(target);
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
  const has = await store.read((r) => r.findProduct('BENCH'));
  if (has !== undefined) return deps;
  await createProduct(deps, { key: 'BENCH', name: 'Synthetic product', intendedUse: 'Benchmark', safetyClass: 'C' });
  const { records } = syntheticProduct(RECORDS, 0);
  const t0 = Date.now();
  for (let i = 0; i < records.length; i += 2000) await addRecords(deps, { productKey: 'BENCH', records: records.slice(i, i + 2000) });
  console.error(`${target.dialect}: ${RECORDS} records seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return deps;
}

async function run(target: StoreTarget): Promise<void> {
  const deps = await seeded(target);
  for (const [label, q] of QUERIES) {
    const input = ListRecordsInputSchema.parse({ productKey: 'BENCH', ...q });
    const page = await listRecordsPage(deps, input); // warm-up
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await listRecordsPage(deps, input);
      walls.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1000);
    }
    walls.sort((a, b) => a - b);
    cpus.sort((a, b) => a - b);
    const mid = (xs: number[]): string => (xs[Math.floor(xs.length / 2)] ?? 0).toFixed(1);
    console.log(
      `| ${target.dialect} | ${label} | ${page.total} | ${page.records.length} | ${mid(walls)} | ${(walls.at(-1) ?? 0).toFixed(1)} | ${mid(cpus)} |`,
    );
  }
  await deps.store.close();
}

console.log(`record.list, ${RECORDS} records, ${RUNS} runs per query; node ${process.version}`);
console.log('| Database | Query | Total | Page | Median ms | Max ms | Median CPU ms (node process) |');
console.log('|---|---|---:|---:|---:|---:|---:|');
const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'dossier-bench-list-'));
const file = join(dir, `record-list-${RECORDS}.db`);
if (values.keep === undefined && existsSync(file)) rmSync(file);
await run({ dialect: 'sqlite', location: file });
if (values.keep === undefined) rmSync(dir, { recursive: true, force: true });
if (values.pg !== undefined) {
  const schema = values.keep === undefined ? `bench_list_${Date.now().toString(36)}` : `bench_list_${RECORDS}`;
  await run({ dialect: 'postgres', location: values.pg, schema });
  if (values.keep === undefined) {
    const s = await openStore({ dialect: 'postgres', location: values.pg });
    await sql.raw(`drop schema ${schema} cascade`).execute(s.db);
    await s.close();
  }
}

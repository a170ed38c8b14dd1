/**
 * `node dist/bench/write-loop.js`: record.add through `execute` in a loop on a file store, no HTTP, to measure and
 * profile the write path (run under `node --cpu-prof`). Reports writes/s and the process's CPU time per write.
 * Options: --writes N (default 2000)  --concurrency N writes in flight (default 32)  --records N seeded first
 * (default 20000)  --only sqlite|postgres  --pg URL  --group-commit on|off (default: the store's default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { execute } from '../app/execute.js';
import { processServices } from '../app/process-services.js';
import { addRecordUseCase } from '../app/use-cases/add-record.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { localPrincipal } from '../core/access/principal.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { openStore, type StoreTarget } from '../storage/open-store.js';
import type { Dialect } from '../storage/schema.js';
import { syntheticProduct } from './synthetic-product.js';

const { values } = parseArgs({
  options: {
    writes: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
    records: { type: 'string', default: '20000' },
    only: { type: 'string' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'group-commit': { type: 'string' },
  },
});
const WRITES = Number(values.writes);
const CONCURRENCY = Number(values.concurrency);
const groupCommit = values['group-commit'] === undefined ? {} : { groupCommit: values['group-commit'] === 'on' };

async function run(dialect: Dialect): Promise<string> {
  let target: StoreTarget;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-write-loop-'));
    target = { dialect, location: join(dir, 'bench.db') };
    cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
  } else {
    const schema = `bench_writes_${Date.now().toString(36)}`;
    target = { dialect, location: values.pg, schema };
    cleanup = async () => {
      const s = await openStore({ dialect, location: values.pg });
      await sql.raw(`drop schema ${schema} cascade`).execute(s.db);
      await s.close();
    };
  }
  const store = await openStore(target, groupCommit);
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
  await createProduct(deps, { key: 'BENCH', name: 'Synthetic product', intendedUse: 'Benchmark', safetyClass: 'C' });
  const { records } = syntheticProduct(Number(values.records), 0);
  for (let i = 0; i < records.length; i += 2000) await addRecords(deps, { productKey: 'BENCH', records: records.slice(i, i + 2000) });
  const ctx = { deps, principal: localPrincipal('bench'), services: processServices(DEFAULT_CATALOG) };
  const input = { productKey: 'BENCH', record: { type: 'SRS', title: 'Benchmark record' } };
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < WRITES) await execute(addRecordUseCase, ctx, input);
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  await cleanup();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return `| ${dialect} | ${WRITES} | ${CONCURRENCY} | ${Math.round((WRITES * 1000) / ms)} | ${((cpuMs * 1000) / WRITES).toFixed(0)} | ${((cpu.system / 1000 / cpuMs) * 100).toFixed(0)}% |`;
}

const dialects: Dialect[] = values.only === undefined ? ['sqlite', 'postgres'] : [values.only as Dialect];
const rows = ['| Database | Writes | In flight | Writes/s | CPU µs/write | of it system |', '|---|---:|---:|---:|---:|---:|'];
for (const d of dialects) rows.push(await run(d));
process.stdout.write(`${rows.join('\n')}\n`);

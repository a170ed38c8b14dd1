/**
 * `npm run bench:server`: the HTTP API under load on loopback (autocannon), on SQLite and PostgreSQL: a record
 * read, a filtered list of 100, a write with its audit event, and the product list. Each scenario runs for a fixed
 * time; the server runs on its own thread. Scenarios whose use-case is not registered yet are skipped. Options:
 *   --records N (default 100000)  --seconds N per scenario (default 10)  --connections N (default 32)
 *   --only sqlite|postgres  --pg URL (default postgres://postgres@127.0.0.1:5432/test)
 *   --use-case NAME (only that scenario, e.g. record.add)  --group-commit on|off (default: the store's default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { bindingOf, pathParams } from '../app/http-route.js';
import { USE_CASES } from '../app/registry.js';
import type { AnyUseCase } from '../app/use-case.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { openStore, type StoreTarget } from '../storage/open-store.js';
import type { Dialect } from '../storage/schema.js';
import { syntheticProduct } from './synthetic-product.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'use-case': { type: 'string' },
    'group-commit': { type: 'string' },
  },
});
const RECORDS = Number(values.records);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const HEADERS = { authorization: 'Bearer bench', 'content-type': 'application/json' };

/** One load scenario: a use-case (by name) and the input it is called with. */
interface Scenario {
  readonly label: string;
  readonly useCase: string;
  readonly input: Record<string, unknown>;
}
const SCENARIOS: readonly Scenario[] = [
  { label: 'record read', useCase: 'record.get', input: { productKey: 'BENCH', record: 'SRS-1' } },
  { label: 'filtered list of 100', useCase: 'record.list', input: { productKey: 'BENCH', type: 'SRS', limit: 100 } },
  { label: 'product list', useCase: 'product.list', input: {} },
  { label: 'write (record.add)', useCase: 'record.add', input: { productKey: 'BENCH', record: { type: 'SRS', title: 'Benchmark record' } } },
];

const progress = (s: string): void => void process.stderr.write(`${s}\n`);

/** The URL path, method and body of a use-case call, or why it cannot be made. */
function request(uc: AnyUseCase | undefined, input: Record<string, unknown>): { method: string; path: string; body?: string } | string {
  if (uc === undefined) return 'not registered yet';
  if (!(uc.input as { safeParse: (v: unknown) => { success: boolean } }).safeParse(input).success) return 'its input schema refuses the benchmark input';
  const b = bindingOf(uc);
  const rest = { ...input };
  let path = b.path;
  for (const p of pathParams(b.path)) {
    path = path.replace(`:${p}`, encodeURIComponent(String(rest[p])));
    delete rest[p];
  }
  if (b.method === 'GET') {
    const q = new URLSearchParams(Object.entries(rest).map(([k, v]): [string, string] => [k, String(v as string)])).toString();
    return { method: b.method, path: q === '' ? path : `${path}?${q}` };
  }
  return { method: b.method, path, body: JSON.stringify(rest) };
}

async function seed(target: StoreTarget): Promise<void> {
  const store = await openStore(target);
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
  await createProduct(deps, { key: 'BENCH', name: 'Synthetic product', intendedUse: 'Benchmark', safetyClass: 'C' });
  const { records } = syntheticProduct(RECORDS, 0);
  const t0 = Date.now();
  for (let i = 0; i < records.length; i += 2000) await addRecords(deps, { productKey: 'BENCH', records: records.slice(i, i + 2000) });
  progress(`${target.dialect}: ${RECORDS} records seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await store.close();
}

async function bench(dialect: Dialect): Promise<string[]> {
  let target: StoreTarget;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-server-'));
    target = { dialect, location: join(dir, 'bench.db') };
    cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
  } else {
    const schema = `bench_server_${Date.now().toString(36)}`;
    target = { dialect, location: values.pg, schema };
    cleanup = async () => {
      const s = await openStore({ dialect, location: values.pg });
      await sql.raw(`drop schema ${schema} cascade`).execute(s.db);
      await s.close();
    };
  }
  await seed(target);
  const groupCommit = values['group-commit'] === undefined ? undefined : values['group-commit'] === 'on';
  const worker = new Worker(new URL('./server-worker.js', import.meta.url), { workerData: { target, groupCommit } });
  const address = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: string) => resolve(m));
    worker.once('error', reject);
  });
  const rows: string[] = [];
  for (const s of SCENARIOS.filter((c) => values['use-case'] === undefined || c.useCase === values['use-case'])) {
    const uc = USE_CASES.find((u) => u.name === s.useCase);
    const req = request(uc, s.input);
    if (typeof req === 'string') {
      progress(`${dialect}: ${s.label} skipped: ${s.useCase} ${req}`);
      continue;
    }
    const r = await autocannon({
      url: `${address}${req.path}`,
      method: req.method,
      headers: HEADERS,
      ...(req.body === undefined ? {} : { body: req.body }),
      connections: CONNECTIONS,
      duration: SECONDS,
    });
    rows.push(
      `| ${dialect} | ${s.label} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx + r.errors + r.timeouts} |`,
    );
    progress(rows[rows.length - 1] ?? '');
  }
  worker.postMessage('close');
  await new Promise((resolve) => worker.once('exit', resolve));
  await cleanup();
  return rows;
}

const dialects: Dialect[] = values.only === undefined ? ['sqlite', 'postgres'] : [values.only as Dialect];
const rows: string[] = [];
for (const d of dialects) rows.push(...(await bench(d)));
process.stdout.write(
  [
    `Server benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
      `Node ${process.version}; ${RECORDS} records; ${CONNECTIONS} connections, ${SECONDS} s per scenario, loopback`,
    '',
    '| Database | Scenario | Requests/s | p50 ms | p99 ms | Failed |',
    '|---|---|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);

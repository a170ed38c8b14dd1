/**
 * `npm run bench:server`: the HTTP API under load on loopback (autocannon), on SQLite and PostgreSQL: a record
 * read, a filtered list of 100, a write with its audit event, and the product list; then the record read again while
 * whole-store audit verifications run one after another (on the read pool), and 1,000 concurrent edits of one record
 * from the same base revision (exactly one may win; the chain must hold). Each load scenario runs for a fixed time;
 * the server runs on its own thread and checks a real API token on every request. Options:
 *   --records N (default 100000)  --seconds N per scenario (default 10)  --connections N (default 32)
 *   --only sqlite|postgres  --pg URL (default postgres://postgres@127.0.0.1:5432/test)
 *   --use-case NAME (only that load scenario, e.g. record.add; no verify or conflict run)  --group-commit on|off
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
import { execute } from '../app/execute.js';
import { processServices } from '../app/process-services.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { createTokenUseCase } from '../app/use-cases/create-token.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { PERMISSION_KEYS, PERMISSIONS } from '../core/access/permissions.js';
import { localPrincipal } from '../core/access/principal.js';
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
let HEADERS: Record<string, string> = {};

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

/** Seeds the product and an admin with an API token for every permission on it; returns the token. */
async function seed(target: StoreTarget): Promise<string> {
  const store = await openStore(target);
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
  await createProduct(deps, { key: 'BENCH', name: 'Synthetic product', intendedUse: 'Benchmark', safetyClass: 'C' });
  const { records } = syntheticProduct(RECORDS, 0);
  const t0 = Date.now();
  for (let i = 0; i < records.length; i += 2000) await addRecords(deps, { productKey: 'BENCH', records: records.slice(i, i + 2000) });
  progress(`${target.dialect}: ${RECORDS} records seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const ctx = { deps, principal: localPrincipal('bench-admin'), services: processServices(DEFAULT_CATALOG) };
  await execute(createUserUseCase, ctx, { username: 'bench-admin', printedName: 'Bench Admin', admin: true, password: ADMIN_PASSWORD });
  const token = await execute(createTokenUseCase, ctx, {
    productKey: 'BENCH',
    // A token holds product permissions only; store-wide calls (audit verify) go through the admin's session.
    permissions: PERMISSION_KEYS.filter((p) => PERMISSIONS[p].scope === 'product'),
    name: 'bench',
  });
  await store.close();
  return token.token;
}

const ADMIN_PASSWORD = 'bench password 1234';

/** Headers of the bench admin's browser session: the session cookie and its CSRF token. */
async function adminSession(address: string): Promise<Record<string, string>> {
  const login = await fetch(`${address}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-admin', password: ADMIN_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = await fetch(`${address}/api/v1/session/csrf`, { headers: { cookie: cookies.join('; ') } });
  const all = [...cookies, ...csrf.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return { cookie: all, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

/** The record read, again, while whole-store audit verifications run one after another on the server. */
async function readsDuringVerify(dialect: Dialect, address: string): Promise<string> {
  const admin = await adminSession(address);
  let stop = false;
  let verifies = 0;
  const verifying = (async () => {
    while (!stop) {
      const r = await fetch(`${address}/api/v1/audit/verify`, { method: 'POST', headers: admin, body: '{}' });
      if (r.status !== 200) throw new Error(`audit verify answered ${r.status}: ${await r.text()}`);
      const report = (await r.json()) as { ok: boolean };
      if (!report.ok) throw new Error('audit verify found problems');
      verifies++;
    }
  })();
  const r = await autocannon({ url: `${address}/api/v1/products/BENCH/records/SRS-1`, headers: HEADERS, connections: CONNECTIONS, duration: SECONDS });
  stop = true;
  await verifying;
  return `| ${dialect} | record read during audit verify (${verifies} verifications done) | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx + r.errors + r.timeouts} |`;
}

/** 1,000 edits of one record sent at once from the same base revision: one wins, the rest are refused (412). */
async function conflictingEdits(dialect: Dialect, address: string): Promise<string> {
  const url = `${address}/api/v1/products/BENCH/records/SRS-2`;
  const base = Number(((await (await fetch(url, { headers: HEADERS })).json()) as { latestRevision: number }).latestRevision);
  const t0 = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      fetch(url, { method: 'PATCH', headers: { ...HEADERS, 'if-match': `"${base}"` }, body: JSON.stringify({ title: `Edit ${i}` }) }).then((r) => r.status),
    ),
  );
  const ms = performance.now() - t0;
  const won = statuses.filter((s) => s === 200).length;
  const stale = statuses.filter((s) => s === 412).length;
  const after = Number(((await (await fetch(url, { headers: HEADERS })).json()) as { latestRevision: number }).latestRevision);
  const admin = await adminSession(address);
  const report = (await (await fetch(`${address}/api/v1/audit/verify`, { method: 'POST', headers: admin, body: '{}' })).json()) as { ok: boolean };
  return (
    `${dialect}: 1,000 concurrent edits of SRS-2 from revision ${base} in ${Math.round(ms)} ms: ${won} saved, ${stale} refused as stale (412), ` +
    `${1000 - won - stale} other; the record is now at revision ${after} (lost updates: ${after - base === won ? 0 : 'YES'}); audit verify ${report.ok ? 'ok' : 'FAILED'}`
  );
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
  const token = await seed(target);
  HEADERS = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
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
  if (values['use-case'] === undefined) {
    rows.push(await readsDuringVerify(dialect, address));
    progress(rows[rows.length - 1] ?? '');
    notes.push(await conflictingEdits(dialect, address));
    progress(notes[notes.length - 1] ?? '');
  }
  worker.postMessage('close');
  await new Promise((resolve) => worker.once('exit', resolve));
  await cleanup();
  return rows;
}

const notes: string[] = [];

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
    ...notes,
    '',
  ].join('\n'),
);

/**
 * `npm run bench:trace`: the trace engine on synthetic products of 1,000 to 1,000,000 records (three links per
 * record, a few percent missing), on SQLite and PostgreSQL. Reports cold load (queries and graph build apart),
 * full rule check, trace matrix UN → TC, suspect propagation after one change at the top, and peak memory.
 * Options: --sizes 1000,10000,100000,1000000  --only sqlite|postgres  --pg URL  --out DIR (where the SQLite files go, kept
 * afterwards for profiling; default: a temporary folder, removed afterwards)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, tmpdir, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK } from '../core/ports.js';
import { evaluateRules } from '../core/rules/evaluate-rules.js';
import { findSuspectLinks } from '../core/trace/suspect-links.js';
import type { TraceLinkColumns } from '../core/trace/link-columns.js';
import type { TraceRecordColumns } from '../core/trace/record-columns.js';
import type { RevisionContent } from '../core/trace/revision-changes.js';
import { TraceGraph } from '../core/trace/trace-graph.js';
import { buildTraceMatrix } from '../core/trace/trace-matrix.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { loadBuiltinPacks } from '../ingest/rule-pack-file.js';
import { openStore, type StoreTarget } from '../storage/open-store.js';
import type { Dialect } from '../storage/schema.js';
import { seedTraceProduct as seed } from './seed-trace-product.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000,1000000' },
    /** Internal: run one step in this (child) process and print its result as JSON. */
    step: { type: 'string' },
    size: { type: 'string' },
    target: { type: 'string' },
    only: { type: 'string' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    out: { type: 'string' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const dialects: Dialect[] = values.only === undefined ? ['sqlite', 'postgres'] : [values.only as Dialect];
const packs = loadBuiltinPacks(DEFAULT_CATALOG);
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

interface Row {
  dialect: Dialect; records: number; links: number; loadQueryMs: number; buildMs: number; checkMs: number; findings: number;
  matrixMs: number; coverage: number; suspectMs: number; suspects: number; heapMiB: number; rssMiB: number;
}

/** Where the store for one size lives, and how to remove it afterwards. */
function targetFor(dialect: Dialect, n: number, dir: string): { target: StoreTarget; drop: () => Promise<void> } {
  if (dialect === 'sqlite') {
    const file = join(dir, `trace-${n}.db`);
    const files = [file, `${file}-wal`, `${file}-shm`];
    const drop = (): Promise<void> => {
      for (const f of files) rmSync(f, { force: true });
      return Promise.resolve();
    };
    return { target: { dialect, location: file }, drop };
  }
  const schema = `bench_trace_${n}_${Date.now().toString(36)}`;
  const target: StoreTarget = { dialect, location: values.pg, schema };
  const drop = async (): Promise<void> => {
    const s = await openStore(target);
    await sql.raw(`drop schema ${schema} cascade`).execute(s.db);
    await s.close();
  };
  return { target, drop };
}

/** Child step: fill the store. */
async function stepSeed(target: StoreTarget, n: number): Promise<{ seedMs: number }> {
  const store = await openStore(target);
  const t0 = process.hrtime.bigint();
  await seed({ store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } }, n);
  const seedMs = ms(t0);
  await store.close();
  return { seedMs };
}

/** Child step: a cold process loads the graph and runs the analyses; its peak RSS is the analysis's own. */
async function stepMeasure(target: StoreTarget, n: number): Promise<Row> {
  const dialect = target.dialect;
  const store = await openStore(target);
  // The queries the trace graph is built from (as `buildGraph` runs them), then the build, timed apart.
  const load = (): Promise<readonly [TraceRecordColumns, TraceLinkColumns, RevisionContent[]]> =>
    store.read(async (r) => [await r.loadTraceRecordColumns(1), await r.loadTraceLinks(1), await r.listRevisionContents(1)] as const);
  let t0 = process.hrtime.bigint();
  let loaded: readonly [TraceRecordColumns, TraceLinkColumns, RevisionContent[]] | undefined = await load();
  const loadQueryMs = ms(t0);
  t0 = process.hrtime.bigint();
  let graph: TraceGraph | undefined = TraceGraph.build(DEFAULT_CATALOG, ...loaded);
  const buildMs = ms(t0);
  const links = graph.edgeCount;
  loaded = undefined;
  const product = { key: 'BENCH', safetyClass: 'C' };
  const settings = { disabled: new Map<string, string>(), severity: new Map<string, 'error'>() };
  evaluateRules(graph, product, packs, settings); // warm-up
  t0 = process.hrtime.bigint();
  const findings = evaluateRules(graph, product, packs, settings).findings.length;
  const checkMs = ms(t0);
  t0 = process.hrtime.bigint();
  const coverage = buildTraceMatrix(graph, DEFAULT_CATALOG, 'UN', 'TC').coverage;
  const matrixMs = ms(t0);
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;

  // One change at the top: a user need gets a new revision; then the suspects are computed on the rebuilt graph.
  await editRecord({ store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } }, { productKey: 'BENCH', record: 'UN-1', baseRevision: 1, body: 'changed at the top' });
  // As the CLI does: one graph at a time (the first is garbage before the second loads).
  graph = undefined;
  graph = TraceGraph.build(DEFAULT_CATALOG, ...(await load()));
  t0 = process.hrtime.bigint();
  const suspects = findSuspectLinks(graph);
  const suspectMs = ms(t0);
  await store.close();
  return {
    dialect, records: n, links, loadQueryMs, buildMs, checkMs, findings, matrixMs,
    coverage, suspectMs, suspects: suspects.length, heapMiB, rssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/** Runs one step in a fresh Node process and returns what it printed as JSON. */
function child<T>(step: string, target: StoreTarget, n: number): T {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--step', step, '--size', String(n), '--target', JSON.stringify(target)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`bench step ${step} failed (exit ${String(r.status)})`);
  return JSON.parse(r.stdout) as T;
}

if (values.step !== undefined) {
  const target = JSON.parse(values.target ?? '{}') as StoreTarget;
  const n = Number(values.size);
  const out = values.step === 'seed' ? await stepSeed(target, n) : await stepMeasure(target, n);
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}

async function measure(dialect: Dialect, n: number, dir: string): Promise<Row> {
  const { target, drop } = targetFor(dialect, n, dir);
  if (dialect === 'sqlite') await drop();
  const { seedMs } = child<{ seedMs: number }>('seed', target, n);
  log(`${dialect} ${n}: seeded in ${(seedMs / 1000).toFixed(1)} s`);
  const row = child<Row>('measure', target, n);
  // An explicit --out keeps the SQLite files (for profiling); PostgreSQL schemas are always dropped.
  if (dialect === 'postgres' || values.out === undefined) await drop();
  return row;
}

const rows: Row[] = [];
if (values.out !== undefined) mkdirSync(values.out, { recursive: true });
const dir = values.out ?? mkdtempSync(join(tmpdir(), 'dossier-bench-trace-'));
try {
  for (const n of sizes) for (const d of dialects) {
    const r = await measure(d, n, dir);
    log(`${d} ${n}: load ${r.loadQueryMs.toFixed(0)} + build ${r.buildMs.toFixed(0)} ms, check ${r.checkMs.toFixed(1)} ms, matrix ${r.matrixMs.toFixed(1)} ms, suspects ${r.suspectMs.toFixed(1)} ms`);
    rows.push(r);
  }
} finally {
  if (values.out === undefined) rmSync(dir, { recursive: true, force: true });
}
const f0 = (x: number): string => Math.round(x).toLocaleString('en');
const f1 = (x: number): string => x.toFixed(1);
console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| database | records | links | cold load: queries (ms) | graph build (ms) | rule check (ms) | findings | matrix UN→TC (ms) | coverage | suspects after 1 change (ms) | suspect links | heap after load (MiB) | peak RSS (MiB) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.dialect} | ${f0(r.records)} | ${f0(r.links)} | ${f0(r.loadQueryMs)} | ${f0(r.buildMs)} | ${f1(r.checkMs)} | ${f0(r.findings)} | ${f1(r.matrixMs)} | ${(r.coverage * 100).toFixed(1)} % | ${f1(r.suspectMs)} | ${f0(r.suspects)} | ${f0(r.heapMiB)} | ${f0(r.rssMiB)} |`);
}

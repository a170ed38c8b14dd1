/**
 * `npm run bench:trace`: the trace engine on synthetic products of 1,000 to 1,000,000 records (three links per
 * record, a few percent missing), on SQLite and PostgreSQL. Reports cold load (queries and graph build apart),
 * full rule check, trace matrix UN → TC, suspect propagation after one change at the top, and peak memory.
 * Options: --sizes 1000,10000,100000,1000000  --only sqlite|postgres  --pg URL
 */
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import type { Link } from '../core/entities.js';
import { appendAudit } from '../core/audit-trail.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { evaluateRules } from '../core/rules/evaluate-rules.js';
import { findSuspectLinks } from '../core/trace/suspect-links.js';
import { TraceGraph } from '../core/trace/trace-graph.js';
import { buildTraceMatrix } from '../core/trace/trace-matrix.js';
import { addRecords } from '../core/use-cases/add-records.js';
import { linkEntityId } from '../core/use-cases/add-links.js';
import { createProduct } from '../core/use-cases/create-product.js';
import { editRecord } from '../core/use-cases/edit-record.js';
import { loadBuiltinPacks } from '../ingest/rule-pack-file.js';
import type { KyselyStore } from '../storage/kysely-store.js';
import { openStore, type StoreTarget } from '../storage/open-store.js';
import type { Dialect } from '../storage/schema.js';
import { syntheticProduct } from './synthetic-product.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000,1000000' },
    only: { type: 'string' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const dialects: Dialect[] = values.only === undefined ? ['sqlite', 'postgres'] : [values.only as Dialect];
const packs = loadBuiltinPacks(DEFAULT_CATALOG);
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** Fills a store: records through the use-case, links straight through the storage port (setup, not measured). */
async function seed(deps: Deps, n: number): Promise<void> {
  await createProduct(deps, { key: 'BENCH', name: 'Synthetic', intendedUse: 'Benchmark', safetyClass: 'C' });
  const shape = syntheticProduct(n, n * 3);
  const ids = new Map<string, number>();
  for (let i = 0; i < shape.records.length; i += 5000) {
    for (const r of await addRecords(deps, { productKey: 'BENCH', records: shape.records.slice(i, i + 5000) })) ids.set(r.key, r.id);
  }
  // Leave a few percent of links out, as real products do (the generator is deterministic).
  const links = shape.links.filter((_, k) => k % 25 !== 7);
  for (let i = 0; i < links.length; i += 20_000) {
    await deps.store.write(async (w) => {
      const at = deps.clock.now();
      let id = (await w.nextIds()).link;
      const rows: Link[] = links.slice(i, i + 20_000).map((l) => ({
        id: id++, productId: 1, type: l.type, fromId: ids.get(l.from) ?? 0, toId: ids.get(l.to) ?? 0, fromRevision: 1, toRevision: 1,
        createdAt: at, createdBy: 'bench', confirmedAt: null, confirmedBy: null, removedAt: null, removedBy: null, removalReason: null,
      }));
      await w.insertLinks(rows);
      await appendAudit(w, deps, at, rows.map((r) => ({ action: 'LINK_CREATED' as const, entityType: 'link' as const, entityId: linkEntityId('BENCH', r.id), productKey: 'BENCH', newValue: { type: r.type, from: r.fromId, to: r.toId } })));
    });
  }
}

interface Row {
  dialect: Dialect; records: number; links: number; loadQueryMs: number; buildMs: number; checkMs: number; findings: number;
  matrixMs: number; coverage: number; suspectMs: number; suspects: number; heapMiB: number; rssMiB: number;
}

async function measure(dialect: Dialect, n: number): Promise<Row> {
  let target: StoreTarget;
  let drop = (): Promise<void> => Promise.resolve();
  if (dialect === 'sqlite') {
    mkdirSync('.bench', { recursive: true });
    const file = `.bench/trace-${n}.db`;
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    target = { dialect, location: file };
    drop = () => {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
      return Promise.resolve();
    };
  } else {
    const schema = `bench_trace_${n}_${Date.now().toString(36)}`;
    target = { dialect, location: values.pg, schema };
    drop = async () => {
      const s = await openStore(target);
      await sql.raw(`drop schema ${schema} cascade`).execute(s.db);
      await s.close();
    };
  }
  let store: KyselyStore = await openStore(target);
  const deps = (): Deps => ({ store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } });
  let t0 = process.hrtime.bigint();
  await seed(deps(), n);
  log(`${dialect} ${n}: seeded in ${(ms(t0) / 1000).toFixed(1)} s`);
  await store.close();

  // Cold: a new connection, nothing cached in the process.
  store = await openStore(target);
  t0 = process.hrtime.bigint();
  const [records, links] = await store.read(async (r) => [await r.loadTraceRecords(1), await r.loadTraceLinks(1)] as const);
  const loadQueryMs = ms(t0);
  t0 = process.hrtime.bigint();
  let graph = TraceGraph.build(DEFAULT_CATALOG, records, links);
  const buildMs = ms(t0);
  const product = { key: 'BENCH', safetyClass: 'C' };
  const settings = { disabled: new Map<string, string>(), severity: new Map<string, 'error'>() };
  evaluateRules(graph, product, packs, settings); // warm-up
  t0 = process.hrtime.bigint();
  const check = evaluateRules(graph, product, packs, settings);
  const checkMs = ms(t0);
  t0 = process.hrtime.bigint();
  const matrix = buildTraceMatrix(graph, DEFAULT_CATALOG, 'UN', 'TC');
  const matrixMs = ms(t0);
  const mem = process.memoryUsage();

  // One change at the top: a user need gets a new revision; then the suspects are computed on the rebuilt graph.
  await editRecord(deps(), { productKey: 'BENCH', record: 'UN-1', baseRevision: 1, body: 'changed at the top' });
  const [r2, l2] = await store.read(async (r) => [await r.loadTraceRecords(1), await r.loadTraceLinks(1)] as const);
  graph = TraceGraph.build(DEFAULT_CATALOG, r2, l2);
  t0 = process.hrtime.bigint();
  const suspects = findSuspectLinks(graph);
  const suspectMs = ms(t0);
  await store.close();
  await drop();
  return {
    dialect, records: n, links: links.length, loadQueryMs, buildMs, checkMs, findings: check.findings.length, matrixMs,
    coverage: matrix.coverage, suspectMs, suspects: suspects.length, heapMiB: mem.heapUsed / 2 ** 20, rssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

const rows: Row[] = [];
for (const n of sizes) for (const d of dialects) {
  const r = await measure(d, n);
  log(`${d} ${n}: load ${r.loadQueryMs.toFixed(0)} + build ${r.buildMs.toFixed(0)} ms, check ${r.checkMs.toFixed(1)} ms, matrix ${r.matrixMs.toFixed(1)} ms, suspects ${r.suspectMs.toFixed(1)} ms`);
  rows.push(r);
}
const f0 = (x: number): string => Math.round(x).toLocaleString('en');
const f1 = (x: number): string => x.toFixed(1);
console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| database | records | links | cold load: queries (ms) | graph build (ms) | rule check (ms) | findings | matrix UN→TC (ms) | coverage | suspects after 1 change (ms) | suspect links | heap after load (MiB) | peak RSS so far (MiB) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.dialect} | ${f0(r.records)} | ${f0(r.links)} | ${f0(r.loadQueryMs)} | ${f0(r.buildMs)} | ${f1(r.checkMs)} | ${f0(r.findings)} | ${f1(r.matrixMs)} | ${(r.coverage * 100).toFixed(1)} % | ${f1(r.suspectMs)} | ${f0(r.suspects)} | ${f0(r.heapMiB)} | ${f0(r.rssMiB)} |`);
}

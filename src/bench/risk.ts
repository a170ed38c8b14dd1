/**
 * `npm run bench:risk`: risk management speed, in process, on SQLite (and PostgreSQL with --pg URL):
 *   re-evaluate   a product with N risk estimates gets a stricter policy: every estimate is re-evaluated and the
 *                 zone moves recorded (`setRiskPolicy`, end to end: load, check, write, audit), and the pure zone
 *                 computation alone
 *   table         the risk file for N risks (`getRiskTable`: load the graph and test verdicts, analyse) and the text table
 * Prints a Markdown table to paste into BENCHMARKS.md. Options: --risks 50000,10000, --pg URL, --keep DIR (keep the
 * SQLite files there, for profiling).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { DEFAULT_RISK_POLICY, type RiskPolicy } from '../core/risk/policy.js';
import { addLinks, type NewLink } from '../app/use-cases/add-links.js';
import { addRecords, type NewRecord } from '../app/use-cases/add-records.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { getRiskTable } from '../app/use-cases/get-risk-table.js';
import { setRiskPolicy } from '../app/use-cases/set-risk-policy.js';
import { zonesUnder } from '../app/services/risk-zones.js';
import { table } from '../cli/output.js';
import { renderRiskTable } from '../export/risk-views.js';
import { openStore, parseStoreTarget } from '../storage/open-store.js';

const { values } = parseArgs({ options: { risks: { type: 'string' }, pg: { type: 'string' }, keep: { type: 'string' } } });
const now = (): number => performance.now() / 1000;
const SEV = ['S1', 'S2', 'S3', 'S4', 'S5'];
const PROB = ['P1', 'P2', 'P3', 'P4', 'P5'];

/** A risk file of `n` estimates: 5 per hazardous situation, 50 harms, a control per situation with its requirement and test. */
async function seedRisks(deps: Deps, n: number): Promise<void> {
  const hs = Math.ceil(n / 5);
  const haz = Math.ceil(hs / 10);
  const batch = async (records: NewRecord[]): Promise<void> => {
    for (let i = 0; i < records.length; i += 20_000) await addRecords(deps, { productKey: 'BEN', records: records.slice(i, i + 20_000) });
  };
  const links = async (all: NewLink[]): Promise<void> => {
    for (let i = 0; i < all.length; i += 20_000) await addLinks(deps, { productKey: 'BEN', links: all.slice(i, i + 20_000) });
  };
  await setRiskPolicy(deps, { productKey: 'BEN', policy: DEFAULT_RISK_POLICY });
  await batch(Array.from({ length: haz }, (_, i) => ({ type: 'HAZ', title: `Hazard ${i}`, fields: { category: 'technical' } })));
  await batch(Array.from({ length: hs }, (_, i) => ({ type: 'HS', title: `Situation ${i}` })));
  await batch(Array.from({ length: 50 }, (_, i) => ({ type: 'HARM', title: `Harm ${i}` })));
  await batch(Array.from({ length: hs }, (_, i) => ({ type: 'RC', title: `Control ${i}`, fields: { option: 'protective_measure' } })));
  await batch(Array.from({ length: hs }, (_, i) => ({ type: 'SRS', title: `Control requirement ${i}`, fields: { riskControl: true } })));
  await batch(Array.from({ length: hs }, (_, i) => ({ type: 'TC', title: `Control test ${i}`, fields: { level: 'integration' } })));
  await batch(
    Array.from({ length: n }, (_, i) => ({
      type: 'RISK',
      title: `Risk ${i}`,
      fields: {
        severity: SEV[(i * 7) % 5],
        probability: PROB[(i * 3) % 5],
        ...(i % 3 === 0 ? {} : { residualSeverity: SEV[(i * 7) % 5], residualProbability: 'P1' }),
      },
    })),
  );
  const all: NewLink[] = [];
  for (let h = 1; h <= hs; h++) {
    all.push({ from: `HAZ-${Math.ceil(h / 10)}`, type: 'leads_to', to: `HS-${h}` }, { from: `RC-${h}`, type: 'mitigates', to: `HS-${h}` }, { from: `SRS-${h}`, type: 'implements', to: `RC-${h}` }, { from: `TC-${h}`, type: 'verifies', to: `SRS-${h}` });
  }
  for (let r = 1; r <= n; r++) all.push({ from: `RISK-${r}`, type: 'assesses', to: `HS-${Math.ceil(r / 5)}` }, { from: `RISK-${r}`, type: 'assesses', to: `HARM-${(r % 50) + 1}` });
  await links(all);
}

/** Stricter: S3 × P1 and S2 × P3 are no longer acceptable. */
const STRICTER: RiskPolicy = {
  ...DEFAULT_RISK_POLICY,
  matrix: { ...DEFAULT_RISK_POLICY.matrix, S3: { ...DEFAULT_RISK_POLICY.matrix['S3'], P1: 'reduce' }, S2: { ...DEFAULT_RISK_POLICY.matrix['S2'], P3: 'reduce' } },
};

interface Row {
  readonly measure: string;
  readonly risks: number;
  readonly database: string;
  readonly sec: number;
  readonly note: string;
}

async function run(db: string, n: number, dir: string): Promise<Row[]> {
  const database = db.startsWith('postgres') ? 'postgres' : 'sqlite';
  const schema = `bench_risk_${process.pid}_${n}`;
  const target = database === 'postgres' ? `${db}?schema=${schema}` : join(values.keep ?? dir, `risk-${n}.db`);
  const store = await openStore(parseStoreTarget(target));
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
  const rows: Row[] = [];
  try {
    await createProduct(deps, { key: 'BEN', name: 'Bench', intendedUse: 'Benchmark product.', safetyClass: 'B' });
    const t0 = now();
    await seedRisks(deps, n);
    process.stderr.write(`seeded ${n} risks on ${database} in ${(now() - t0).toFixed(1)} s\n`);

    const risks = await store.read(async (r) => {
      const p = await r.findProduct('BEN');
      return (await r.loadTraceRecords(p?.id ?? 0)).filter((x) => x.type === 'RISK').map((x) => ({ key: `RISK-${x.number}`, fields: x.fields }));
    });
    let t = now();
    const zones = zonesUnder(STRICTER, risks);
    rows.push({ measure: 'zones of every estimate under a new policy (pure)', risks: n, database: '-', sec: now() - t, note: `${zones.size.toLocaleString('en')} estimates` });
    t = now();
    const change = await setRiskPolicy(deps, { productKey: 'BEN', policy: STRICTER, reason: 'bench' });
    rows.push({ measure: 'risk policy set (load, check, write, re-evaluate, audit)', risks: n, database, sec: now() - t, note: `${change.evaluated.toLocaleString('en')} estimates, ${change.moves.length.toLocaleString('en')} moved` });
    t = now();
    const view = await getRiskTable(deps, { productKey: 'BEN' });
    const fileSec = now() - t;
    rows.push({ measure: 'risk file (load graph and verdicts, analyse)', risks: n, database, sec: fileSec, note: `${view.rows.length.toLocaleString('en')} rows` });
    t = now();
    const text = renderRiskTable(view, table);
    rows.push({ measure: 'risk table text from the risk file', risks: n, database: '-', sec: now() - t, note: `${(text.length / 2 ** 20).toFixed(1)} MiB` });
  } finally {
    if (database === 'postgres') await sql.raw(`drop schema if exists ${schema} cascade`).execute(store.db);
    await store.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const sizes = (values.risks ?? '50000,10000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-risk-'));
  const rows: Row[] = [];
  try {
    for (const n of sizes) {
      rows.push(...(await run('sqlite', n, dir)));
      if (values.pg !== undefined) rows.push(...(await run(values.pg, n, dir)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`);
  console.log('| measure | risks | database | seconds | note |');
  console.log('|---|---:|---|---:|---|');
  for (const r of rows) console.log(`| ${r.measure} | ${r.risks.toLocaleString('en')} | ${r.database} | ${r.sec.toFixed(3)} | ${r.note} |`);
}

await main();

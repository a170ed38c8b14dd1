/**
 * `npm run bench:docs-reqif`: ReqIF export and import at the scale of the 26,000-item project (1,000 SYS, 5,000 SRS,
 * 20,000 TC, about 31,000 links; `--scale 10` for 260,000). A product is filled through `record.import`, then timed:
 * reading it (`record.export`), writing ReqIF, reading the ReqIF back (parse, check, map), and importing it into a
 * fresh product. Prints seconds per step, the file size and the peak resident memory. Writes only under the
 * system temp folder (or a throwaway PostgreSQL schema).
 * Options: --scale N (1)  --only sqlite|postgres  --pg URL
 */
import { parseArgs } from 'node:util';
import { createProduct } from '../app/use-cases/create-product.js';
import { exportRecords } from '../app/use-cases/export-records.js';
import { importRecords } from '../app/use-cases/import-records.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import type { ImportLink, ImportRecord } from '../core/interchange/plan.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { writeReqif } from '../export/reqif.js';
import { readReqif, reqifToPlan } from '../ingest/reqif.js';
import { withDefaults } from '../ingest/reqif-map.js';
import type { Dialect } from '../storage/schema.js';
import { benchStore } from './bench-store.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    only: { type: 'string' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const SCALE = Number(values.scale);

function plan(): { records: ImportRecord[]; links: ImportLink[] } {
  const records: ImportRecord[] = [];
  const links: ImportLink[] = [];
  const [sys, srs, tc] = [1000 * SCALE, 5000 * SCALE, 20000 * SCALE];
  for (let i = 1; i <= sys; i++) records.push({ ref: `SYS${i}`, type: 'SYS', title: `System requirement ${i}`, body: `The system **shall** do thing ${i}.`, fields: { priority: 'must', externalId: `SYS${i}` } });
  for (let i = 1; i <= srs; i++) {
    records.push({ ref: `SRS${i}`, type: 'SRS', title: `Software requirement ${i}`, body: `The software shall:\n\n- handle case ${i}\n- log it`, fields: { riskControl: i % 10 === 0, externalId: `SRS${i}` } });
    links.push({ from: `SRS${i}`, type: 'derives_from', to: `SYS${1 + (i % sys)}` });
  }
  for (let i = 1; i <= tc; i++) {
    records.push({ ref: `TST${i}`, type: 'TC', title: `Test ${i}`, body: `Check case ${i}.`, fields: { level: 'system', automated: true, externalId: `TST${i}` } });
    links.push({ from: `TST${i}`, type: 'verifies', to: `SRS${1 + (i % srs)}` });
  }
  // Leave 200 SRS unverified in the real project; here a few extra links bring the total near 31,000.
  for (let i = 1; i <= 6000 * SCALE && links.length < 31000 * SCALE; i++) links.push({ from: `TST${i}`, type: 'verifies', to: `SRS${1 + ((i + 7) % srs)}` });
  return { records, links };
}

async function time<T>(label: string, f: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const r = await f();
  process.stdout.write(`  ${label.padEnd(36)} ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
  return r;
}

async function run(dialect: Dialect): Promise<void> {
  const { store, cleanup } = await benchStore(dialect, 'reqif', values.pg);
  try {
    const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
    await createProduct(deps, { key: 'SRC', name: 'Source', intendedUse: 'Benchmark.', safetyClass: 'B' });
    await createProduct(deps, { key: 'DST', name: 'Copy', intendedUse: 'Benchmark.', safetyClass: 'B' });
    const p = plan();
    process.stdout.write(`${dialect}: ${p.records.length} records, ${p.links.length} links\n`);
    await time('fill (record.import)', () => importRecords(deps, { productKey: 'SRC', plan: p, source: 'bench' }));
    const map = withDefaults(undefined, DEFAULT_CATALOG);
    const data = await time('read (record.export)', () => exportRecords(deps, { productKey: 'SRC' }));
    const xml = await time('write ReqIF', () => writeReqif(data, map, DEFAULT_CATALOG));
    process.stdout.write(`  file size                            ${(Buffer.byteLength(xml) / 1e6).toFixed(1)} MB\n`);
    const doc = await time('parse and check ReqIF', () => readReqif(xml, 'bench.reqif'));
    const read = await time('map to a plan', () => reqifToPlan(doc, map, DEFAULT_CATALOG));
    if (read.problems.length > 0) throw new Error(`problems: ${read.problems[0]?.message ?? ''}`);
    const r = await time('import into a fresh product', () => importRecords(deps, { productKey: 'DST', plan: read.plan, source: 'bench.reqif' }));
    process.stdout.write(`  created ${r.created.length} records, ${r.linksAdded.length} links; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
  } finally {
    await store.close();
    await cleanup();
  }
}

for (const d of ['sqlite', 'postgres'] as const) {
  if (values.only === undefined || values.only === d) await run(d);
}

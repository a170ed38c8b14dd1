/**
 * `npm run bench:docs-core`: how long the technical file of a large product takes to build in process (SQLite, under
 * the system temp folder): `docs.list` (every document, to count gaps) and `docs.build` (every document and a page
 * per record), on the current state and on a frozen release. Options: --records 26000 (default), --links 83000.
 */
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { addLinks } from '../app/use-cases/add-links.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { buildDocuments } from '../app/use-cases/build-documents.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { createRelease } from '../app/use-cases/create-release.js';
import { listGeneratedDocuments } from '../app/use-cases/list-generated-documents.js';
import { shippedTemplates } from '../ingest/document-templates.js';
import { loadBuiltinPacks } from '../ingest/rule-pack-file.js';
import { benchStore } from './bench-store.js';
import { syntheticProduct } from './synthetic-product.js';

const { values } = parseArgs({ options: { records: { type: 'string' }, links: { type: 'string' } } });
const records = Number(values.records ?? 26_000);
const linkCount = Number(values.links ?? Math.round(records * 3.2));
const secs = (t0: number): string => ((performance.now() - t0) / 1000).toFixed(2);

const { store, cleanup } = await benchStore('sqlite', 'docs-core', '');
try {
  const deps: Deps = { store, catalog: DEFAULT_CATALOG, clock: SYSTEM_CLOCK, actor: { id: 'bench' } };
  await createProduct(deps, { key: 'BEN', name: 'Bench product', intendedUse: 'Benchmarking generated documents.', safetyClass: 'C' });
  const p = syntheticProduct(records, linkCount);
  for (let i = 0; i < p.records.length; i += 20_000) await addRecords(deps, { productKey: 'BEN', records: p.records.slice(i, i + 20_000) });
  for (let i = 0; i < p.links.length; i += 20_000) await addLinks(deps, { productKey: 'BEN', links: p.links.slice(i, i + 20_000) });
  await createRelease(deps, { productKey: 'BEN', version: '1.0.0' });
  const sources = { builtinPacks: loadBuiltinPacks(DEFAULT_CATALOG), shippedTemplates: shippedTemplates() };
  const rows: string[] = [];
  for (const release of [undefined, '1.0.0']) {
    const what = release === undefined ? 'now' : `release ${release}`;
    let t0 = performance.now();
    const l = await listGeneratedDocuments(deps, sources, { productKey: 'BEN', ...(release === undefined ? {} : { release }) });
    rows.push(`| docs.list, ${what} | ${l.documents.length} documents | ${secs(t0)} s |`);
    t0 = performance.now();
    const f = await buildDocuments(deps, sources, { productKey: 'BEN', ...(release === undefined ? {} : { release }) });
    const size = Buffer.byteLength(JSON.stringify(f));
    rows.push(`| docs.build, ${what} | ${f.documents.length} documents, ${f.records.length} record pages, ${(size / 1e6).toFixed(0)} MB as JSON | ${secs(t0)} s |`);
  }
  process.stdout.write(
    `Generated documents, ${p.records.length} records and ${p.links.length} links, SQLite (${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${new Date().toISOString().slice(0, 10)}; peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB)\n\n| step | what | time |\n|---|---|---|\n${rows.join('\n')}\n`,
  );
} finally {
  await cleanup();
}

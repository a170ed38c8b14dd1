/**
 * `npm run bench:docs-sync`: Markdown folders at scale. Seeds a synthetic product (`synthetic-product.ts`: 26,000
 * records and about 31,000 links by default) in a SQLite store under the system temp folder, then runs the built
 * `dossier` as a child process, as a user does, and times: `export md` of the whole product, `sync` of the untouched
 * folder, and `sync` after one file was edited (a new revision each run); `export md` into a new folder and again
 * into its own earlier export. Wall and CPU time (median of --runs, start-up included) and peak memory (max RSS, from
 * /usr/bin/time) per command; `dossier --help` gives the start-up alone. CPU time is the steadier figure on a
 * shared machine.
 * Options: --records 26000 (a comma list, e.g. 26000,260000: the last line gives the ratio)  --runs 5  --keep
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { addLinks } from '../app/use-cases/add-links.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { openStore } from '../storage/open-store.js';
import { median } from './bench-store.js';
import { syntheticProduct } from './synthetic-product.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '26000' },
    runs: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});
const scales = values.records.split(',').map(Number);
const runs = Number(values.runs);
if (scales.some((s) => !Number.isInteger(s) || s < 100) || !Number.isInteger(runs) || runs < 1) throw new Error('--records takes whole numbers ≥ 100, --runs a whole number ≥ 1');

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** Runs the built CLI under /usr/bin/time: wall and CPU (user + system) milliseconds, max RSS in MB. */
function timed(db: string, args: readonly string[], expectCode = 0): { ms: number; cpu: number; mb: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, CLI, '--db', db, '--actor', 'bench', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== expectCode) throw new Error(`dossier ${args.join(' ')} exited ${r.status}: ${r.stdout}\n${r.stderr}`);
  const [kb, user, sys] = (r.stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { ms, cpu: ((user ?? 0) + (sys ?? 0)) * 1000, mb: (kb ?? 0) / 1024, out: r.stdout };
}

async function seed(db: string, n: number): Promise<void> {
  const store = await openStore({ dialect: 'sqlite', location: db });
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
  try {
    await createProduct(deps, { key: 'BENCH', name: 'Synthetic product', intendedUse: 'Benchmark', safetyClass: 'C' });
    const shape = syntheticProduct(n, Math.round(n * 1.2));
    for (let i = 0; i < shape.records.length; i += 5000) await addRecords(deps, { productKey: 'BENCH', records: shape.records.slice(i, i + 5000) });
    for (let i = 0; i < shape.links.length; i += 5000) await addLinks(deps, { productKey: 'BENCH', links: shape.links.slice(i, i + 5000) });
    log(`seeded ${shape.records.length} records, ${shape.links.length} links`);
  } finally {
    await store.close();
  }
}

/** One command's figures: median wall and CPU milliseconds, highest peak memory. */
interface Timing {
  ms: number;
  cpu: number;
  mb: number;
}

interface Figures {
  records: number;
  exportNew: Timing;
  exportAgain: Timing;
  untouched: Timing;
  oneChanged: Timing;
}

function summary(rs: readonly { ms: number; cpu: number; mb: number }[]): Timing {
  return { ms: median(rs.map((r) => r.ms)), cpu: median(rs.map((r) => r.cpu)), mb: Math.max(...rs.map((r) => r.mb)) };
}

const cell = (t: Timing): string => `${t.ms.toFixed(0)} ms (CPU ${t.cpu.toFixed(0)} ms) | ${t.mb.toFixed(0)} MB`;

async function scale(n: number): Promise<Figures> {
  const root = mkdtempSync(join(tmpdir(), 'dossier-docs-sync-bench-'));
  const db = join(root, 'bench.db');
  const folder = join(root, 'folder');
  try {
    await seed(db, n);
    const exportNew = Array.from({ length: runs }, (_, k) => timed(db, ['export', 'md', `${folder}-${k}`]));
    for (let k = 0; k < runs; k++) rmSync(`${folder}-${k}`, { recursive: true, force: true });
    timed(db, ['export', 'md', folder]);
    const exportAgain = Array.from({ length: runs }, () => timed(db, ['export', 'md', folder]));
    const untouched = Array.from({ length: runs }, () => timed(db, ['sync', folder]));
    const file = join(folder, 'SRS', 'SRS-1.md');
    const changed = Array.from({ length: runs }, (_, k) => {
      writeFileSync(file, `${readFileSync(file, 'utf8')}Edited in run ${k + 1}.\n`);
      const r = timed(db, ['sync', folder]);
      if (!/1 revised/.test(r.out)) throw new Error(`sync did not revise SRS-1:\n${r.out}`);
      return r;
    });
    return { records: n, exportNew: summary(exportNew), exportAgain: summary(exportAgain), untouched: summary(untouched), oneChanged: summary(changed) };
  } finally {
    if (values.keep) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

const startup = median(Array.from({ length: 5 }, () => {
  const t0 = performance.now();
  spawnSync(process.execPath, [CLI, '--help']);
  return performance.now() - t0;
}));
console.log(`Markdown folder export and sync, whole processes (median of ${runs}; node ${process.version}; ${cpus().length} cores; start-up alone ${startup.toFixed(0)} ms)`);
console.log('| records | export md, new folder | peak | export md again | peak | sync, untouched | peak | sync, one file changed | peak |');
console.log('|---|---|---|---|---|---|---|---|---|');
const all: Figures[] = [];
for (const n of scales) {
  const f = await scale(n);
  all.push(f);
  console.log(`| ${n} | ${cell(f.exportNew)} | ${cell(f.exportAgain)} | ${cell(f.untouched)} | ${cell(f.oneChanged)} |`);
}
const [first, last] = [all[0], all.at(-1)];
if (all.length > 1 && first !== undefined && last !== undefined) {
  const ratio = (a: Timing, b: Timing): string => `${(b.ms / a.ms).toFixed(1)}× (CPU ${(b.cpu / a.cpu).toFixed(1)}×)`;
  console.log(
    `growth ${first.records} → ${last.records}: export new ${ratio(first.exportNew, last.exportNew)}, export again ${ratio(first.exportAgain, last.exportAgain)}, ` +
      `sync untouched ${ratio(first.untouched, last.untouched)}, sync one changed ${ratio(first.oneChanged, last.oneChanged)}`,
  );
}

/**
 * `npm run bench:docs-sync`: Markdown folders at scale. Seeds a synthetic product (`synthetic-product.ts`: 26,000
 * records and about 31,000 links by default) in a SQLite store under the system temp folder, then runs the built
 * `dossier` as a child process, as a user does, and times: `export md` of the whole product, `sync` of the untouched
 * folder, and `sync` after one file was edited (a new revision each run). Wall time (median of --runs, start-up
 * included) and peak memory (max RSS, from /usr/bin/time) per command; `dossier --version` gives the start-up alone.
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

/** Runs the built CLI under /usr/bin/time: wall milliseconds and max RSS in MB. */
function timed(db: string, args: readonly string[], expectCode = 0): { ms: number; mb: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, '--db', db, '--actor', 'bench', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== expectCode) throw new Error(`dossier ${args.join(' ')} exited ${r.status}: ${r.stdout}\n${r.stderr}`);
  const kb = Number(r.stderr.trim().split('\n').at(-1));
  return { ms, mb: kb / 1024, out: r.stdout };
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

interface Figures {
  records: number;
  exportMs: number;
  exportMb: number;
  untouchedMs: number;
  untouchedMb: number;
  oneChangedMs: number;
  oneChangedMb: number;
}

async function scale(n: number): Promise<Figures> {
  const root = mkdtempSync(join(tmpdir(), 'dossier-docs-sync-bench-'));
  const db = join(root, 'bench.db');
  const folder = join(root, 'folder');
  try {
    await seed(db, n);
    const exports = Array.from({ length: runs }, () => timed(db, ['export', 'md', folder]));
    const untouched = Array.from({ length: runs }, () => timed(db, ['sync', folder]));
    const file = join(folder, 'SRS', 'SRS-1.md');
    const changed = Array.from({ length: runs }, (_, k) => {
      writeFileSync(file, `${readFileSync(file, 'utf8')}Edited in run ${k + 1}.\n`);
      const r = timed(db, ['sync', folder]);
      if (!/1 revised/.test(r.out)) throw new Error(`sync did not revise SRS-1:\n${r.out}`);
      return r;
    });
    const f: Figures = {
      records: n,
      exportMs: median(exports.map((r) => r.ms)),
      exportMb: Math.max(...exports.map((r) => r.mb)),
      untouchedMs: median(untouched.map((r) => r.ms)),
      untouchedMb: Math.max(...untouched.map((r) => r.mb)),
      oneChangedMs: median(changed.map((r) => r.ms)),
      oneChangedMb: Math.max(...changed.map((r) => r.mb)),
    };
    return f;
  } finally {
    if (values.keep) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

const startup = median(Array.from({ length: 5 }, () => {
  const t0 = performance.now();
  spawnSync(process.execPath, [CLI, '--version']);
  return performance.now() - t0;
}));
console.log(`Markdown folder export and sync, whole processes (median of ${runs}; node ${process.version}; ${cpus().length} cores; start-up alone ${startup.toFixed(0)} ms)`);
console.log('| records | export md | peak | sync, untouched | peak | sync, one file changed | peak |');
console.log('|---|---|---|---|---|---|---|');
const all: Figures[] = [];
for (const n of scales) {
  const f = await scale(n);
  all.push(f);
  console.log(`| ${n} | ${f.exportMs.toFixed(0)} ms | ${f.exportMb.toFixed(0)} MB | ${f.untouchedMs.toFixed(0)} ms | ${f.untouchedMb.toFixed(0)} MB | ${f.oneChangedMs.toFixed(0)} ms | ${f.oneChangedMb.toFixed(0)} MB |`);
}
const [first, last] = [all[0], all.at(-1)];
if (all.length > 1 && first !== undefined && last !== undefined) {
  const ratio = (a: number, b: number): string => `${(b / a).toFixed(1)}×`;
  console.log(`growth ${first.records} → ${last.records}: export ${ratio(first.exportMs, last.exportMs)}, sync untouched ${ratio(first.untouchedMs, last.untouchedMs)}, sync one changed ${ratio(first.oneChangedMs, last.oneChangedMs)}`);
}

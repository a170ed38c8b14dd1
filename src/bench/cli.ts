/**
 * `npm run bench:cli`: whole `dossier` processes, as a user or a CI job runs them, start-up included. Builds in a temp
 * folder the synthetic project of `../shared/bench/` (SYS ← SRS ← TC with 1,000 / 5,000 / 20,000 items per scale;
 * 5 % of SYS have no SRS, 3 % of SRS have no TC; 30 % of tests verify two requirements; fixed, no randomness) on
 * SQLite, through the use-cases, and times each command as a child process: median of --runs runs after one warm-up.
 * With several scales it prints the ratio of the largest to the smallest (the scaling target: ≤ 12× for 10× items).
 * Options: --scales 1 (e.g. 1,10)  --runs 7  --keep (leave the temp folder and say where)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { appendAudit } from '../core/audit-trail.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import type { Link } from '../core/entities.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { linkEntityId } from '../core/record-writes.js';
import type { NewRecord } from '../app/use-cases/add-records.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { openStore } from '../storage/open-store.js';

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '1' },
    runs: { type: 'string', default: '7' },
    keep: { type: 'boolean', default: false },
  },
});
const scales = values.scales.split(',').map(Number);
const runs = Number(values.runs);
if (scales.some((s) => !Number.isInteger(s) || s < 1) || !Number.isInteger(runs) || runs < 1) throw new Error('--scales takes whole numbers ≥ 1, --runs a whole number ≥ 1');

/** The built CLI, as `npm run build` leaves it (bundled). */
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** The synthetic project at one scale: records in creation order (numbers follow) and links by record key. */
function project(scale: number): { records: NewRecord[]; links: [string, string, string][] } {
  const n = { SYS: 1000 * scale, SRS: 5000 * scale, TC: 20000 * scale };
  const records: NewRecord[] = [];
  for (const [type, count] of Object.entries(n)) {
    const fields = type === 'TC' ? { level: 'system', steps: [{ action: 'run', expected: 'passes' }] } : {};
    for (let i = 1; i <= count; i++) records.push({ type, title: `${type} item ${i}`, body: `The ${type} item ${i} shall do what its parent asks.`, fields });
  }
  const links: [string, string, string][] = [];
  // SRS k derives from SYS (k mod 95 %): the last 5 % of SYS have none.
  const sysCovered = Math.floor(n.SYS * 0.95);
  for (let i = 0; i < n.SRS; i++) links.push([`SRS-${i + 1}`, 'derives_from', `SYS-${(i % sysCovered) + 1}`]);
  // TC k verifies SRS (k mod 97 %), and 3 in 10 a second one: the last 3 % of SRS have none.
  const srsCovered = Math.floor(n.SRS * 0.97);
  for (let i = 0; i < n.TC; i++) {
    const first = i % srsCovered;
    links.push([`TC-${i + 1}`, 'verifies', `SRS-${first + 1}`]);
    const second = (i * 7 + 3) % srsCovered;
    if (i % 10 < 3 && second !== first) links.push([`TC-${i + 1}`, 'verifies', `SRS-${second + 1}`]);
  }
  return { records, links };
}

/** Fills a new SQLite store: records through the use-case, links straight through the storage port with their audit events. */
async function seed(file: string, scale: number): Promise<{ records: number; links: number }> {
  const store = await openStore({ dialect: 'sqlite', location: file });
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
  try {
    await createProduct(deps, { key: 'BENCH', name: 'Synthetic', intendedUse: 'Benchmark', safetyClass: 'C' });
    const shape = project(scale);
    const ids = new Map<string, number>();
    for (let i = 0; i < shape.records.length; i += 5000) {
      for (const r of await addRecords(deps, { productKey: 'BENCH', records: shape.records.slice(i, i + 5000) })) ids.set(r.key, r.id);
    }
    for (let i = 0; i < shape.links.length; i += 20_000) {
      await store.write(async (w) => {
        const at = deps.clock.now();
        let id = (await w.nextIds()).link;
        const batch = shape.links.slice(i, i + 20_000);
        const rows: Link[] = batch.map(([from, type, to]) => ({
          id: id++, productId: 1, type, fromId: ids.get(from) ?? 0, toId: ids.get(to) ?? 0, fromRevision: 1, toRevision: 1,
          createdAt: at, createdBy: 'bench', confirmedAt: null, confirmedBy: null, removedAt: null, removedBy: null, removalReason: null,
        }));
        await w.insertLinks(rows);
        await appendAudit(w, deps, at, rows.map((r, k) => ({
          action: 'LINK_CREATED' as const, entityType: 'link' as const, entityId: linkEntityId('BENCH', r.id), productKey: 'BENCH',
          newValue: { type: r.type, from: batch[k]?.[0], fromRevision: 1, to: batch[k]?.[2], toRevision: 1 },
        })));
      });
    }
    return { records: shape.records.length, links: shape.links.length };
  } finally {
    await store.close();
  }
}

/** Runs the CLI once; its output is thrown away (not timed through a pipe). Exit codes other than `ok` are refused. */
function once(args: readonly string[], ok: readonly number[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status === null || !ok.includes(r.status)) throw new Error(`dossier ${args.join(' ')} exited ${String(r.status ?? r.signal)}: ${r.stderr}`);
  return ms;
}

/** Median of `runs` timed runs after one warm-up (which also fills the page cache). */
function median(args: readonly string[], ok: readonly number[] = [0]): number {
  once(args, ok);
  const times = Array.from({ length: runs }, () => once(args, ok)).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-cli-'));
try {
  const small = join(dir, 'small.db');
  once(['--db', small, 'demo'], [0]);
  const rows: { command: string; ms: number[] }[] = [
    { command: 'dossier --help', ms: [median(['--help'])] },
    { command: 'dossier record show SRS-1 (demo store)', ms: [median(['--db', small, 'record', 'show', 'SRS-1', '--product', 'RPM'])] },
  ];
  const perScale: { command: string; args: (db: string) => string[]; ok: number[] }[] = [
    { command: 'dossier check', args: (db) => ['--db', db, 'check'], ok: [0, 1] },
    { command: 'dossier trace matrix --from SYS --to TC', args: (db) => ['--db', db, 'trace', 'matrix', '--from', 'SYS', '--to', 'TC'], ok: [0] },
    { command: 'dossier trace suspects', args: (db) => ['--db', db, 'trace', 'suspects'], ok: [0, 1] },
    { command: 'dossier audit verify', args: (db) => ['--db', db, 'audit', 'verify'], ok: [0] },
    { command: 'dossier export json --out FILE', args: (db) => ['--db', db, 'export', 'json', '--out', join(dir, 'export.json')], ok: [0] },
  ];
  const sizes: string[] = [];
  for (const c of perScale) rows.push({ command: c.command, ms: [] });
  for (const scale of scales) {
    const db = join(dir, `scale-${scale}.db`);
    const t0 = process.hrtime.bigint();
    const made = await seed(db, scale);
    log(`scale ${scale}: ${made.records.toLocaleString('en')} records, ${made.links.toLocaleString('en')} links seeded in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(0)} s`);
    sizes.push(`${made.records.toLocaleString('en')} items`);
    perScale.forEach((c, k) => {
      const ms = median(c.args(db), c.ok);
      rows[k + 2]?.ms.push(ms);
      log(`  ${c.command}: ${ms.toFixed(0)} ms`);
    });
  }
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; load ${load}`);
  console.log(`Whole processes on SQLite, median of ${runs} runs (ms).\n`);
  const ratio = scales.length > 1;
  console.log(`| command | ${sizes.join(' | ')}${ratio ? ` | ${scales.at(-1) ?? ''}×/${scales[0] ?? ''}× ratio |` : ' |'}`);
  console.log(`|---|${sizes.map(() => '---:').join('|')}|${ratio ? '---:|' : ''}`);
  for (const r of rows) {
    const cells = r.ms.length === 1 && scales.length > 1 ? [r.ms[0] ?? 0, ...sizes.slice(1).map(() => NaN)] : r.ms;
    const first = r.ms[0] ?? 0;
    const last = r.ms.at(-1) ?? 0;
    const shown = cells.map((m) => (Number.isNaN(m) ? '' : Math.round(m).toLocaleString('en')));
    console.log(`| ${r.command} | ${shown.join(' | ')} |${ratio ? ` ${r.ms.length > 1 ? `${(last / first).toFixed(1)}×` : ''} |` : ''}`);
  }
} finally {
  if (values.keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

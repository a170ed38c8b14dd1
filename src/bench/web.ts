/**
 * `npm run bench:web`: the web app in Debian's Chromium on a product of 100,000 records (about three links each):
 * time to the first rows of the records list and of the trace matrix (from navigation start, the Performance API's
 * clock), long tasks (> 50 ms) while scrolling each, and the size of what the first page loads.
 * Options: --records N (default 100000)  --runs N (default 3)  --keep DIR (reuse DIR/web-N.db)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK } from '../core/ports.js';
import { openStore } from '../storage/open-store.js';
import { median } from './bench-store.js';
import { seedTraceProduct } from './seed-trace-product.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' }, keep: { type: 'string' } } });
const N = Number(values.records);
const RUNS = Number(values.runs);
const DIST = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(DIST, 'cli/main.js');
const USER = { username: 'bench.admin', password: 'bench-admin-password-1' };
const log = (s: string): void => void process.stderr.write(`${s}\n`);

/** The pages measured: where, and what shows they are ready (a data row of their table). */
const PAGES = [
  { label: 'records list', path: '/p/BENCH/records', region: 'records' },
  { label: 'trace matrix SRS → TC', path: '/p/BENCH/trace/matrix?rows=SRS&cols=TC', region: 'matrix' },
] as const;
const FIRST_ROW = 'main table tbody tr[data-index]';

async function seeded(): Promise<{ db: string; cleanup: () => void }> {
  const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'dossier-web-bench-'));
  mkdirSync(dir, { recursive: true });
  const db = join(dir, `web-${N}.db`);
  if (!existsSync(db)) {
    const t0 = Date.now();
    const store = await openStore({ dialect: 'sqlite', location: db });
    await seedTraceProduct({ store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } }, N);
    await store.close();
    const made = spawnSync(process.execPath, [CLI, '--db', db, 'user', 'create', USER.username, '--name', 'Bench Admin', '--admin', '--password-stdin'], { input: `${USER.password}\n` });
    if (made.status !== 0) throw new Error(`user create failed: ${made.stderr.toString()}`);
    log(`seeded ${N} records in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  return { db, cleanup: () => (values.keep === undefined ? rmSync(dir, { recursive: true, force: true }) : undefined) };
}

function serve(db: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [CLI, '--db', db, 'serve', '--port', '0', '--login-limit', '1000'], { env: { ...process.env, DOSSIER_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving (http:\/\/\S+)/.exec(err);
      if (m?.[1] !== undefined) resolve({ url: m[1], stop: () => child.kill('SIGTERM') });
    });
    child.on('close', () => reject(new Error(`serve ended: ${err}`)));
  });
}

/**
 * Scrolls the page's table region to the end in steps, one per frame, and returns the long tasks seen meanwhile.
 * (Runs in the page: written as text, since this program is compiled without the DOM's types.)
 */
const SCROLL_SCRIPT = `(async () => {
  const region = document.querySelector('main [role="region"]');
  if (region === null) throw new Error('no scrolling table region');
  const tasks = [];
  const obs = new PerformanceObserver((l) => l.getEntries().forEach((e) => tasks.push(e.duration)));
  obs.observe({ type: 'longtask', buffered: false });
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  let steps = 0;
  // 300 frames of one screen each, then a jump to the end and back (a user dragging the scroll bar).
  for (; steps < 300; steps++) { region.scrollTop += region.clientHeight; await frame(); }
  region.scrollTop = region.scrollHeight; await frame(); await frame();
  region.scrollTop = 0; await frame(); await frame();
  await new Promise((r) => setTimeout(r, 200));
  obs.disconnect();
  return { longTasks: tasks.length, worstMs: Math.round(Math.max(0, ...tasks)), steps };
})()`;

async function scrollLongTasks(page: Page): Promise<{ longTasks: number; worstMs: number; steps: number }> {
  return page.evaluate<{ longTasks: number; worstMs: number; steps: number }>(SCROLL_SCRIPT);
}

async function main(): Promise<void> {
  const { db, cleanup } = await seeded();
  const server = await serve(db);
  const browser = await chromium.launch({
    executablePath: process.env['DOSSIER_CHROMIUM'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const login = await context.request.post(`${server.url}/api/v1/session`, { data: USER });
    if (!login.ok()) throw new Error(`login failed: ${await login.text()}`);
    const rows: string[] = [];
    let initial = { js: 0, css: 0, jsGzip: 0, cssGzip: 0, files: 0 };
    for (const p of PAGES) {
      const firstRows: number[] = [];
      let scroll = { longTasks: 0, worstMs: 0, steps: 0 };
      for (let run = 0; run < RUNS; run++) {
        const page = await context.newPage();
        await page.goto(`${server.url}${p.path}`);
        await page.waitForSelector(FIRST_ROW, { timeout: 120_000 });
        firstRows.push(await page.evaluate<number>('performance.now()'));
        if (run === 0 && p.region === 'records') initial = await initialLoad(page);
        if (run === RUNS - 1) scroll = await scrollLongTasks(page);
        await page.close();
      }
      rows.push(`| ${p.label} | ${Math.round(median(firstRows))} ms (runs: ${firstRows.map(Math.round).join(', ')}) | ${scroll.longTasks} (worst ${scroll.worstMs} ms) over ${scroll.steps} frames |`);
    }
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`web app, ${N} records, Chromium ${browser.version()}, ${cpus().length} × ${cpu}, ${new Date().toISOString().slice(0, 10)}`);
    console.log('| Page | First rows shown (median) | Long tasks > 50 ms while scrolling |');
    console.log('|---|---|---|');
    for (const r of rows) console.log(r);
    console.log(
      `initial route: ${initial.files} files, JS ${kib(initial.js)} (${kib(initial.jsGzip)} gzip), CSS ${kib(initial.css)} (${kib(initial.cssGzip)} gzip); all assets: ${kib(assetsTotal())}`,
    );
  } finally {
    await browser.close();
    server.stop();
    cleanup();
  }
}

const kib = (n: number): string => `${(n / 1024).toFixed(0)} KiB`;

/** The JS and CSS files the records page loaded from the app's assets, raw and gzipped (as a server would send). */
async function initialLoad(page: Page): Promise<{ js: number; css: number; jsGzip: number; cssGzip: number; files: number }> {
  const all = await page.evaluate<string[]>("performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)");
  const names = all.filter((n) => n.startsWith('/assets/'));
  const out = { js: 0, css: 0, jsGzip: 0, cssGzip: 0, files: 0 };
  for (const n of new Set(names)) {
    const bytes = readFileSync(join(DIST, 'web', n));
    const gz = gzipSync(bytes).length;
    out.files++;
    if (n.endsWith('.css')) {
      out.css += bytes.length;
      out.cssGzip += gz;
    } else {
      out.js += bytes.length;
      out.jsGzip += gz;
    }
  }
  return out;
}

function assetsTotal(): number {
  const dir = join(DIST, 'web/assets');
  return readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
}

await main();

/**
 * `npm run bench:evidence`: evidence import speed. Each scenario runs in its own process (peak memory is its own):
 *   junit-parse N     stream N JUnit test cases through the reader only
 *   junit-ingest N    record a test run of N cases into a product with 1,000 test cases (SQLite, or --pg)
 *   lockfile N        read an npm lockfile of N packages, then bring SOUP records in line with it
 *   git N             read N commits of a real repository (built with git fast-import), then record them
 *   evidence-verify N record a test run of N cases, then `audit verify` the store in a fresh process (time, peak RSS)
 * Prints a Markdown table to paste into BENCHMARKS.md. Options: --only <scenario>, --pg URL (adds PostgreSQL runs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { addRecords } from '../app/use-cases/add-records.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { ingestCommits } from '../app/use-cases/ingest-commits.js';
import { ingestSbom } from '../app/use-cases/ingest-sbom.js';
import { ingestTestRun, ingestTestRunUseCase } from '../app/use-cases/ingest-test-run.js';
import { execute } from '../app/execute.js';
import { processServices } from '../app/process-services.js';
import { localPrincipal } from '../core/access/principal.js';
import { verifyIntegrity } from '../app/use-cases/verify-integrity.js';
import { hashFiles } from '../ingest/files.js';
import { readGitLog } from '../ingest/git-log.js';
import { JUnitReader } from '../ingest/junit.js';
import { parseSbomFile } from '../ingest/sbom-file.js';
import { readTextFile } from '../ingest/yaml-file.js';
import { openStore, parseStoreTarget } from '../storage/open-store.js';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    size: { type: 'string' },
    db: { type: 'string' },
    only: { type: 'string' },
    pg: { type: 'string' },
  },
});

interface Measure {
  scenario: string;
  size: number;
  database: string;
  input: string;
  parseSec: number;
  totalSec: number;
  peakRssMiB: number;
  note: string;
}

const now = (): number => performance.now() / 1000;
const rssMiB = (): number => process.resourceUsage().maxRSS / 1024;

/** A JUnit file of `n` cases, Surefire-like, ~120 bytes per case; every 50th names a test case, every 500th fails. */
async function writeJUnit(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string): Promise<void> => (out.write(s) ? Promise.resolve() : new Promise((r) => out.once('drain', () => r())));
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bench">\n');
  for (let s = 0; s < n; s += 1000) {
    await write(`<testsuite name="suite.S${s / 1000}" timestamp="2026-11-20T09:00:00Z" tests="1000">\n`);
    for (let i = s; i < Math.min(n, s + 1000); i++) {
      const name = i % 50 === 0 ? `[TC-${(i / 50) % 1000 + 1}] case ${i}` : `case number ${i} of the bench`;
      await write(i % 500 === 0
        ? `<testcase classname="com.example.S${s / 1000}" name="${name}" time="0.012"><failure message="expected 1 but was 2">trace</failure></testcase>\n`
        : `<testcase classname="com.example.S${s / 1000}" name="${name}" time="0.012"/>\n`);
    }
    await write('</testsuite>\n');
  }
  await write('</testsuites>\n');
  await new Promise<void>((r) => out.end(() => r()));
}

function writeLockfile(file: string, n: number): void {
  const packages: Record<string, unknown> = { '': { name: 'bench', version: '1.0.0', dependencies: {} } };
  const root = packages[''] as { dependencies: Record<string, string> };
  for (let i = 0; i < n; i++) {
    const name = i % 7 === 0 ? `@scope${i % 13}/pkg-${i}` : `pkg-${i}`;
    const path = i % 3 === 0 ? `node_modules/pkg-${i - 1}/node_modules/${name}` : `node_modules/${name}`;
    packages[path] = { version: `${1 + (i % 5)}.${i % 10}.${i % 7}`, resolved: `https://registry.npmjs.org/${name}/-/x.tgz`, integrity: `sha512-${'A'.repeat(86)}==`, license: 'MIT', ...(i % 11 === 0 ? { dev: true } : {}) };
    if (i < 40) root.dependencies[name] = '*';
  }
  writeFileSync(file, JSON.stringify({ name: 'bench', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
}

/** A repository of `n` commits, built in one `git fast-import` stream; every 3rd commit has a trailer. */
function makeRepo(dir: string, n: number): void {
  execFileSync('git', ['init', '-q', dir]);
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    const msg = i % 3 === 0 ? `Change ${i}\n\nImplements: SRS-${(i % 500) + 1}\n` : `Change ${i}\n`;
    const content = `line ${i}\n`;
    parts.push(
      `commit refs/heads/main\nmark :${i}\nauthor Dana <dana@example.com> ${1_700_000_000 + i * 60} +0000\ncommitter Dana <dana@example.com> ${1_700_000_000 + i * 60} +0000\n` +
        `data ${Buffer.byteLength(msg)}\n${msg}${i > 1 ? `from :${i - 1}\n` : ''}M 644 inline src/file${i % 200}.ts\ndata ${Buffer.byteLength(content)}\n${content}\n`,
    );
  }
  execFileSync('git', ['-C', dir, 'fast-import', '--quiet'], { input: parts.join('') });
  execFileSync('git', ['-C', dir, 'checkout', '-q', 'main']);
}

async function withProduct<T>(db: string, fn: (deps: Deps) => Promise<T>): Promise<T> {
  const store = await openStore(parseStoreTarget(db));
  const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench' } };
  try {
    await createProduct(deps, { key: 'BEN', name: 'Bench', intendedUse: 'Benchmark product.', safetyClass: 'B' });
    await addRecords(deps, { productKey: 'BEN', records: Array.from({ length: 1000 }, (_, i) => ({ type: 'TC', title: `Test ${i}`, fields: { level: 'unit' } })) });
    await addRecords(deps, { productKey: 'BEN', records: Array.from({ length: 500 }, (_, i) => ({ type: 'SRS', title: `Requirement ${i}` })) });
    return await fn(deps);
  } finally {
    await store.close();
  }
}

async function scenario(name: string, n: number, db: string, dir: string): Promise<Measure> {
  const database = db.startsWith('postgres') ? 'postgres' : 'sqlite';
  if (name === 'junit-parse' || name === 'junit-ingest') {
    const file = join(dir, 'results.xml');
    await writeJUnit(file, n);
    const input = `${(statSync(file).size / 2 ** 20).toFixed(1)} MiB`;
    if (name === 'junit-parse') {
      const t0 = now();
      let count = 0;
      for await (const result of new JUnitReader(file).cases()) count += result ? 1 : 0;
      const sec = now() - t0;
      return { scenario: name, size: count, database: '-', input, parseSec: sec, totalSec: sec, peakRssMiB: rssMiB(), note: `${Math.round(count / sec).toLocaleString('en')} cases/s` };
    }
    return withProduct(db, async (deps) => {
      const t0 = now();
      const cpu0 = process.cpuUsage();
      const reader = new JUnitReader(file);
      // Through the application layer, as the CLI and the API run it: input parsed, each case checked as it streams.
      const s = await execute(
        ingestTestRunUseCase,
        { deps, principal: localPrincipal('bench'), services: processServices(deps.catalog) },
        { productKey: 'BEN', source: file, contentHash: await hashFiles([file]), meta: { version: '1.0.0' }, cases: reader.cases(), facts: () => reader.facts },
      );
      const sec = now() - t0;
      // CPU time (all threads) besides wall time: on a shared machine it varies less than the wall clock.
      const cpu = process.cpuUsage(cpu0);
      const cpuSec = (cpu.user + cpu.system) / 1e6;
      const note = `${s.mapped} mapped; ${Math.round(s.run.itemCount / sec).toLocaleString('en')} cases/s; CPU ${cpuSec.toFixed(2)} s; digest ${s.run.itemsDigest.slice(0, 12)}`;
      return { scenario: name, size: s.run.itemCount, database, input, parseSec: NaN, totalSec: sec, peakRssMiB: rssMiB(), note };
    });
  }
  if (name === 'verify') {
    // Only the verification, in this fresh process, so its peak RSS is verification's own.
    const store = await openStore(parseStoreTarget(db));
    try {
      const t0 = now();
      const report = await verifyIntegrity({ store });
      const sec = now() - t0;
      if (!report.ok) throw new Error(`verification failed: ${report.firstProblem?.message ?? '?'}`);
      const rss = rssMiB();
      // The engine's storage check alone (verify ran it first), to show its share.
      const t1 = now();
      const check = await store.read((r) => r.checkDatabase());
      const checkSec = now() - t1;
      const note = `${Math.round(n / sec).toLocaleString('en')} items/s; ${check.checked}${check.notChecked === null ? '' : ` (not: ${check.notChecked})`} alone ${checkSec.toFixed(1)} s`;
      return { scenario: 'evidence-verify', size: n, database, input: `${report.eventsChecked} events`, parseSec: NaN, totalSec: sec, peakRssMiB: rss, note };
    } finally {
      await store.close();
    }
  }
  if (name === 'evidence-verify') {
    const file = join(dir, 'results.xml');
    await writeJUnit(file, n);
    await withProduct(db, async (deps) => {
      const reader = new JUnitReader(file);
      await ingestTestRun(deps, { productKey: 'BEN', source: file, contentHash: await hashFiles([file]), meta: { version: '1.0.0' }, cases: reader.cases(), facts: () => reader.facts });
    });
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--scenario', 'verify', '--size', String(n), '--db', db], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`verify failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Measure;
  }
  if (name === 'lockfile') {
    const file = join(dir, 'package-lock.json');
    writeLockfile(file, n);
    const input = `${(statSync(file).size / 2 ** 20).toFixed(1)} MiB`;
    return withProduct(db, async (deps) => {
      const t0 = now();
      const sbom = parseSbomFile(readTextFile(file, 'SBOM'), file);
      const parseSec = now() - t0;
      const s = await ingestSbom(deps, { productKey: 'BEN', source: 'lock', contentHash: await hashFiles([file]), sbom });
      return { scenario: name, size: sbom.components.length, database, input, parseSec, totalSec: now() - t0, peakRssMiB: rssMiB(), note: `${s.added.length} SOUP records created` };
    });
  }
  if (name === 'git') {
    const repo = join(dir, 'repo');
    makeRepo(repo, n);
    return withProduct(db, async (deps) => {
      const t0 = now();
      const commits = await readGitLog(repo, undefined);
      const parseSec = now() - t0;
      const s = await ingestCommits(deps, { productKey: 'BEN', source: repo, commits });
      return { scenario: name, size: s.added, database, input: `${n} commits`, parseSec, totalSec: now() - t0, peakRssMiB: rssMiB(), note: `${s.referenced} reference records` };
    });
  }
  throw new Error(`unknown scenario ${name}`);
}

async function child(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-ev-'));
  try {
    const db = values.db === undefined || values.db === 'sqlite' ? join(dir, 'bench.db') : values.db;
    if (values.scenario === 'verify') {
      // The store another scenario made (its file or schema), as given.
      process.stdout.write(`${JSON.stringify(await scenario('verify', Number(values.size), db, dir))}\n`);
    } else if (db.startsWith('postgres')) {
      // A clean schema per run.
      const schema = `bench_ev_${process.pid}`;
      const m = await scenario(values.scenario ?? '', Number(values.size), `${db}?schema=${schema}`, dir);
      const cleanup = await openStore(parseStoreTarget(db));
      await sql.raw(`drop schema if exists ${schema} cascade`).execute(cleanup.db);
      await cleanup.close();
      process.stdout.write(`${JSON.stringify(m)}\n`);
    } else process.stdout.write(`${JSON.stringify(await scenario(values.scenario ?? '', Number(values.size), db, dir))}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const plan: [string, number, string][] = [
    ['junit-parse', 100_000, 'sqlite'],
    ['junit-parse', 1_000_000, 'sqlite'],
    ['junit-ingest', 100_000, 'sqlite'],
    ['junit-ingest', 1_000_000, 'sqlite'],
    ['lockfile', 5_000, 'sqlite'],
    ['git', 10_000, 'sqlite'],
    ['evidence-verify', 1_000_000, 'sqlite'],
  ];
  if (values.pg !== undefined) {
    plan.push(['junit-ingest', 100_000, values.pg], ['lockfile', 5_000, values.pg], ['git', 10_000, values.pg], ['evidence-verify', 1_000_000, values.pg]);
  }
  const rows: Measure[] = [];
  for (const [name, n, db] of plan) {
    if (values.only !== undefined && values.only !== name) continue;
    process.stderr.write(`${name} ${n} on ${db.startsWith('postgres') ? 'postgres' : 'sqlite'} …\n`);
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--scenario', name, '--size', String(n), '--db', db], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
    const line = r.stdout.trim().split('\n').at(-1) ?? '{}';
    process.stderr.write(`${line}\n`);
    rows.push(JSON.parse(line) as Measure);
  }
  const f = (x: number | null): string => (x === null || Number.isNaN(x) ? '–' : x.toFixed(2));
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}\n`);
  console.log('| scenario | size | database | input | read (s) | total (s) | peak RSS (MiB) | note |');
  console.log('|---|---:|---|---:|---:|---:|---:|---|');
  for (const m of rows) console.log(`| ${m.scenario} | ${m.size.toLocaleString('en')} | ${m.database} | ${m.input} | ${f(m.parseSec)} | ${f(m.totalSec)} | ${Math.round(m.peakRssMiB)} | ${m.note} |`);
}

if (values.scenario !== undefined) await child();
else main();

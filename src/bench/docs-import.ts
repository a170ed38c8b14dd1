/**
 * `npm run bench:docs-import`: importing the synthetic 26,000-item project (SYS ← SRS ← TST, written by
 * `../shared/bench/gen_doorstop.py` and `gen_sdoc.py`) from a doorstop tree and from strictdoc files, through the
 * `record.import` use-case as the CLI runs it (read files → plan → one transaction), on SQLite and PostgreSQL;
 * then `check` must find exactly the generator's uncovered items (5 % of SYS without SRS, 3 % of SRS without a
 * test). Prints the time of each import, the check's counts, and the peak memory. SCALE 10 (260,000 items) runs
 * on SQLite with --scale10.
 * Options: --only sqlite|postgres  --pg URL  --scale10  --gen DIR (the generator scripts' folder)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execute } from '../app/execute.js';
import { processServices } from '../app/process-services.js';
import { createProduct } from '../app/use-cases/create-product.js';
import { importRecordsUseCase } from '../app/use-cases/import-records.js';
import { runCheck } from '../app/use-cases/run-check.js';
import { localPrincipal } from '../core/access/principal.js';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { SYSTEM_CLOCK, type Deps } from '../core/ports.js';
import { readDoorstopTree } from '../ingest/doorstop.js';
import { loadBuiltinPacks } from '../ingest/rule-pack-file.js';
import { readSdocFiles } from '../ingest/sdoc.js';
import { readDoorstopFiles, readSdocInputs } from '../ingest/tool-files.js';
import { EMPTY_TOOL_MAP, type ToolReadResult } from '../ingest/tool-import-map.js';
import type { Dialect } from '../storage/schema.js';
import { benchStore } from './bench-store.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    scale10: { type: 'boolean', default: false },
    gen: { type: 'string' },
    /** Internal: run one import in this process (`dialect,format,dir,scale`) and print its lines. */
    one: { type: 'string' },
  },
});
const here = dirname(fileURLToPath(import.meta.url));
// The team's shared generators beside the checkout, else their copies in the repository.
const GEN =
  values.gen ??
  [resolve(here, '../../../shared/bench'), resolve(here, '../../test/fixtures/bench-generators')].find((d) => existsSync(join(d, 'gen_doorstop.py'))) ??
  '';
const P = 'BENCH';

/** The process's peak resident memory so far, in MB (the kernel's high-water mark, not a sample). */
const peakMb = (): number => process.resourceUsage().maxRSS / 1024;
/** CPU time of this process so far (all threads), in seconds: steadier than wall time on a busy machine. */
const cpuS = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** The rules that report an item as not covered, and how many each must find at a scale. */
const COVERAGE_RULES = {
  'DC-7.3.3-SYSTEM-REQUIREMENT-REFINED': (s: number) => Math.floor(1000 * s) - Math.floor(Math.floor(1000 * s) * 0.95),
  'IEC62304-5.7.1-SRS-VERIFIED': (s: number) => Math.floor(5000 * s) - Math.floor(Math.floor(5000 * s) * 0.97),
} as const;

function generate(root: string, scale: number): { tree: string; sdoc: string } {
  const tree = join(root, `doorstop-${scale}`);
  const sdoc = join(root, `sdoc-${scale}`);
  execFileSync('python3', [join(GEN, 'gen_doorstop.py'), tree, String(scale)], { stdio: 'ignore' });
  execFileSync('python3', [join(GEN, 'gen_sdoc.py'), sdoc, String(scale)], { stdio: 'ignore' });
  return { tree, sdoc };
}

async function importInto(dialect: Dialect, name: string, read: () => ToolReadResult, scale: number): Promise<string> {
  const { store, cleanup } = await benchStore(dialect, name, values.pg);
  try {
    const deps: Deps = { store, clock: SYSTEM_CLOCK, catalog: DEFAULT_CATALOG, actor: { id: 'bench.importer' } };
    await createProduct(deps, { key: P, name: 'Synthetic pump', intendedUse: 'Benchmark', safetyClass: 'B' });
    const services = processServices(DEFAULT_CATALOG);
    const t0 = performance.now();
    const c0 = cpuS();
    const r = read();
    const tRead = performance.now() - t0;
    if (r.problems.length > 0) throw new Error(`reading problems: ${r.problems.slice(0, 3).map((p) => `${p.where}: ${p.message}`).join('; ')}`);
    const report = await execute(importRecordsUseCase, { deps, principal: localPrincipal('bench.importer'), services }, { productKey: P, plan: r.plan, source: name });
    const total = performance.now() - t0;
    const cpu = cpuS() - c0;
    const importPeak = peakMb();
    const t1 = performance.now();
    const check = await runCheck(deps, { productKey: P, builtinPacks: loadBuiltinPacks(DEFAULT_CATALOG) });
    const tCheck = performance.now() - t1;
    const byRule = new Map<string, number>();
    for (const f of check.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    const coverage = Object.entries(COVERAGE_RULES).map(([rule, expected]) => {
      const got = byRule.get(rule) ?? 0;
      return `${rule} ${got}${got === expected(scale) ? '' : ` (EXPECTED ${expected(scale)})`}`;
    });
    const uncovered = Object.keys(COVERAGE_RULES).reduce((n, rule) => n + (byRule.get(rule) ?? 0), 0);
    const others = [...byRule].filter(([rule]) => !(rule in COVERAGE_RULES)).map(([rule, n]) => `${rule} ${n}`);
    return [
      `${name} on ${dialect}: ${report.created.length} records, ${report.linksAdded.length} links (${report.linksAdded.filter((l) => l.suspect).length} suspect) in ${(total / 1000).toFixed(2)} s (reading ${(tRead / 1000).toFixed(2)} s; CPU ${cpu.toFixed(2)} s; peak RSS ${importPeak.toFixed(0)} MB)`,
      `  check ${(tCheck / 1000).toFixed(2)} s: ${uncovered} uncovered — ${coverage.join(', ')}; other findings: ${others.join(', ')}`,
    ].join('\n');
  } finally {
    await cleanup();
  }
}

/** Runs one import in a child process, so each peak memory figure is that import's alone (as in the CLI). */
function inChild(dialect: Dialect, format: 'doorstop' | 'sdoc', dir: string, scale: number): string {
  const args = [fileURLToPath(import.meta.url), '--one', `${dialect},${format},${dir},${scale}`, '--pg', values.pg];
  return execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 }).trimEnd();
}

const doorstop = (dir: string) => () => readDoorstopTree(readDoorstopFiles(dir), { catalog: DEFAULT_CATALOG, map: EMPTY_TOOL_MAP, root: dir });
const sdoc = (dir: string) => () => readSdocFiles(readSdocInputs([dir]), { catalog: DEFAULT_CATALOG, map: EMPTY_TOOL_MAP });

if (values.one !== undefined) {
  const [dialect, format, dir, scale] = values.one.split(',');
  const out = await importInto(dialect as Dialect, format ?? '', format === 'sdoc' ? sdoc(dir ?? '') : doorstop(dir ?? ''), Number(scale));
  console.log(`${out}\n  peak RSS with the check in the same process ${peakMb().toFixed(0)} MB`);
} else {
  const root = mkdtempSync(join(tmpdir(), 'dossier-docs-import-'));
  try {
    const s1 = generate(root, 1);
    const dialects: Dialect[] = values.only === undefined ? ['sqlite', 'postgres'] : [values.only as Dialect];
    for (const d of dialects) {
      console.log(inChild(d, 'doorstop', s1.tree, 1));
      console.log(inChild(d, 'sdoc', s1.sdoc, 1));
    }
    if (values.scale10) {
      const s10 = generate(root, 10);
      console.log(inChild('sqlite', 'doorstop', s10.tree, 10));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

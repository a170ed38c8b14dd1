/**
 * `npm run bench:docs-site`: the static HTML technical file and the trace-matrix XLSX of synthetic technical files
 * (`syntheticTechnicalFile(n)`: 26·n records, an SRS document with every requirement and a trace matrix). Each step
 * runs in its own process so its peak memory is its own. The site is written with plain `fs` under the system temp
 * folder and removed afterwards. Targets at n = 1,000 (26,000 records): site < 3 s and < 50 MB, XLSX < 2 s, peak
 * memory < 500 MB; at n = 10,000 time at most 12× that.
 * Each step runs with a 64 MB young generation (`--max-semi-space-size=64`): rendering makes many short-lived
 * strings, and with the default young generation, scavenges grow with the live model (260,000 records) and dominate;
 * `--semi-space default` runs without it.
 * Options: --sizes 1000,10000  --semi-space 64|default
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderHtmlSite } from '../export/documents/html-site.js';
import { renderXlsx } from '../export/documents/xlsx.js';
import { syntheticTechnicalFile } from '../test-support/document-fixtures.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    /** Internal: run one step in this (child) process and print its result as JSON. */
    step: { type: 'string' },
    size: { type: 'string' },
    'semi-space': { type: 'string', default: '64' },
  },
});
const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

interface StepResult {
  readonly ms: number;
  /** Rendering alone (every page built and handed to a sink that keeps nothing). */
  readonly renderMs?: number;
  readonly peakMb: number;
  readonly files?: number;
  readonly bytes?: number;
  readonly allocated?: number;
  readonly xlsxBytes?: number;
}

/** Apparent size (bytes written) and allocated size (blocks on disk) of a folder. */
function sizeOf(dir: string): { files: number; bytes: number; allocated: number } {
  let files = 0;
  let bytes = 0;
  let allocated = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const st = statSync(join(e.parentPath, e.name));
    files++;
    bytes += st.size;
    allocated += st.blocks * 512;
  }
  return { files, bytes, allocated };
}

async function step(name: string, n: number): Promise<StepResult> {
  const file = syntheticTechnicalFile(n);
  if (name === 'site') {
    let sunk = 0;
    const r0 = process.hrtime.bigint();
    renderHtmlSite(file, (_path, content) => void (sunk += content.length));
    const renderMs = ms(r0);
    if (sunk === 0) throw new Error('nothing rendered');
    const out = mkdtempSync(join(tmpdir(), 'dossier-bench-site-'));
    try {
      const made = new Set<string>();
      const t0 = process.hrtime.bigint();
      renderHtmlSite(file, (path, content) => {
        const target = join(out, path);
        const dir = dirname(target);
        if (!made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        writeFileSync(target, content);
      });
      const took = ms(t0);
      return { ms: took, renderMs, peakMb: process.resourceUsage().maxRSS / 1024, ...sizeOf(out) };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  const matrix = file.documents.find((d) => d.id === 'trace-matrix');
  if (matrix === undefined) throw new Error('the synthetic file has no trace matrix');
  const t0 = process.hrtime.bigint();
  const bytes = await renderXlsx(matrix);
  return { ms: ms(t0), peakMb: process.resourceUsage().maxRSS / 1024, xlsxBytes: bytes?.byteLength ?? 0 };
}

if (values.step !== undefined) {
  process.stdout.write(`${JSON.stringify(await step(values.step, Number(values.size)))}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  log(`docs-site bench: ${cpus().length} cores, ${mb(totalmem())} RAM, node ${process.version}, ${new Date().toISOString()}, load ${loadavg()[0]?.toFixed(1)}, semi-space ${values['semi-space']}`);
  const base = new Map<string, number>();
  for (const n of values.sizes.split(',').map(Number)) {
    for (const name of ['site', 'xlsx']) {
      const flags = ['--max-old-space-size=4096', ...(values['semi-space'] === 'default' ? [] : [`--max-semi-space-size=${values['semi-space']}`])];
      const run = spawnSync(process.execPath, [...flags, self, '--step', name, '--size', String(n)], { encoding: 'utf8' });
      if (run.status !== 0) {
        log(`${name} n=${n}: failed\n${run.stderr}`);
        process.exitCode = 1;
        continue;
      }
      const r = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as StepResult;
      const first = base.get(name);
      if (first === undefined) base.set(name, r.ms);
      const growth = first === undefined ? '' : `, ${(r.ms / first).toFixed(1)}× the first size`;
      const what =
        name === 'site'
          ? `HTML site, ${26 * n} records: ${(r.ms / 1000).toFixed(2)} s written (rendering alone ${((r.renderMs ?? 0) / 1000).toFixed(2)} s), ` +
            `${r.files} files, ${mb(r.bytes ?? 0)} (${((r.bytes ?? 0) / 1e6).toFixed(1)} MB decimal; ${mb(r.allocated ?? 0)} allocated in blocks)`
          : `trace matrix XLSX, ${5 * n} rows: ${(r.ms / 1000).toFixed(2)} s, ${mb(r.xlsxBytes ?? 0)}`;
      log(`${what}, peak RSS ${r.peakMb.toFixed(0)} MB${growth}`);
    }
  }
}

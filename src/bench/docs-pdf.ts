/**
 * `npm run bench:docs-pdf`: one large document (the SRS of a synthetic technical file: 5,000 requirements shown in
 * full) rendered to PDF and to DOCX, each in a fresh child process so that its peak memory is its own. Reports
 * model build, render time, output size and peak RSS. Targets: PDF < 10 s and < 500 MB.
 * Options: --sys 1000 (SYS records; SRS = 5 × sys)  --keep (leave the files in the temporary folder)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderDocx } from '../export/documents/docx.js';
import { renderPdf } from '../export/documents/pdf.js';
import { syntheticTechnicalFile } from '../test-support/document-fixtures.js';

const { values } = parseArgs({
  options: {
    sys: { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
    /** Internal: run one format in this (child) process and print its result as JSON. */
    step: { type: 'string' },
    out: { type: 'string' },
  },
});

interface StepResult {
  readonly format: string;
  readonly records: number;
  readonly modelMs: number;
  readonly renderMs: number;
  /** CPU time of the render (user + system): the machine may be shared, so wall time alone can mislead. */
  readonly renderCpuMs: number;
  readonly bytes: number;
  readonly maxRssMb: number;
}

async function step(format: string, sys: number, out: string): Promise<StepResult> {
  const t0 = performance.now();
  const doc = syntheticTechnicalFile(sys).documents[0];
  if (doc === undefined) throw new Error('the synthetic technical file has no SRS');
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const bytes = format === 'pdf' ? await renderPdf(doc) : await renderDocx(doc);
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  writeFileSync(join(out, `srs.${format}`), bytes);
  return {
    format,
    records: doc.blocks.filter((b) => b.kind === 'record').length,
    modelMs: Math.round(t1 - t0),
    renderMs: Math.round(t2 - t1),
    renderCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    bytes: bytes.byteLength,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

async function main(): Promise<void> {
  const sys = Number(values.sys);
  if (values.step !== undefined) {
    const result = await step(values.step, sys, values.out ?? tmpdir());
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'dossier-bench-docs-pdf-'));
  process.stdout.write(`docs-pdf: ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString()}\n`);
  try {
    for (const format of ['pdf', 'docx']) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--step', format, '--sys', String(sys), '--out', dir], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (child.status !== 0) throw new Error(`${format} failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as StepResult;
      process.stdout.write(
        `${r.format.padEnd(5)} ${r.records} records: model ${r.modelMs} ms, render ${(r.renderMs / 1000).toFixed(2)} s ` +
          `(CPU ${(r.renderCpuMs / 1000).toFixed(2)} s), ` +
          `${(r.bytes / 2 ** 20).toFixed(1)} MB, peak RSS ${r.maxRssMb} MB\n`,
      );
    }
    if (values.keep) process.stdout.write(`files kept in ${dir}\n`);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();

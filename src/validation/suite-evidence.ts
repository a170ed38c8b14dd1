import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { releaseEvidence, releaseEvidenceMarkdown, type SuiteRun } from '../core/validation/release-evidence.js';
import type { SuiteResult } from '../core/validation/requirement-tags.js';
import { DEFAULT_MAX_TEXT, readJUnitFiles } from '../ingest/junit.js';
import { PACKAGE_ROOT, readDesignFolder } from './design-folder.js';

/**
 * CI's half of the requirement-to-test check, run after the suite:
 *
 *     node dist/validation/suite-evidence.js LABEL=JUNIT.xml [LABEL=JUNIT.xml …] [--out DIR]
 *
 * Reads each run's JUnit file, checks that every requirement of the design file has a passing test and no failing
 * one in every run, and with --out writes the release evidence summary (`release-evidence.json` and `.md`).
 * Exits 1 on any problem, naming it.
 */
export async function suiteEvidence(args: readonly string[], out: (line: string) => void): Promise<number> {
  const outAt = args.indexOf('--out');
  const dir = outAt >= 0 ? args[outAt + 1] : undefined;
  const specs = args.filter((a, i) => a !== '--out' && (outAt < 0 || i !== outAt + 1));
  if (specs.length === 0 || specs.some((s) => !s.includes('='))) {
    out('usage: suite-evidence LABEL=JUNIT.xml [LABEL=JUNIT.xml …] [--out DIR]');
    return 2;
  }
  const design = readDesignFolder();
  const runs: SuiteRun[] = [];
  for (const spec of specs) {
    const at = spec.indexOf('=');
    const label = spec.slice(0, at);
    const file = spec.slice(at + 1);
    const results: SuiteResult[] = [];
    for await (const c of readJUnitFiles([file], DEFAULT_MAX_TEXT).cases) results.push({ title: c.name, outcome: c.outcome });
    if (results.length === 0) {
      out(`${file}: no test results in it`);
      return 1;
    }
    runs.push({ label, results });
  }
  const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const evidence = releaseEvidence(design, runs, version, new Date().toISOString());
  if (dir !== undefined) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'release-evidence.json'), `${JSON.stringify(evidence, null, 2)}\n`);
    writeFileSync(join(dir, 'release-evidence.md'), releaseEvidenceMarkdown(evidence));
    out(`wrote ${join(dir, 'release-evidence.json')} and release-evidence.md`);
  }
  const requirements = evidence.requirements.length;
  for (const r of evidence.runs) out(`${r.label}: ${r.tests} tests, ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  if (evidence.problems.length > 0) {
    out(`requirement-to-test check FAILED: ${evidence.problems.length} problem(s) with the ${requirements} requirements of validation/design:`);
    for (const p of evidence.problems) out(`  ${p}`);
    return 1;
  }
  out(`requirement-to-test check passed: each of the ${requirements} requirements of validation/design has passing tests and none failing, in every run`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  suiteEvidence(process.argv.slice(2), (line) => console.log(line)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as yaml } from 'yaml';
import { DEFAULT_RISK_POLICY } from '../core/risk/policy.js';
import { parseCsv } from '../test-support/csv.js';
import { DIALECTS, openTestStore, type TestStore } from '../test-support/stores.js';

/**
 * The built `dossier` (dist/cli/main.js) run as a real process, for every command and every output format: the
 * exit code, stdout that parses as its format says, and stderr without a stack trace. An in-process runner cannot
 * see what Node does at exit (a boolean handed to process.exitCode crashed every machine-readable export).
 *
 * The CLI is not built here: CI builds before it tests (.ci/run: `npm run build`, then `npm test`), and a test
 * that built would hide a broken build step and add a minute of tsc to every run. A missing or stale dist/ fails
 * with a message saying so.
 *
 * To cover a new command or format, add a row to READS (runs on the demo store as seeded, in parallel) or WRITES
 * (runs in order, after the reads).
 */

/** What stdout must be. */
type Output = 'text' | 'json' | 'csv' | 'junit' | 'sarif' | 'dot' | 'markdown' | 'yaml' | 'empty';

/** One invocation: arguments (`{dir}` is a scratch folder with the files below), expected exit code, stdout kind. */
interface Case {
  readonly args: readonly string[];
  readonly exit: 0 | 1 | 2 | 3;
  readonly out: Output;
  /** Something stdout (or, for a refusal, stderr) must contain. */
  readonly has?: string | RegExp;
  /** Text given on standard input (a password for `--password-stdin`). */
  readonly stdin?: string;
}

const RULE = 'IEC62304-5.7.1-SRS-VERIFIED';

/** Commands that read: on the seeded demo (whose check, suspects, risk due and release gate have findings). */
const READS: readonly Case[] = [
  { args: ['--help'], exit: 0, out: 'text', has: 'Usage: dossier' },
  { args: ['init'], exit: 0, out: 'text', has: 'store ready' },
  { args: ['--json', 'init'], exit: 0, out: 'json' },
  { args: ['catalog'], exit: 0, out: 'text', has: 'Record types' },
  { args: ['--json', 'catalog'], exit: 0, out: 'json' },
  { args: ['catalog', 'RMP'], exit: 0, out: 'text', has: 'reviewIntervalDays' },
  { args: ['--json', 'catalog', 'TC'], exit: 0, out: 'json' },
  { args: ['audit', 'anchor'], exit: 0, out: 'text', has: ':' },
  { args: ['--json', 'audit', 'anchor'], exit: 0, out: 'json' },
  { args: ['product', 'list'], exit: 0, out: 'text', has: 'RPM' },
  { args: ['--json', 'product', 'list'], exit: 0, out: 'json' },
  { args: ['product', 'show', 'RPM'], exit: 0, out: 'text', has: 'Intended use' },
  { args: ['--json', 'product', 'show', 'RPM'], exit: 0, out: 'json' },
  { args: ['record', 'list'], exit: 0, out: 'text', has: '201 records' },
  { args: ['--json', 'record', 'list', '--type', 'HAZ'], exit: 0, out: 'json' },
  { args: ['record', 'show', 'SRS-3'], exit: 0, out: 'text', has: 'RPM/SRS-3' },
  { args: ['--json', 'record', 'show', 'SRS-3', '--revision', '1'], exit: 0, out: 'json' },
  { args: ['record', 'history', 'SRS-3'], exit: 0, out: 'text', has: 'revised to revision 2' },
  { args: ['--json', 'record', 'history', 'SRS-3'], exit: 0, out: 'json' },
  { args: ['record', 'diff', 'SRS-3'], exit: 0, out: 'text', has: 'revision 1 → 2' },
  { args: ['--json', 'record', 'diff', 'SRS-3'], exit: 0, out: 'json' },
  { args: ['link', 'list', '--record', 'SRS-3'], exit: 0, out: 'text', has: 'SRS-3' },
  { args: ['--json', 'link', 'list', '--all'], exit: 0, out: 'json' },
  { args: ['audit', 'log', '--entity', 'RPM/SRS-3'], exit: 0, out: 'text', has: 'RECORD_CREATED' },
  { args: ['audit', 'log', '--newest-first', '--limit', '5'], exit: 0, out: 'text' },
  { args: ['--json', 'audit', 'log', '--all'], exit: 0, out: 'json' },
  { args: ['audit', 'log', '--record', 'RPM/SRS-3', '--by', 'ci-bot', '--action', 'RECORD_CREATED,LINK_CREATED', '--from', '2020-01-01'], exit: 0, out: 'text' },
  { args: ['audit', 'export', '--format', 'csv', '--product', 'RPM'], exit: 0, out: 'csv', has: '#verification,ok=true,headSeq=' },
  { args: ['audit', 'export', '--record', 'RPM/SRS-3'], exit: 0, out: 'json' },
  { args: ['audit', 'export', '--format', 'csv', '--out', '{dir}/audit.csv'], exit: 0, out: 'empty' },
  { args: ['audit', 'verify'], exit: 0, out: 'text', has: 'audit trail verified' },
  { args: ['--json', 'audit', 'verify'], exit: 0, out: 'json' },
  { args: ['export', 'json'], exit: 0, out: 'json' },
  { args: ['trace', 'matrix', '--from', 'UN', '--to', 'TC'], exit: 0, out: 'text', has: 'UN → TC' },
  { args: ['trace', 'matrix', '--from', 'UN', '--to', 'TC', '--format', 'json'], exit: 0, out: 'json' },
  { args: ['trace', 'matrix', '--from', 'UN', '--to', 'TC', '--format', 'csv'], exit: 0, out: 'csv', has: 'UN,UN title,TC,TC title,through' },
  { args: ['--json', 'trace', 'matrix', '--from', 'HAZ', '--to', 'TC'], exit: 0, out: 'json' },
  { args: ['trace', 'suspects'], exit: 1, out: 'text', has: 'suspect links' },
  { args: ['--json', 'trace', 'suspects'], exit: 1, out: 'json' },
  { args: ['impact', 'RC-1'], exit: 0, out: 'text', has: 'upstream' },
  { args: ['impact', 'RC-1', '--format', 'json'], exit: 0, out: 'json' },
  { args: ['impact', 'RC-1', '--format', 'dot'], exit: 0, out: 'dot' },
  { args: ['--json', 'impact', 'SRS-3'], exit: 0, out: 'json' },
  { args: ['check'], exit: 1, out: 'text', has: 'FAILED' },
  { args: ['check', '--format', 'json'], exit: 1, out: 'json' },
  { args: ['check', '--format', 'junit'], exit: 1, out: 'junit' },
  { args: ['check', '--format', 'sarif'], exit: 1, out: 'sarif' },
  { args: ['--json', 'check'], exit: 1, out: 'json' },
  { args: ['check', '--fail-on', 'error', '--format', 'junit', '--out', '{dir}/check.xml'], exit: 1, out: 'empty' },
  { args: ['explain', RULE], exit: 0, out: 'text', has: 'What it checks' },
  { args: ['--json', 'explain', RULE], exit: 0, out: 'json' },
  { args: ['rules', 'list'], exit: 0, out: 'text', has: RULE },
  { args: ['--json', 'rules', 'list'], exit: 0, out: 'json' },
  { args: ['evidence', 'list'], exit: 0, out: 'text', has: 'test_run' },
  { args: ['--json', 'evidence', 'list', '--kind', 'sbom'], exit: 0, out: 'json' },
  { args: ['release', 'list'], exit: 0, out: 'text', has: '1.2.0' },
  { args: ['--json', 'release', 'list'], exit: 0, out: 'json' },
  { args: ['release', 'check', '1.2.0'], exit: 1, out: 'text', has: 'FAILED' },
  { args: ['--json', 'release', 'check', '1.2.0'], exit: 1, out: 'json' },
  { args: ['risk', 'policy', 'show'], exit: 0, out: 'yaml', has: 'severity:' },
  { args: ['--json', 'risk', 'policy', 'show'], exit: 0, out: 'json' },
  { args: ['risk', 'table'], exit: 0, out: 'text', has: 'risk table of RPM' },
  { args: ['risk', 'table', '--per-cause'], exit: 0, out: 'text' },
  { args: ['risk', 'table', '--format', 'csv'], exit: 0, out: 'csv', has: 'risk,hazard,causes' },
  { args: ['--json', 'risk', 'table'], exit: 0, out: 'json' },
  { args: ['risk', 'matrix'], exit: 0, out: 'text', has: 'risk matrix of RPM' },
  { args: ['--json', 'risk', 'matrix'], exit: 0, out: 'json' },
  { args: ['risk', 'report'], exit: 0, out: 'markdown' },
  { args: ['risk', 'report', '--out', '{dir}/rmr.md'], exit: 0, out: 'empty' },
  { args: ['--json', 'risk', 'report'], exit: 0, out: 'json' },
  { args: ['risk', 'due'], exit: 1, out: 'text', has: 'risk review(s) due' },
  { args: ['--json', 'risk', 'due', '--within', '30'], exit: 1, out: 'json' },
  // Refusals: one line on stderr, exit 2, nothing on stdout.
  { args: ['record', 'frobnicate'], exit: 2, out: 'empty', has: "unknown command 'frobnicate'" },
  { args: ['trace', 'matrix', '--from', 'UN', '--to', 'TC', '--format', 'xlsx'], exit: 2, out: 'empty', has: '--format must be one of table, json, csv' },
  { args: ['impact', 'RC-1', '--format', 'svg'], exit: 2, out: 'empty', has: '--format must be one of tree, json, dot' },
  { args: ['check', '--format', 'html'], exit: 2, out: 'empty', has: '--format must be text, json, junit or sarif' },
  { args: ['risk', 'table', '--format', 'xlsx'], exit: 2, out: 'empty', has: '--format must be one of table, csv' },
  { args: ['record', 'show', 'SRS-999'], exit: 2, out: 'empty', has: 'SRS-999 does not exist' },
  { args: ['audit', 'log', '--all', '--limit', '3'], exit: 2, out: 'empty', has: 'give --all or --limit, not both' },
  { args: ['audit', 'export', '--format', 'xlsx'], exit: 2, out: 'empty', has: '--format must be one of json, csv' },
  { args: ['audit', 'log', '--to', 'tomorrow'], exit: 2, out: 'empty', has: 'to: an ISO 8601 time' },
];

/** Commands that write, in order, each with and without --json; the files named are written in `beforeAll`. */
const WRITES: readonly Case[] = [
  { args: ['record', 'add', '--type', 'SRS', '--title', 'Export works from CI', '--reason', 'process test'], exit: 0, out: 'text', has: 'added RPM/SRS-21' },
  { args: ['--json', 'record', 'add', '--type', 'SRS', '--title', 'Second', '--body', 'Body'], exit: 0, out: 'json' },
  { args: ['record', 'add', '--type', 'SRS', '--title', 'Two\nlines'], exit: 2, out: 'empty', has: 'a title is one line' },
  { args: ['record', 'edit', 'SRS-21', '--base', '1', '--title', 'Exports work from CI', '--set', 'riskControl=false'], exit: 0, out: 'text', has: 'revision 2' },
  { args: ['--json', 'record', 'edit', 'SRS-22', '--base', '1', '--body-file', '{dir}/body.md'], exit: 0, out: 'json' },
  { args: ['record', 'edit', 'SRS-21', '--base', '1', '--title', 'Stale'], exit: 3, out: 'empty', has: 'has changed' },
  { args: ['record', 'status', 'SRS-21', 'in_review', '--base', '2'], exit: 0, out: 'text', has: 'in_review' },
  { args: ['--json', 'record', 'status', 'SRS-21', 'approved', '--base', '2'], exit: 0, out: 'json' },
  { args: ['link', 'add', 'TC-1', 'verifies', 'SRS-21', '--reason', 'process test'], exit: 0, out: 'text', has: 'link 320' },
  { args: ['--json', 'link', 'add', 'TC-2', 'verifies', 'SRS-22'], exit: 0, out: 'json' },
  { args: ['link', 'remove', '320', '--reason', 'wrong test'], exit: 0, out: 'text', has: 'removed link 320' },
  { args: ['--json', 'link', 'remove', '321', '--reason', 'wrong test'], exit: 0, out: 'json' },
  { args: ['record', 'obsolete', 'SRS-22', '--reason', 'duplicate'], exit: 0, out: 'text', has: 'obsolete' },
  { args: ['--json', 'record', 'obsolete', 'SRS-21', '--reason', 'duplicate'], exit: 0, out: 'json' },
  { args: ['--json', 'trace', 'confirm', '--record', 'SRS-3', '--reason', 'reviewed after the TLS change'], exit: 0, out: 'json' },
  { args: ['trace', 'confirm', '--all', '--reason', 'reviewed every suspect link'], exit: 0, out: 'text', has: 'confirmed' },
  { args: ['rules', 'disable', RULE, '--justification', 'tests are traced by a separate tool'], exit: 0, out: 'text', has: 'disabled' },
  { args: ['--json', 'rules', 'enable', RULE, '--justification', 'tests are traced here again'], exit: 0, out: 'json' },
  { args: ['rules', 'severity', RULE, 'warning', '--justification', 'graded down for a prototype'], exit: 0, out: 'text', has: 'severity warning' },
  { args: ['--json', 'rules', 'severity', RULE, 'error', '--justification', 'graded up again for release'], exit: 0, out: 'json' },
  { args: ['rules', 'add-pack', '{dir}/team.yaml'], exit: 0, out: 'text', has: 'added rule pack team' },
  { args: ['--json', 'rules', 'add-pack', '{dir}/team2.yaml'], exit: 0, out: 'json' },
  { args: ['evidence', 'tests', 'demo/junit-1.2.0.xml'], exit: 0, out: 'text', has: 'already imported' },
  { args: ['--json', 'evidence', 'tests', '{dir}/rerun.xml', '--version', '1.3.0', '--build', 'ci-1'], exit: 0, out: 'json' },
  { args: ['evidence', 'tests', '{dir}/rerun-failed.xml', '--fail-on-failures'], exit: 1, out: 'text', has: 'failed' },
  { args: ['evidence', 'git', '--repo', '{dir}/repo'], exit: 0, out: 'text', has: 'commits import' },
  { args: ['--json', 'evidence', 'git', '--repo', '{dir}/repo'], exit: 0, out: 'json' },
  { args: ['evidence', 'reviews', 'demo/reviews-github.json'], exit: 0, out: 'text', has: 'already imported' },
  { args: ['--json', 'evidence', 'reviews', 'demo/reviews-github.json'], exit: 0, out: 'json' },
  { args: ['evidence', 'sbom', 'demo/package-lock.json', '--source', 'mobile/package-lock.json'], exit: 0, out: 'text', has: 'already imported' },
  { args: ['--json', 'evidence', 'sbom', 'demo/package-lock.json', '--source', 'mobile/package-lock.json'], exit: 0, out: 'json' },
  { args: ['evidence', 'vulns', 'demo/osv-scan.json'], exit: 0, out: 'text', has: 'already imported' },
  { args: ['--json', 'evidence', 'vulns', 'demo/osv-scan.json'], exit: 0, out: 'json' },
  { args: ['risk', 'policy', 'set', '{dir}/policy.yaml', '--reason', 'clinical evaluation update'], exit: 0, out: 'text', has: 'risk policy RMP-1 is now at revision 2' },
  { args: ['--json', 'risk', 'policy', 'set', '{dir}/default-policy.yaml'], exit: 0, out: 'json' },
  { args: ['risk', 'review', 'RISK-1', '--outcome', 'no_change', '--note', 'looked again'], exit: 0, out: 'text', has: 'recorded RREV-' },
  { args: ['--json', 'risk', 'review', '--all', '--outcome', 'no_change', '--note', 'yearly review'], exit: 0, out: 'json' },
  { args: ['release', 'create', 'RPM', '1.3.0'], exit: 0, out: 'text', has: 'frozen as baseline 1' },
  { args: ['--json', 'release', 'create', 'RPM', '1.3.0'], exit: 0, out: 'json' },
  { args: ['release', 'diff', '1.2.0', '1.3.0'], exit: 1, out: 'text', has: 'release diff 1.2.0 → 1.3.0' },
  { args: ['--json', 'release', 'diff', '1.2.0', '1.3.0'], exit: 1, out: 'json' },
  { args: ['release', 'sign', 'RPM', '1.3.0', '--meaning', 'approved', '--user', 'quinn.qa', '--password-stdin'], stdin: 'demo-quality-pass\n', exit: 0, out: 'text', has: /^signed RPM\/release\/1\.3\.0: Approved by Quinn Quality \(quinn\.qa\) on .* UTC, baseline 2$/m },
  { args: ['--json', 'release', 'show', '1.3.0'], exit: 0, out: 'json', has: '"meaning": "approved"' },
  { args: ['release', 'mark-released', '1.3.0', '--user', 'avery.approver'], exit: 2, out: 'empty', has: 'signing needs your password' },
  { args: ['release', 'mark-released', '1.3.0', '--user', 'avery.approver', '--password-stdin'], stdin: 'demo-approver-pass', exit: 2, out: 'empty', has: 'cannot be marked released' },
  { args: ['--json', 'release', 'mark-released', '1.3.0', '--user', 'avery.approver', '--password-stdin'], stdin: 'demo-approver-pass', exit: 2, out: 'json', has: 'cannot be marked released' },
  { args: ['release', 'void', '1.3.0', '--reason', 'frozen before the review closed'], exit: 0, out: 'text', has: 'is void' },
  { args: ['--json', 'release', 'void', '1.3.0', '--reason', 'frozen before the review closed'], exit: 2, out: 'json', has: 'already void' },
  { args: ['--json', 'release', 'create', 'RPM', '1.3.0'], exit: 0, out: 'json' },
  { args: ['product', 'edit', 'RPM', '--class', 'C', '--reason', 'dose advice added'], exit: 0, out: 'text', has: 'safety class B → C' },
  { args: ['--json', 'product', 'edit', 'RPM', '--class', 'B', '--reason', 'dose advice removed again'], exit: 0, out: 'json' },
  { args: ['record', 'status', 'SRS-1@1', 'SRS-2@1', 'in_review'], exit: 2, out: 'empty', has: 'cannot move to in_review' },
  { args: ['export', 'json', '--out', '{dir}/store.json'], exit: 0, out: 'empty' },
  { args: ['demo', '--if-missing'], exit: 0, out: 'text', has: 'already has the demo product' },
  { args: ['--json', 'demo', '--if-missing'], exit: 0, out: 'json' },
  { args: ['demo'], exit: 3, out: 'empty', has: 'already has product RPM' },
  { args: ['product', 'create', '--key', 'ECG', '--name', 'ECG viewer', '--intended-use', 'Shows ECGs', '--class', 'B'], exit: 0, out: 'text', has: 'created product ECG' },
  { args: ['--json', 'product', 'create', '--key', 'EEG', '--name', 'EEG viewer', '--intended-use', 'Shows EEGs', '--class', 'A'], exit: 0, out: 'json' },
  { args: ['record', 'list'], exit: 2, out: 'empty', has: 'name a product with --product' },
  { args: ['validate', '--out', '{dir}/validation'], exit: 0, out: 'text', has: /^PASS: installation qualification \d+ passed, 0 failed/ },
  { args: ['--json', 'validate', '--out', '{dir}/validation-json', '--compare', '{dir}/validation'], exit: 0, out: 'json', has: '"pass": true' },
  { args: ['validate', '--out', '{dir}/validation-x', '--compare', '{dir}/nowhere'], exit: 2, out: 'empty', has: 'no such file or folder' },
];

/** Commands on an empty store: import, and demo creating the product. */
const EMPTY_STORE: readonly Case[] = [
  { args: ['import', 'json', '{dir}/store.json'], exit: 0, out: 'text', has: 'imported 1 products' },
  { args: ['--json', 'audit', 'verify'], exit: 0, out: 'json' },
];
const EMPTY_STORE_JSON: readonly Case[] = [
  { args: ['--json', 'import', 'json', '{dir}/store.json'], exit: 0, out: 'json' },
  { args: ['--json', 'demo'], exit: 3, out: 'json', has: 'already has product RPM' },
];
const FRESH_DEMO: readonly Case[] = [{ args: ['--json', 'demo'], exit: 0, out: 'json' }];

const ROOT = process.cwd();
const MAIN = join(ROOT, 'dist/cli/main.js');

/**
 * Fails unless dist/ holds a build of every source file at least as new as the source.
 * @throws Error saying to run `npm run build`
 */
function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${relative(ROOT, MAIN)} is missing: run \`npm run build\` before these tests (CI does, in .ci/run)`);
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'test-support') walk(path);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts')) {
        const built = join(ROOT, 'dist', relative(join(ROOT, 'src'), path)).replace(/\.ts$/, '.js');
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs) stale.push(relative(ROOT, path));
      }
    }
  };
  walk(join(ROOT, 'src'));
  if (stale.length > 0) {
    throw new Error(`dist/ is older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}: run \`npm run build\` before these tests`);
  }
}

interface Result {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the built CLI as a child process: its own Node, its own exit. */
function run(db: string, args: readonly string[], dir: string, stdin?: string): Promise<Result> {
  const argv = [MAIN, '--db', db, '--actor', 'ci-bot', ...args.map((a) => a.replace('{dir}', dir))];
  const env = { ...process.env, DOSSIER_DEBUG: '', DOSSIER_DB: '', DOSSIER_ACTOR: '', FORCE_COLOR: '0' };
  return new Promise((resolve) => {
    const child = execFile(process.execPath, argv, { cwd: ROOT, env, maxBuffer: 256 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, out: stdout, err: stderr });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** Runs cases a few at a time (the machine's cores are shared). */
async function runAll(db: string, cases: readonly Case[], dir: string, parallel: number): Promise<Result[]> {
  const results: Result[] = new Array<Result>(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i];
      if (c !== undefined) results[i] = await run(db, c.args, dir, c.stdin);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

/** Checks stdout against its kind; throws with the reason when it is not. */
function checkOutput(kind: Output, out: string): void {
  switch (kind) {
    case 'json':
      JSON.parse(out);
      return;
    case 'sarif': {
      const sarif = JSON.parse(out) as { version?: string };
      if (sarif.version !== '2.1.0') throw new Error('not SARIF 2.1.0');
      return;
    }
    case 'csv': {
      if (!out.endsWith('\n')) throw new Error('last row does not end with a line break');
      const rows = parseCsv(out);
      const width = rows[0]?.length ?? 0;
      if (rows.length < 2 || rows.some((r) => r.length !== width)) throw new Error('CSV rows of unequal width, or no data row');
      return;
    }
    case 'junit': {
      const parser = new SaxesParser();
      let root = '';
      parser.on('error', (e) => {
        throw e;
      });
      parser.on('opentag', (t) => {
        root ||= t.name;
      });
      parser.write(out).close();
      if (root !== 'testsuites') throw new Error(`root element is ${root}, not testsuites`);
      return;
    }
    case 'dot':
      if (!/^digraph \w+ \{\n[\s\S]*\n\}\n$/.test(out)) throw new Error('not a DOT digraph');
      return;
    case 'markdown':
      if (!out.startsWith('# ')) throw new Error('not a Markdown document with a title');
      return;
    case 'yaml':
    case 'text':
      if (out.trim() === '') throw new Error('no output');
      return;
    case 'empty':
      if (out !== '') throw new Error('stdout is not empty');
      return;
  }
}

/** The expectations every invocation shares, with the command in each message. */
function expectCase(c: Case, r: Result): void {
  const what = `dossier ${c.args.join(' ')}\nstderr: ${r.err}`;
  expect(r.err, what).not.toMatch(/^\s+at .+:\d+:\d+\)?$|ERR_[A-Z_]+|TypeError|internal error/m);
  expect(r.code, what).toBe(c.exit);
  expect(() => checkOutput(c.out, r.out), what).not.toThrow();
  if (c.exit >= 2) expect(r.err, what).toMatch(/^dossier: [^\n]+\n$|^error: [^\n]+\n/);
  if (c.has !== undefined) {
    const where = c.exit >= 2 ? r.err : r.out;
    if (typeof c.has === 'string') expect(where, what).toContain(c.has);
    else expect(where, what).toMatch(c.has);
  }
}

/** A case's name in the report. */
const named = (cases: readonly Case[], group: string): (Case & { readonly name: string; readonly index: number })[] =>
  cases.map((c, index) => ({ ...c, index, name: `${group} ${index + 1}: dossier ${c.args.join(' ').replace(/\n/g, '\\n')} → exit ${c.exit}, ${c.out}` }));

describe.each(DIALECTS)('the built dossier CLI as a process on %s', (dialect) => {
  let stores: TestStore[] = [];
  let dir = '';
  const results = new Map<readonly Case[], Result[]>();

  // Everything runs up front (reads in parallel, then writes in order, then the other stores), and each case
  // is then its own test, so a failure names the command.
  beforeAll(async () => {
    assertBuilt();
    dir = mkdtempSync(join(tmpdir(), 'dossier-process-'));
    writeFiles(dir);
    stores = await Promise.all([0, 1, 2, 3].map(() => openTestStore(dialect)));
    const [demoStore, empty, emptyJson, fresh] = stores.map((s) => s.dbArg) as [string, string, string, string];
    const demo = await run(demoStore, ['demo'], dir);
    if (demo.code !== 0) throw new Error(`dossier demo exited ${demo.code}: ${demo.err}`);
    results.set(READS, await runAll(demoStore, READS, dir, 4));
    results.set(WRITES, await runAll(demoStore, WRITES, dir, 1));
    const [a, b, d] = await Promise.all([runAll(empty, EMPTY_STORE, dir, 1), runAll(emptyJson, EMPTY_STORE_JSON, dir, 1), runAll(fresh, FRESH_DEMO, dir, 1)]);
    results.set(EMPTY_STORE, a);
    results.set(EMPTY_STORE_JSON, b);
    results.set(FRESH_DEMO, d);
  }, 900_000);
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.cleanup()));
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  const groups: [string, readonly Case[]][] = [
    ['read', READS],
    ['write', WRITES],
    ['empty store', EMPTY_STORE],
    ['empty store, JSON', EMPTY_STORE_JSON],
    ['fresh store', FRESH_DEMO],
  ];
  for (const [group, cases] of groups) {
    it.each(named(cases, group))('$name', (c) => {
      const r = results.get(cases)?.[c.index];
      if (r === undefined) throw new Error('not run');
      expectCase(c, r);
    });
  }
});

/** The files the cases name: a body, rule packs, a policy, test runs, and a small git repository. */
function writeFiles(dir: string): void {
  writeFileSync(join(dir, 'body.md'), '# Export\n\nThe matrix exports as CSV and JSON.\n');
  const pack = (name: string): string =>
    `pack: ${name}\ntitle: Team\nrules:\n  - id: ${name.toUpperCase()}-1\n    clause: TEAM 1\n    title: Requirements are approved\n    severity: warning\n    select: { type: SRS }\n    require: { status: [approved] }\n    message: "{key} is not approved"\n    why: w\n    hint: h\n`;
  writeFileSync(join(dir, 'team.yaml'), pack('team'));
  writeFileSync(join(dir, 'team2.yaml'), pack('team2'));
  const matrix = { ...DEFAULT_RISK_POLICY.matrix, S4: { ...DEFAULT_RISK_POLICY.matrix['S4'], P1: 'acceptable' } };
  writeFileSync(join(dir, 'policy.yaml'), yaml({ ...DEFAULT_RISK_POLICY, matrix }));
  writeFileSync(join(dir, 'default-policy.yaml'), yaml(DEFAULT_RISK_POLICY));
  const junit = (failed: boolean): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite name="export" tests="1" failures="${failed ? 1 : 0}" timestamp="2026-11-20T10:00:00">` +
    `<testcase classname="export" name="TC-1 exports the matrix" time="0.1">${failed ? '<failure message="boom">boom</failure>' : ''}</testcase></testsuite></testsuites>\n`;
  writeFileSync(join(dir, 'rerun.xml'), junit(false));
  writeFileSync(join(dir, 'rerun-failed.xml'), junit(true));
  const repo = join(dir, 'repo');
  const git = (...args: string[]): void => {
    execFileSync('git', ['-C', repo, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false', ...args], { stdio: 'ignore' });
  };
  execFileSync('git', ['init', '-q', repo], { stdio: 'ignore' });
  writeFileSync(join(repo, 'export.ts'), 'export {};\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'Export the matrix as CSV', '-m', 'Implements: SRS-1');
}

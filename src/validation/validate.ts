import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, hostname, platform, release, totalmem, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { invalidInput } from '../core/errors.js';
import { compareDesign, fingerprints, type DesignFingerprint } from '../core/validation/design.js';
import { INSTALL_MANIFEST } from '../core/validation/installation.js';
import { ReleaseEvidenceSchema, type ReleaseEvidence } from '../core/validation/release-evidence.js';
import { validationFailures, validationReport, validationTechnicalFile, type ValidationRun } from '../core/validation/report.js';
import { writeTechnicalFile } from '../export/documents/build-files.js';
import { xmlText } from '../export/xml-text.js';
import { redact, type StoreTarget } from '../storage/open-store.js';
import { DESIGN_DIR, PACKAGE_ROOT, readDesignFolder } from './design-folder.js';
import { runIq } from './iq.js';
import { OQ_CASES } from './oq/cases/index.js';
import { runOq, type OqEngine, type OqResult } from './oq/run-oq.js';

/** What `dossier validate` is asked to do. */
export interface ValidateOptions {
  /** Folder for the report (created; files in it are replaced). */
  readonly out: string;
  /** The customer's store to qualify, when one exists there. */
  readonly store: StoreTarget | undefined;
  /** Why no store is checked, when `store` is undefined. */
  readonly noStoreReason?: string;
  /** PostgreSQL servers to run OQ on (each in a throwaway schema). */
  readonly postgres: readonly string[];
  /** Run OQ on SQLite too (default true). */
  readonly sqlite: boolean;
  /** A previous report folder (or its `validation.json`, or a design folder) to list changes since. */
  readonly compare?: string;
  /** The release's CI evidence summary; default: the one shipped in `validation/release-evidence.json`, if any. */
  readonly releaseEvidence?: string;
  readonly onProgress?: (line: string) => void;
}

/** What the run wrote, and its verdict. */
export interface ValidateResult {
  readonly pass: boolean;
  readonly version: string;
  readonly generatedAt: string;
  /** SHA-256 of the install manifest (the installation validated) and of the report's content. */
  readonly installationHash: string;
  readonly reportHash: string;
  /** The report folder, and in it the PDF and the run as data. */
  readonly out: string;
  readonly failures: readonly string[];
  readonly files: readonly string[];
  readonly iq: { readonly passed: number; readonly failed: number; readonly notApplicable: number };
  readonly oq: { readonly passed: number; readonly failed: number };
}

/** `validation.json` beside the report: the run as data, and the design fingerprints a later `--compare` reads. */
const SavedRunSchema = z.object({
  format: z.literal(1),
  version: z.string(),
  generatedAt: z.string(),
  design: z.array(z.object({ key: z.string(), type: z.string(), title: z.string(), hash: z.string() })),
});

/** Installation qualification, operational qualification, and the report. Never throws for what it finds. */
export async function validate(o: ValidateOptions): Promise<ValidateResult> {
  const progress = o.onProgress ?? (() => undefined);
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  const previous = o.compare === undefined ? undefined : readPrevious(o.compare);
  const release = readReleaseEvidence(o.releaseEvidence);
  const design = readDesignFolder();

  progress('installation qualification');
  const iq = await runIq({ root: PACKAGE_ROOT, ...(o.store === undefined ? {} : { store: o.store }), postgresUrls: o.postgres });
  if (o.store === undefined && o.noStoreReason !== undefined) {
    for (let i = 0; i < iq.length; i += 1) {
      const check = iq[i];
      if (check !== undefined && check.outcome === 'not_applicable' && ['IQ-7', 'IQ-8', 'IQ-9'].includes(check.id)) iq[i] = { ...check, detail: o.noStoreReason };
    }
  }

  const engines: OqEngine[] = [...(o.sqlite ? [{ dialect: 'sqlite' as const }] : []), ...o.postgres.map((url) => ({ dialect: 'postgres' as const, url }))];
  progress(`operational qualification: ${OQ_CASES.length} cases on ${engines.map((e) => e.dialect).join(' and ')}`);
  const oq: OqResult[] = await runOq(OQ_CASES, engines, (r, done, total) => progress(`  ${done}/${total} ${r.caseId} on ${r.dialect}: ${r.outcome}${r.message === null ? '' : ` (${r.message.split('\n')[0] ?? ''})`}`));

  const generatedAt = new Date().toISOString();
  const manifestFile = join(PACKAGE_ROOT, INSTALL_MANIFEST);
  const installationHash = existsSync(manifestFile) ? createHash('sha256').update(readFileSync(manifestFile)).digest('hex') : '(no install manifest)';
  const current = fingerprints(design);
  const pqMarkdown = readFileSync(join(PACKAGE_ROOT, 'templates', 'validation', 'pq-template.md'), 'utf8');
  const run: ValidationRun = {
    version: pkg.version,
    generatedAt,
    installationHash,
    environment: environment(o, pkg.version),
    design,
    iq,
    oqCases: OQ_CASES.map((k) => ({ id: k.id, title: k.title, verifies: k.verifies })),
    oq,
    engines: [...new Set(engines.map((e) => e.dialect))],
    release,
    comparison: previous === undefined ? null : { previous: previous.label, changes: compareDesign(previous.design, current) },
    pq: { file: 'pq-template.md', markdown: pqMarkdown },
  };
  const failures = validationFailures(run);

  progress('writing the report');
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  const report = validationReport(run);
  const built = await writeTechnicalFile(validationTechnicalFile(report, design, DEFAULT_CATALOG), out, new Set(['html', 'pdf'] as const));
  writeFileSync(join(out, 'pq-template.md'), pqMarkdown);
  writeFileSync(join(out, 'oq-results.xml'), oqJUnit(oq, run.oqCases, generatedAt));
  writeFileSync(
    join(out, 'validation.json'),
    `${JSON.stringify({ format: 1, version: pkg.version, generatedAt, verdict: failures.length === 0 ? 'pass' : 'fail', failures, installationHash, environment: run.environment, iq, oqCases: run.oqCases, oq, comparison: run.comparison, design: current }, null, 1)}\n`,
  );
  const files = [...built.files.map((f) => f.path).filter((p) => p === 'html/index.html' || p.startsWith('pdf/') || p === 'html/documents/validation-report.html'), 'validation.json', 'oq-results.xml', 'pq-template.md'];
  return {
    pass: failures.length === 0,
    version: pkg.version,
    generatedAt,
    installationHash,
    reportHash: report.contentHash,
    out,
    failures,
    files: files.map((f) => join(out, f)),
    iq: { passed: iq.filter((x) => x.outcome === 'passed').length, failed: iq.filter((x) => x.outcome === 'failed').length, notApplicable: iq.filter((x) => x.outcome === 'not_applicable').length },
    oq: { passed: oq.filter((x) => x.outcome === 'passed').length, failed: oq.filter((x) => x.outcome === 'failed').length },
  };
}

function environment(o: ValidateOptions, version: string): { label: string; value: string }[] {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no user name on this system (a container without passwd entry)
  }
  return [
    { label: 'Dossier', value: `${version} at ${PACKAGE_ROOT}` },
    { label: 'Node.js', value: `${process.version} (V8 ${process.versions.v8})` },
    { label: 'Operating system', value: `${platform()} ${release()} ${process.arch}` },
    { label: 'Host', value: `${hostname()}, ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB memory` },
    { label: 'Run by', value: `${user} (OS account)` },
    { label: 'Store checked', value: o.store === undefined ? (o.noStoreReason ?? 'none') : o.store.dialect === 'sqlite' ? `SQLite file ${o.store.location}` : `PostgreSQL ${redact(o.store.location)}${o.store.schema === undefined ? '' : ` schema ${o.store.schema}`}` },
    { label: 'OQ engines', value: [...(o.sqlite ? ['SQLite (temporary file)'] : []), ...o.postgres.map((u) => `PostgreSQL ${redact(u)} (throwaway schema)`)].join('; ') || 'none' },
    { label: 'Design file', value: `${DESIGN_DIR}` },
  ];
}

/** The OQ results as JUnit XML: evidence a customer can import into its own Dossier against Dossier's requirements. */
function oqJUnit(results: readonly OqResult[], cases: readonly { id: string; title: string; verifies: readonly string[] }[], at: string): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="dossier validate OQ" tests="${results.length}" failures="${results.filter((r) => r.outcome === 'failed').length}">`];
  for (const dialect of [...new Set(results.map((r) => r.dialect))]) {
    const mine = results.filter((r) => r.dialect === dialect);
    lines.push(`  <testsuite name="OQ on ${dialect}" timestamp="${at}" tests="${mine.length}" failures="${mine.filter((r) => r.outcome === 'failed').length}">`);
    for (const r of mine) {
      const k = cases.find((x) => x.id === r.caseId);
      const name = `${r.caseId} ${k?.title ?? ''} ${(k?.verifies ?? []).map((v) => `[DOSSIER-${v}]`).join(' ')}`;
      lines.push(`    <testcase classname="oq.${dialect}" name="${xmlText(name)}" time="${(r.durationMs / 1000).toFixed(3)}">`);
      if (r.outcome === 'failed') lines.push(`      <failure message="${xmlText((r.message ?? '').split('\n')[0] ?? '')}">${xmlText(r.message ?? '')}</failure>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/** The previous validation's design fingerprints: a report folder, its `validation.json`, or a design folder. */
function readPrevious(path: string): { label: string; design: DesignFingerprint[] } {
  if (!existsSync(path)) throw invalidInput(`--compare ${path}: no such file or folder (give a previous report folder, its validation.json, or a design folder)`, { file: path });
  const json = statSync(path).isDirectory() ? join(path, 'validation.json') : path;
  if (existsSync(json) && !statSync(json).isDirectory()) {
    let saved;
    try {
      saved = SavedRunSchema.safeParse(JSON.parse(readFileSync(json, 'utf8')));
    } catch (e) {
      throw invalidInput(`--compare ${json}: not JSON (${(e as Error).message})`, { file: json });
    }
    if (!saved.success) throw invalidInput(`--compare ${json}: not a validation.json of \`dossier validate\` (${saved.error.issues[0]?.path.join('.') ?? ''}: ${saved.error.issues[0]?.message ?? ''})`, { file: json });
    return { label: `the validation of Dossier ${saved.data.version} on ${saved.data.generatedAt.slice(0, 10)}`, design: saved.data.design };
  }
  return { label: `the design folder ${path}`, design: fingerprints(readDesignFolder(path)) };
}

function readReleaseEvidence(path: string | undefined): ReleaseEvidence | null {
  const file = path ?? join(PACKAGE_ROOT, 'validation', 'release-evidence.json');
  if (!existsSync(file)) {
    if (path !== undefined) throw invalidInput(`--release-evidence ${path}: no such file`, { file: path });
    return null;
  }
  let parsed;
  try {
    parsed = ReleaseEvidenceSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    throw invalidInput(`${file}: not JSON (${(e as Error).message})`, { file });
  }
  if (!parsed.success) throw invalidInput(`${file}: not a release evidence summary (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`, { file });
  return parsed.data;
}

/**
 * The DOC record (a report) a validation run is filed as: its title carries the version, verdict and day; its body
 * the counts, the failures and the hashes that tie it to the installation and the report attached to it.
 */
export function reportRecord(r: ValidateResult): { type: 'DOC'; title: string; body: string; fields: { docType: 'report'; clauses: string[] } } {
  const verdict = r.pass ? 'PASS' : 'FAIL';
  const body = [
    `Validation of Dossier ${r.version} for its use in our quality system, run by \`dossier validate\` on ${r.generatedAt}.`,
    '',
    `**Verdict: ${verdict}.** Installation qualification: ${r.iq.passed} passed, ${r.iq.failed} failed, ${r.iq.notApplicable} not applicable. Operational qualification: ${r.oq.passed} passed, ${r.oq.failed} failed.`,
    '',
    ...(r.failures.length === 0 ? [] : ['Failures:', '', ...r.failures.map((f) => `- ${f}`), '']),
    `Installation (install manifest SHA-256): \`${r.installationHash}\``,
    `Report content SHA-256: \`${r.reportHash}\``,
    '',
    'The full report, the results as data and the OQ results as JUnit are attached. Performance qualification is recorded separately, on the template the report ships.',
  ].join('\n');
  return {
    type: 'DOC',
    title: `Validation report: Dossier ${r.version} (${verdict}, ${r.generatedAt.slice(0, 10)})`,
    body,
    fields: { docType: 'report', clauses: ['ISO 13485 4.1.6', 'ISO 13485 7.5.6'] },
  };
}

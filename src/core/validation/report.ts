import type { Block, Cell, CellTone, GeneratedDocument, Inline, RecordPage, TechnicalFile } from '../documents/model.js';
import { documentContentHash } from '../documents/generate.js';
import { markdownBlocks } from '../documents/markdown.js';
import { fieldLabel, recordLink, text } from '../documents/parts.js';
import type { Catalog } from '../catalog/catalog.js';
import { valueText } from '../value-text.js';
import { evaluateEstimate, estimateOf, RiskPolicySchema, ZONE_LABEL, type RiskPolicy } from '../risk/policy.js';
import { DESIGN_PRODUCT, fingerprints, linkedFrom, linkedTo, recordsOf, type DesignChanges, type DesignFile } from './design.js';
import type { ReleaseEvidence } from './release-evidence.js';

/**
 * The validation report of one `dossier validate` run, as a generated document (so the documents' HTML and PDF
 * renderers lay it out): verdict, intended use, environment, installation and operational qualification, the
 * trace from requirement to test to result on this machine, the tool's risk assessment, open anomalies, changes
 * since the previous validation, the performance-qualification template and signature lines. Pure.
 */

/** One installation-qualification check (see `src/validation/iq.ts`). */
export interface IqOutcome {
  readonly id: string;
  readonly title: string;
  readonly outcome: 'passed' | 'failed' | 'not_applicable';
  readonly detail: string;
}

/** One OQ case as listed (see `src/validation/oq`). */
export interface OqCaseInfo {
  readonly id: string;
  readonly title: string;
  readonly verifies: readonly string[];
}

/** One OQ case's result on one engine. */
export interface OqOutcome {
  readonly caseId: string;
  readonly dialect: 'sqlite' | 'postgres';
  readonly outcome: 'passed' | 'failed';
  readonly durationMs: number;
  readonly message: string | null;
}

/** Everything one validation run found, and what it is compared with. */
export interface ValidationRun {
  /** Dossier's version. */
  readonly version: string;
  readonly generatedAt: string;
  /** SHA-256 of the install manifest: identifies the installation validated. */
  readonly installationHash: string;
  readonly environment: readonly { readonly label: string; readonly value: string }[];
  readonly design: DesignFile;
  readonly iq: readonly IqOutcome[];
  readonly oqCases: readonly OqCaseInfo[];
  readonly oq: readonly OqOutcome[];
  /** Engines OQ ran on. */
  readonly engines: readonly ('sqlite' | 'postgres')[];
  /** The release's own CI evidence summary, when the installation carries one. */
  readonly release: ReleaseEvidence | null;
  /** Changes since a previous validation (`--compare`): what it was and what changed. */
  readonly comparison: { readonly previous: string; readonly changes: DesignChanges } | null;
  /** The performance-qualification template (Markdown) and the file it is written to. */
  readonly pq: { readonly file: string; readonly markdown: string };
}

/** The verdict and every reason it is not a pass, one sentence each. */
export function validationFailures(run: ValidationRun): string[] {
  const failures: string[] = [];
  for (const c of run.iq) if (c.outcome === 'failed') failures.push(`${c.id} ${c.title}: ${c.detail}`);
  for (const r of run.oq) if (r.outcome === 'failed') failures.push(`${r.caseId} on ${engineName(r.dialect)} failed: ${r.message ?? 'no message'}`);
  if (run.oq.length === 0) failures.push('no operational-qualification case ran');
  if (run.release !== null) for (const p of run.release.problems) failures.push(`release evidence of ${run.release.version}: ${p}`);
  if (run.release !== null && run.release.version !== run.version) failures.push(`the release evidence is of version ${run.release.version}, this installation is ${run.version}`);
  return failures;
}

const engineName = (d: 'sqlite' | 'postgres'): string => (d === 'sqlite' ? 'SQLite' : 'PostgreSQL');
const c = (t: string, tone?: CellTone): Cell => ({ inlines: [text(t)], ...(tone === undefined ? {} : { tone }) });
const links = (keys: readonly string[]): Cell => ({ inlines: keys.flatMap((k, i): Inline[] => (i === 0 ? [recordLink(k)] : [text(', '), recordLink(k)])) });
const heading = (level: 1 | 2, t: string, anchor: string): Block => ({ kind: 'heading', level, text: t, anchor });
const para = (...inlines: Inline[]): Block => ({ kind: 'paragraph', inlines });
const outcomeTone = (o: string): CellTone => (o === 'passed' ? 'ok' : o === 'failed' ? 'gap' : 'muted');
const outcomeText = (o: string): string => (o === 'not_applicable' ? 'not applicable' : o);

/** The validation report as a generated document. */
export function validationReport(run: ValidationRun): GeneratedDocument {
  const failures = validationFailures(run);
  const pass = failures.length === 0;
  const d = run.design;
  const intendedUse = d.records.find((r) => r.type === 'DOC' && r.title.startsWith('Intended use'));
  const blocks: Block[] = [];

  // 1. Verdict, first and prominent: a failing run never reads as a pass.
  blocks.push(heading(1, '1 Result', 'result'));
  blocks.push(para(text(`Verdict: ${pass ? 'PASS' : 'FAIL'}`, { bold: true }), text(pass ? ' — every installation check passed or did not apply, and every operational-qualification case passed.' : ` — ${failures.length} failure(s), listed below; this installation is not validated until they are resolved.`)));
  for (const f of failures) blocks.push({ kind: 'gap', text: f });
  const iqFailed = run.iq.filter((x) => x.outcome === 'failed').length;
  const oqFailed = run.oq.filter((x) => x.outcome === 'failed').length;
  blocks.push({
    kind: 'list',
    ordered: false,
    items: [
      [text(`Installation qualification: ${run.iq.length} checks, ${iqFailed} failed, ${run.iq.filter((x) => x.outcome === 'not_applicable').length} not applicable.`)],
      [text(`Operational qualification: ${run.oqCases.length} cases on ${run.engines.map(engineName).join(' and ')}: ${run.oq.length - oqFailed} passed, ${oqFailed} failed.`)],
      [text(`Requirements: ${recordsOf(d, 'SRS').length}, of which ${recordsOf(d, 'SRS').filter((r) => run.oqCases.some((k) => k.verifies.includes(r.key))).length} are verified on this machine by OQ cases; the rest by the release's automated suite.`)],
      [text(run.release === null ? 'Release evidence: this installation carries no CI evidence summary.' : `Release evidence: Dossier ${run.release.version}, ${run.release.runs.map((r) => `${r.label}: ${r.passed}/${r.tests} passed`).join('; ')}.`)],
    ],
  });

  // 2. Scope.
  blocks.push(heading(1, '2 Scope and intended use', 'scope'));
  if (intendedUse !== undefined) blocks.push(...markdownBlocks(intendedUse.body, 1, 'intended-use'));
  else blocks.push({ kind: 'gap', text: 'The design file has no intended-use document.' });

  // 3. Environment.
  blocks.push(heading(1, '3 Environment', 'environment'));
  blocks.push({ kind: 'table', columns: [{ title: 'Item', width: 1 }, { title: 'Value', width: 3 }], rows: run.environment.map((e) => [c(e.label), c(e.value)]), sheet: 'Environment' });

  // 4. IQ.
  blocks.push(heading(1, '4 Installation qualification', 'iq'));
  blocks.push({
    kind: 'table',
    columns: [{ title: 'ID', width: 0.6 }, { title: 'Check', width: 2 }, { title: 'Result', width: 0.9 }, { title: 'What was found', width: 4 }],
    rows: run.iq.map((x) => [c(x.id), c(x.title), c(outcomeText(x.outcome), outcomeTone(x.outcome)), c(x.detail)]),
    sheet: 'IQ',
  });

  // 5. OQ.
  blocks.push(heading(1, '5 Operational qualification', 'oq'));
  blocks.push(para(text('Each case ran on a fresh, throwaway store of each engine, removed afterwards; the customer\'s own store was not touched.')));
  blocks.push({
    kind: 'table',
    columns: [{ title: 'Case', width: 0.6 }, { title: 'What it shows', width: 3 }, { title: 'Verifies', width: 1.2 }, ...run.engines.map((e) => ({ title: engineName(e), width: 1 }))],
    rows: run.oqCases.map((k) => [
      c(k.id),
      c(k.title),
      links(k.verifies),
      ...run.engines.map((e) => {
        const r = run.oq.find((x) => x.caseId === k.id && x.dialect === e);
        return r === undefined ? c('not run', 'gap') : c(r.outcome === 'passed' ? `passed (${r.durationMs} ms)` : `FAILED: ${r.message ?? ''}`, outcomeTone(r.outcome));
      }),
    ]),
    sheet: 'OQ',
  });

  // 6. Trace: requirement → test → result.
  blocks.push(heading(1, '6 Trace: requirement → test → result', 'trace'));
  blocks.push(para(text('For each requirement: the need it derives from, the OQ cases that verified it on this machine with their results, and the tests of the release\'s automated suite that name it (passed / tests, per CI run).')));
  const releaseLabels = run.release?.runs.map((r) => r.label) ?? [];
  blocks.push({
    kind: 'table',
    columns: [{ title: 'Requirement', width: 2.4 }, { title: 'Need', width: 0.6 }, { title: 'OQ cases', width: 0.9 }, { title: 'On this machine', width: 1.1 }, { title: 'Release suite', width: 1.6 }],
    rows: recordsOf(d, 'SRS').map((req) => {
      const cases = run.oqCases.filter((k) => k.verifies.includes(req.key));
      const results = run.oq.filter((r) => cases.some((k) => k.id === r.caseId));
      const here = cases.length === 0 ? c('no OQ case: release suite only', 'muted') : results.some((r) => r.outcome === 'failed') ? c('FAILED', 'gap') : results.length === 0 ? c('not run', 'gap') : c(`passed (${results.length} runs)`, 'ok');
      const rel = run.release?.requirements.find((r) => r.key === req.key);
      const suite =
        run.release === null
          ? c('no release evidence', 'muted')
          : rel === undefined
            ? c('not in the release evidence', 'gap')
            : c(releaseLabels.map((l) => `${l}: ${rel.runs[l]?.all.passed ?? 0}/${rel.runs[l]?.all.tests ?? 0}`).join('; '), releaseLabels.every((l) => (rel.runs[l]?.all.passed ?? 0) > 0 && (rel.runs[l]?.all.failed ?? 0) === 0) ? 'ok' : 'gap');
      return [{ inlines: [recordLink(req.key), text(` ${req.title}`)] }, links(linkedFrom(d, req.key, 'derives_from')), links(cases.map((k) => k.id)), here, suite];
    }),
    sheet: 'Trace',
  });

  // 7. Risk assessment.
  blocks.push(heading(1, '7 Risk assessment of Dossier as a tool', 'risk'));
  blocks.push(...riskBlocks(run));

  // 8. Open anomalies.
  blocks.push(heading(1, '8 Open anomalies', 'anomalies'));
  const open = recordsOf(d, 'ANOM').filter((a) => a.fields['resolvedIn'] === undefined);
  if (open.length === 0 && failures.length === 0) blocks.push(para(text('None: the design file lists no open anomaly, and this run found no failure.')));
  else {
    blocks.push({
      kind: 'table',
      columns: [{ title: 'Anomaly', width: 1 }, { title: 'What', width: 4 }],
      rows: [...open.map((a) => [links([a.key]), c(`${a.title} (${valueText(a.fields['criticality'])})`)]), ...failures.map((f) => [c('this run', 'gap'), c(f, 'gap')])],
    });
  }

  // 9. Changes since the previous validation.
  if (run.comparison !== null) {
    blocks.push(heading(1, '9 Changes since the previous validation', 'changes'));
    blocks.push(...changeBlocks(run.comparison.previous, run.comparison.changes));
  }

  // 10. PQ.
  blocks.push(heading(1, `${run.comparison === null ? 9 : 10} Performance qualification`, 'pq'));
  blocks.push(para(text(`Performance qualification is the customer's: its own scenarios, on its own data, by its own people. The template is written beside this report as ${run.pq.file}; fill it, run it, and file it with this report.`)));
  blocks.push(...markdownBlocks(run.pq.markdown, 1, 'pq'));

  // 11. Approval.
  blocks.push(heading(1, `${run.comparison === null ? 10 : 11} Approval`, 'approval'));
  blocks.push(para(text('By signing, each person confirms they reviewed this report and, for the approver, that Dossier is fit for the intended use stated in section 2 at this installation' + (pass ? '.' : ' once the failures in section 1 are resolved.'))));
  blocks.push({
    kind: 'table',
    columns: [{ title: 'Role', width: 1.2 }, { title: 'Printed name', width: 1.6 }, { title: 'Signature', width: 1.6 }, { title: 'Date', width: 1 }],
    rows: ['Prepared by (validation lead)', 'Reviewed by (quality)', 'Approved by (process owner)'].map((role) => [c(role), c(' '), c(' '), c(' ')]),
  });

  const records = [...new Set(d.records.map((r) => r.key))];
  const doc = {
    id: 'validation-report',
    title: `Validation report: Dossier ${run.version}`,
    clauses: ['ISO 13485 4.1.6', 'ISO 13485 7.5.6', '21 CFR 820 (QMSR)', '21 CFR 11.10(a)'],
    product: { key: DESIGN_PRODUCT, name: `Dossier ${run.version}`, safetyClass: 'B', intendedUse: intendedUse?.title ?? 'Dossier as a quality-system tool' },
    baseline: { kind: 'now' as const, label: `installation ${run.installationHash.slice(0, 12)}`, hash: run.installationHash },
    history: [{ revision: run.version, date: run.generatedAt.slice(0, 10), author: 'dossier validate', description: pass ? 'Validation run: PASS' : 'Validation run: FAIL' }],
    signatures: [],
    blocks,
    gaps: failures,
    records,
  };
  return { ...doc, generatedAt: run.generatedAt, contentHash: documentContentHash(doc) };
}

function riskBlocks(run: ValidationRun): Block[] {
  const d = run.design;
  const rmp = recordsOf(d, 'RMP')[0];
  const parsed = rmp === undefined ? undefined : RiskPolicySchema.safeParse(rmp.fields);
  const policy: RiskPolicy | undefined = parsed?.success === true ? parsed.data : undefined;
  if (policy === undefined) return [{ kind: 'gap', text: 'The design file has no valid risk policy (RMP), so zones cannot be evaluated.' }];
  const zone = (fields: Readonly<Record<string, unknown>>, which: 'initial' | 'residual'): Cell => {
    const e = evaluateEstimate(policy, estimateOf(fields, which));
    return 'problem' in e ? c(e.problem, 'gap') : c(`${e.severity} × ${e.basis}: ${ZONE_LABEL[e.zone]}`, e.zone === 'acceptable' ? 'ok' : e.zone === 'reduce' ? 'warning' : 'gap');
  };
  const verified = (rc: string): Cell => {
    const reqs = linkedTo(d, rc, 'implements').filter((k) => k.startsWith('SRS-'));
    const cases = run.oqCases.filter((k) => k.verifies.some((v) => v === rc || reqs.includes(v)));
    const results = run.oq.filter((r) => cases.some((k) => k.id === r.caseId));
    if (cases.length === 0) return c('by the release suite', 'muted');
    return results.some((r) => r.outcome === 'failed') ? c(`FAILED (${cases.map((k) => k.id).join(', ')})`, 'gap') : c(`passed here (${cases.map((k) => k.id).join(', ')})`, 'ok');
  };
  const rows: Cell[][] = [];
  for (const risk of recordsOf(d, 'RISK')) {
    const hs = linkedFrom(d, risk.key, 'assesses');
    const haz = hs.flatMap((s) => linkedTo(d, s, 'leads_to'));
    const harms = hs.flatMap((s) => linkedFrom(d, s, 'results_in'));
    const controls = linkedTo(d, risk.key, 'mitigates');
    rows.push([
      { inlines: haz.flatMap((h) => [recordLink(h), text(` ${d.records.find((r) => r.key === h)?.title ?? ''}`)]) },
      links(harms),
      zone(risk.fields, 'initial'),
      { inlines: controls.flatMap((k, i) => [...(i === 0 ? [] : [text('; ')]), recordLink(k), text(` ${d.records.find((r) => r.key === k)?.title ?? ''}`)]) },
      links([...new Set(controls.flatMap((k) => linkedTo(d, k, 'implements')))]),
      ...[controls.length === 0 ? c('no control', 'gap') : worst(controls.map(verified))],
      withNote(zone(risk.fields, 'residual'), risk.fields['rationale']),
    ]);
  }
  return [
    para(text('What a wrong result of Dossier could do to a customer\'s device, and what controls it. Severity is the harm the wrong result could contribute to; probability that it reaches a released device. Zones from the design file\'s risk policy.')),
    {
      kind: 'table',
      columns: [
        { title: 'Hazard', width: 1.6 },
        { title: 'Harm', width: 0.6 },
        { title: 'Initial', width: 1.2 },
        { title: 'Risk controls', width: 2.2 },
        { title: 'Implemented by', width: 1.2 },
        { title: 'Control verified', width: 1.2 },
        { title: 'Residual', width: 1.2 },
      ],
      rows,
      sheet: 'Tool risks',
    },
  ];
}

/** A cell with the estimate's rationale after it, when it has one. */
function withNote(cell: Cell, note: unknown): Cell {
  return typeof note === 'string' ? { ...cell, inlines: [...cell.inlines, text(` ${note}`, { italic: true })] } : cell;
}

/** The least reassuring of several verification cells. */
function worst(cells: readonly Cell[]): Cell {
  return cells.find((x) => x.tone === 'gap') ?? cells.find((x) => x.tone === 'muted') ?? cells[0] ?? c('–');
}

function changeBlocks(previous: string, ch: DesignChanges): Block[] {
  const none = ch.added.length + ch.removed.length + ch.changed.length === 0;
  if (none) return [para(text(`No requirement, risk or control changed since ${previous}.`))];
  return [
    para(text(`Compared with ${previous}. Revalidate what changed: rerun the OQ cases and PQ scenarios that touch these records.`)),
    {
      kind: 'table',
      columns: [{ title: 'Change', width: 0.8 }, { title: 'Record', width: 0.8 }, { title: 'Title', width: 4 }],
      rows: [
        ...ch.added.map((f) => [c('added', 'warning'), links([f.key]), c(f.title)]),
        ...ch.changed.map((f) => [c('changed', 'warning'), links([f.key]), c(f.before === f.title ? f.title : `${f.before} → ${f.title}`)]),
        ...ch.removed.map((f) => [c('removed', 'gap'), c(f.key), c(f.title)]),
      ],
      sheet: 'Changes',
    },
  ];
}

/** The report and a page per design record, as a technical file for the HTML site (links from the report resolve). */
export function validationTechnicalFile(report: GeneratedDocument, design: DesignFile, catalog: Catalog): TechnicalFile {
  const hashes = new Map(fingerprints(design).map((f) => [f.key, f.hash]));
  const title = (k: string): string => design.records.find((r) => r.key === k)?.title ?? '';
  const records: RecordPage[] = design.records.map((r) => ({
    key: r.key,
    type: r.type,
    typeName: catalog.recordTypes.get(r.type)?.name ?? r.type,
    title: r.title,
    status: 'approved',
    revision: 1,
    hash: hashes.get(r.key) ?? '',
    fields: Object.entries(r.fields)
      .filter(([, v]) => v !== undefined && (typeof v !== 'object' || r.type !== 'RMP'))
      .map(([k, v]) => ({ label: fieldLabel(k), value: valueText(v) })),
    body: markdownBlocks(r.body, 1, `rec-${r.key}`),
    upstream: design.links.filter((l) => l.from === r.key).map((l) => ({ linkType: l.type, key: l.to, title: title(l.to), suspect: false })),
    downstream: design.links.filter((l) => l.to === r.key).map((l) => ({ linkType: l.type, key: l.from, title: title(l.from), suspect: false })),
    signatures: [],
    documents: [{ id: report.id, title: report.title }],
  }));
  return { product: report.product, baseline: report.baseline, generatedAt: report.generatedAt, documents: [report], records };
}

import type { Finding } from '../core/rules/evaluate-rules.js';
import type { Zone } from '../core/risk/policy.js';
import { ZONE_LABEL } from '../core/risk/policy.js';
import type { RiskRow, ZoneCounts } from '../core/risk/risk-file.js';
import type { RiskFileView } from '../app/services/risk-file.js';
import type { RiskMatrix, RiskTable } from '../core/risk/risk-file-schema.js';
import { markdownText as md } from './markdown-text.js';

/** Text and Markdown views of the risk file: the FMEA-style table, the matrix grid, the risk management report. */

const ZONE_MARK: Readonly<Record<Zone, string>> = { acceptable: 'A', reduce: 'R', unacceptable: 'U' };
const VERIFICATION_MARK: Readonly<Record<string, string>> = { passed: 'passed', failed: 'FAILED', not_run: 'not run', untested: 'no test' };

/** A cause as the table shows it: a sequence of events with what drives it, any other cause by its ID. */
const causeText = (c: RiskRow['causes'][number]): string => (c.key.startsWith('SEQ-') ? `${c.key} (${c.kind.replace(/_/g, ' ')})` : c.key);

/** Rows of the risk table for one risk: one row, or with `perCause` one row per cause (FMEA style). */
export function riskTableRows(r: RiskRow, perCause: boolean): string[][] {
  const row = riskTableRow(r);
  if (!perCause || r.causes.length <= 1) return [row];
  return r.causes.map((c) => row.map((cell, i) => (i === 2 ? causeText(c) : cell)));
}

/** One row of the risk table, as plain cells (shared by text, CSV and the report). */
export function riskTableRow(r: RiskRow): string[] {
  const est = (v: RiskRow['initial']): [string, string, string] => (v === null ? ['-', '-', '-'] : [v.severity, v.basis === v.probability ? v.probability : `${v.probability} (${v.basis})`, ZONE_MARK[v.zone]]);
  return [
    r.key,
    r.hazards.join(' ') || '-',
    r.causes.map(causeText).join(', ') || '-',
    r.situations.join(' ') || '-',
    r.harms.join(' ') || '-',
    ...est(r.initial),
    r.controls.map((c) => `${c.key} ${VERIFICATION_MARK[c.verification] ?? c.verification}`).join(', ') || '-',
    ...est(r.residual),
    r.benefitRisk.map((b) => b.key).join(' ') || '-',
    r.review.state,
  ];
}

export const RISK_TABLE_HEAD = ['risk', 'hazard', 'causes', 'situation', 'harm', 'S', 'P', 'zone', 'controls (verification)', "S'", "P'", "zone'", 'benefit-risk', 'review'];

/** The FMEA-style table: one row per risk estimate (or per cause of each), before and after controls. */
export function renderRiskTable(t: RiskTable, table: (head: readonly string[], rows: readonly (readonly unknown[])[]) => string, perCause = false): string {
  const lines = [
    `risk table of ${t.product}${t.release === null ? '' : ` release ${t.release}`}: ${t.rows.length} risks, policy ${policyName(t.policy)}`,
    '',
    table(RISK_TABLE_HEAD, t.rows.flatMap((r) => riskTableRows(r, perCause))),
    '',
    'zones: A acceptable, R reduce as far as possible, U unacceptable; S\' P\' zone\' after controls',
  ];
  const problems = t.rows.filter((r) => r.problems.length > 0);
  if (problems.length > 0) lines.push('', 'estimates the current policy cannot place:', ...problems.map((r) => `  ${r.key}: ${r.problems.join('; ')}`));
  return lines.join('\n');
}

function policyName(p: { readonly record: string | null; readonly revision: number }): string {
  return p.record === null ? 'built-in default (no RMP record yet)' : `${p.record} revision ${p.revision}`;
}

/** The scales and zones a matrix grid is drawn with. */
interface MatrixScales {
  readonly severity: readonly { readonly key: string; readonly name: string }[];
  readonly probability: readonly { readonly key: string; readonly name: string }[];
  readonly matrix: Readonly<Record<string, Readonly<Record<string, Zone>>>>;
}

/** The matrix as a grid: severity rows (worst first), probability columns, each cell `count zone`. */
export function renderMatrixGrid(policy: MatrixScales, counts: ZoneCounts, title: string, table: (head: readonly string[], rows: readonly (readonly unknown[])[]) => string): string {
  const rows = [...policy.severity].reverse().map((s) => [
    `${s.key} ${s.name}`,
    ...policy.probability.map((p) => {
      const n = counts[s.key]?.[p.key] ?? 0;
      const zone = policy.matrix[s.key]?.[p.key] ?? 'acceptable';
      return `${n === 0 ? '.' : String(n)} ${ZONE_MARK[zone]}`;
    }),
  ]);
  return [title, table(['', ...policy.probability.map((p) => `${p.key} ${p.name}`)], rows)].join('\n');
}

/** The matrix before and after controls, as two grids with their zone totals. */
export function renderRiskMatrix(m: RiskMatrix, table: (head: readonly string[], rows: readonly (readonly unknown[])[]) => string): string {
  const scales: MatrixScales = { severity: m.severity, probability: m.probability, matrix: m.zones };
  const totals = (z: Readonly<Record<Zone, number>>): string => `${z.acceptable} acceptable, ${z.reduce} reduce, ${z.unacceptable} unacceptable`;
  return [
    `risk matrix of ${m.product}${m.release === null ? '' : ` release ${m.release}`} (policy ${policyName(m.policy)}); each cell: number of risks and the cell's zone`,
    '',
    renderMatrixGrid(scales, m.initial, `initial (before controls): ${totals(m.totals.initial)}${m.notEstimated.initial > 0 ? `, ${m.notEstimated.initial} not estimated` : ''}`, table),
    '',
    renderMatrixGrid(scales, m.residual, `residual (after controls): ${totals(m.totals.residual)}${m.notEstimated.residual > 0 ? `, ${m.notEstimated.residual} not estimated` : ''}`, table),
    '',
    'A acceptable, R reduce as far as possible, U unacceptable',
  ].join('\n');
}

const mdTable = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  [`| ${head.map(md).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(md).join(' | ')} |`)].join('\n');

/**
 * The risk management report (ISO 14971 9) as Markdown: the policy, every risk with its controls and their
 * verification, residual risks, benefit-risk analyses, the overall residual risk evaluation with its disclosures,
 * reviews due and the open items.
 */
export function renderRiskReport(view: RiskFileView): string {
  const f = view.file;
  const p = f.policy.policy;
  const out: string[] = [];
  // Sections are numbered as they are written, so one left out (no threats) leaves no gap.
  let section = 0;
  const heading = (title: string): void => {
    section++;
    out.push(`## ${section}. ${title}`, '');
  };
  /** `HAZ-1 Data altered in transit`: an ID with its title, as report tables show records. */
  const named = (key: string): string => {
    const title = f.titles[key];
    return title === undefined || title === '' ? key : `${key} ${title}`;
  };
  const namedList = (ks: readonly string[]): string => ks.map(named).join('; ') || '-';
  out.push(`# Risk management report: ${md(view.product.key)} ${md(view.product.name)}${view.release === null ? '' : `, release ${md(view.release)}`}`, '');
  out.push(`Generated from the Dossier risk file as of ${f.asOf}. Clause numbers refer to ISO 14971:2019.`, '');
  heading('Risk policy (4.2)');
  out.push(`Policy: ${md(policyName(view.file.policy))}. Probability is estimated as ${p.probabilityMode === 'single' ? 'one figure' : 'P1 × P2'}; security causes may use the exploitability scale instead. Risks are reviewed every ${p.reviewIntervalDays} days.`, '');
  out.push(mdTable(['severity', 'name', 'definition'], p.severity.map((l) => [l.key, l.name, l.definition])), '');
  out.push(mdTable(['probability', 'name', 'definition'], p.probability.map((l) => [l.key, l.name, l.definition])), '');
  out.push(mdTable(['exploitability', 'name', 'counts as', 'definition'], p.exploitability.map((l) => [l.key, l.name, p.exploitabilityAsProbability[l.key] ?? '', l.definition])), '');
  out.push(mdTable(['severity \\ probability', ...p.probability.map((q) => q.key)], [...p.severity].reverse().map((s) => [s.key, ...p.probability.map((q) => ZONE_LABEL[p.matrix[s.key]?.[q.key] ?? 'acceptable'])])), '');
  out.push(`Overall residual risk criteria: ${md(p.overallCriteria)}`, '');

  heading('Risk analysis and evaluation (5, 6)');
  const z = f.zoneTotals;
  out.push(`${f.rows.length} risk estimates. Before controls: ${z.initial.unacceptable} unacceptable, ${z.initial.reduce} to reduce, ${z.initial.acceptable} acceptable. After controls: ${z.residual.unacceptable} unacceptable, ${z.residual.reduce} to reduce, ${z.residual.acceptable} acceptable.`, '');
  out.push(
    mdTable(
      RISK_TABLE_HEAD,
      f.rows.map((r) => {
        const cells = riskTableRow(r);
        // The report is read on its own: the risk, its hazards, causes, situations and harms with their titles.
        cells[0] = named(r.key);
        cells[1] = namedList(r.hazards);
        cells[2] = r.causes.map((c) => `${causeText(c)}${c.title === '' ? '' : ` ${c.title}`}`).join('; ') || '-';
        cells[3] = namedList(r.situations);
        cells[4] = namedList(r.harms);
        return cells;
      }),
    ),
    '',
  );

  heading('Risk controls and their verification (7.1, 7.2, 7.5)');
  const controls = new Map(f.rows.flatMap((r) => r.controls.map((c) => [c.key, c] as const)));
  out.push(
    mdTable(
      ['control', 'option', 'implemented by', 'tests', 'verification', 'effectiveness', 'introduces'],
      [...controls.values()].map((c) => [
        `${c.key} ${c.title}`,
        c.option.replace(/_/g, ' '),
        c.implementedBy.join(' ') || '-',
        c.tests.map((t) => `${t.key} ${t.verdict.replace('_', ' ')}`).join(', ') || '-',
        VERIFICATION_MARK[c.verification] ?? c.verification,
        c.effectiveness.join(' ') || '-',
        c.introduces.join(' ') || '-',
      ]),
    ),
    '',
  );

  if (view.extras.threats.length > 0) {
    heading('Security threats (5.4)');
    out.push(mdTable(['threat', 'asset', 'attack vector', 'CVSS'], view.extras.threats.map((t) => [`${t.key} ${t.title}`, t.asset, t.attackVector.replace(/_/g, ' '), t.cvss ?? '-'])), '');
  }

  heading('Residual risks and benefit-risk analyses (7.3, 7.4)');
  const notAcceptable = f.rows.filter((r) => (r.residual ?? r.initial)?.zone !== undefined && (r.residual ?? r.initial)?.zone !== 'acceptable');
  out.push(notAcceptable.length === 0 ? 'Every residual risk is acceptable.' : `Residual risks not acceptable on their own: ${md(notAcceptable.map((r) => `${named(r.key)} (${(r.residual ?? r.initial)?.zone ?? ''}${r.benefitRisk.length > 0 ? `, justified by ${r.benefitRisk.map((b) => b.key).join(' ')}` : ', no benefit-risk analysis'})`).join('; '))}.`, '');
  for (const b of view.extras.benefitRisk) out.push(`- ${md(`${b.key} ${b.title} (${b.status.replace('_', ' ')}): ${b.conclusion.replace(/_/g, ' ')}. ${b.benefits}`)}`);
  if (view.extras.benefitRisk.length > 0) out.push('');

  heading('Overall residual risk (8)');
  if (view.extras.overall.length === 0) out.push('No overall residual risk evaluation is recorded yet.', '');
  for (const o of view.extras.overall) {
    out.push(`- ${md(`${o.key} ${o.title} for release ${o.release} (${o.status.replace('_', ' ')}): overall residual risk ${o.acceptable ? 'acceptable' : 'NOT acceptable'}.`)}`);
    for (const d of o.disclosures) out.push(`  - Disclosure: ${md(d)}`);
  }
  out.push('');

  heading('Reviews and post-production information (10)');
  const due = f.rows.filter((r) => r.review.state !== 'current');
  out.push(due.length === 0 ? 'Every risk is reviewed and no new information waits.' : mdTable(['risk', 'state', 'last assessed', 'due', 'new information'], due.map((r) => [named(r.key), r.review.state, r.review.lastAssessed.slice(0, 10), r.review.due.slice(0, 10), r.review.newInformation.join(' ') || '-'])), '');

  heading('Open items');
  out.push(...openItems(view.openItems), '');
  return out.join('\n');
}

function openItems(items: readonly Finding[] | null): string[] {
  if (items === null) return ['(not checked)'];
  if (items.length === 0) return ['None: the ISO 14971 rule pack finds nothing open.'];
  return items.map((x) => `- [${x.severity}] ${md(`${x.clause} ${x.message}. ${x.hint}`)}`);
}

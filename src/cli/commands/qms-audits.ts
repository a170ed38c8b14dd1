import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { terminalText } from '../../export/terminal-text.js';
import { formatOption, type Kit } from '../command-kit.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../output.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a day given on the command line. */
function dayOption(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && !DAY.test(value)) throw invalidInput(`${flag} must be a day, YYYY-MM-DD, not '${value}'`, { field: flag });
  return value;
}

const counts = (c: Readonly<Record<string, number>>): string => Object.entries(c).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';

/**
 * `dossier qms audit programme|checklist`, `qms review inputs|compile`, `qms suppliers`, `qms metrics`: internal
 * audits (ISO 13485 8.2.4), management review (5.6), suppliers (7.4) and quality metrics.
 */
export function registerQmsAuditCommands(qms: Command, kit: Kit): void {
  const audit = qms.command('audit').description('internal audits (ISO 13485 8.2.4): the programme and each audit\'s checklist');

  audit
    .command('programme')
    .description('clauses covered by the audits of a cycle, the uncovered ones, each audit with its findings and auditor independence; exit 1 when a clause is uncovered or an auditor audits their own documents')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--cycle <cycle>', 'the programme cycle, e.g. 2026 (default: every cycle)')
    .action(
      kit.action(async (ctx, o: { product?: string; cycle?: string }) => {
        const { getAuditProgrammeUseCase } = await import('../../app/use-cases/get-audit-programme.js');
        const p = await ctx.run(getAuditProgrammeUseCase, { productKey: await ctx.productKey(o.product), ...(o.cycle === undefined ? {} : { cycle: o.cycle }) });
        ctx.print(p, () =>
          [
            `audit programme of ${p.product}, ${p.cycle === null ? `every cycle (${p.cycles.join(', ') || 'none'})` : `cycle ${p.cycle}`}: ${p.coverage.covered} of ${p.coverage.applicable} applicable clauses covered`,
            '',
            p.audits.length === 0
              ? 'no audit in this cycle'
              : table(
                  ['AUDIT', 'STATE', 'AUDITOR', 'PLANNED', 'HELD', 'SCOPE', 'MAJOR', 'MINOR', 'OBS', 'OPEN', 'OPEN W/O CAPA', 'TITLE'],
                  p.audits.map((a) => [
                    a.key,
                    a.state,
                    a.auditor ?? '-',
                    a.plannedOn ?? '-',
                    a.heldOn ?? '-',
                    terminalText(a.scope.map((s) => s.replace(/^ISO 13485 /, '')).join(' ')),
                    a.findingsByGrade.major,
                    a.findingsByGrade.minor,
                    a.findingsByGrade.observation,
                    a.openFindings,
                    a.openWithoutCapa,
                    terminalText(a.title),
                  ]),
                ),
            ...p.audits.flatMap((a) =>
              a.findings.filter((f) => f.open).map((f) => `  ${a.key} ${f.key} ${f.grade} ${terminalText(f.clause)} ${f.state}: ${f.capas.length === 0 ? 'no CAPA addresses it' : `addressed by ${f.capas.join(', ')}`}`),
            ),
            ...p.audits.flatMap((a) =>
              a.independence.length === 0 ? [] : [`  ${a.key}: auditor ${a.auditor ?? '?'} owns ${a.independence.map((c) => `${c.document} (clause ${c.clause})`).join(', ')}: not independent`],
            ),
            '',
            p.uncovered.length === 0 ? 'every applicable clause is covered' : `not covered (${p.uncovered.length}): ${p.uncovered.map((c) => c.number).join(', ')}`,
          ].join('\n'),
        );
        return p.uncovered.length > 0 || p.audits.some((a) => a.independence.length > 0) ? EXIT.findings : EXIT.ok;
      }),
    );

  audit
    .command('checklist')
    .description('the checklist of an audit: per clause in scope, the question and the documents and records to look at')
    .argument('<audit>', 'the audit, e.g. AUD-2')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, record: string, o: { product?: string }) => {
        const { getAuditChecklistUseCase } = await import('../../app/use-cases/get-audit-checklist.js');
        const c = await ctx.run(getAuditChecklistUseCase, { productKey: await ctx.productKey(o.product), record });
        ctx.print(c, () =>
          [
            `checklist of ${c.product}/${c.audit} "${terminalText(c.title)}" (${c.state}; auditor ${c.auditor ?? 'not named'})`,
            ...c.items.flatMap((i) => [
              '',
              `[ ] ${i.clause} ${i.title}`,
              `    ${i.question}`,
              ...(i.documents.length === 0
                ? ['    documents: none names this clause']
                : i.documents.map((d) => `    document ${d.key}${d.number === null ? '' : ` ${terminalText(d.number)}`} "${terminalText(d.title)}" ${d.versionInForce === null ? `(${d.status}, no version in force)` : `v${terminalText(d.versionInForce)} in force`}`)),
              ...(i.recordTypes.length === 0 ? [] : [`    records: ${i.recordTypes.map((t) => `${t.type} ${t.records}`).join(', ')}`]),
            ]),
            ...(c.otherScope.length === 0 ? [] : ['', `also in scope (no clause of the ISO 13485 list): ${terminalText(c.otherScope.join(', '))}`]),
            ...(c.independence.length === 0
              ? []
              : ['', `not independent: ${c.auditor ?? '?'} owns ${c.independence.map((x) => `${x.document} (clause ${x.clause})`).join(', ')}`]),
          ].join('\n'),
        );
      }),
    );

  const review = qms.command('review').description('management review (ISO 13485 5.6): inputs from the store, compiled into the review');

  review
    .command('inputs')
    .description('the management review inputs of a period: feedback and complaints, audits, monitoring, CAPA, training, risk, changes, previous actions, suppliers')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .requiredOption('--from <date>', 'first day of the period, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day of the period, YYYY-MM-DD')
    .option('--as-of <date>', 'judge what is open or overdue on this day (default: today)')
    .option('--format <format>', 'text or json', 'text')
    .action(
      kit.action(async (ctx, o: { product?: string; from: string; to: string; asOf?: string; format: string }) => {
        const format = formatOption(o.format, ['text', 'json']);
        const asOf = dayOption('--as-of', o.asOf);
        const { getReviewInputsUseCase } = await import('../../app/use-cases/get-review-inputs.js');
        const v = await ctx.run(getReviewInputsUseCase, {
          productKey: await ctx.productKey(o.product),
          periodFrom: dayOption('--from', o.from) ?? o.from,
          periodTo: dayOption('--to', o.to) ?? o.to,
          ...(asOf === undefined ? {} : { asOf }),
        });
        if (format === 'json') {
          ctx.io.out(`${JSON.stringify(v, null, 2)}\n`);
          return;
        }
        ctx.print(v, () => renderReviewInputs(v));
      }),
    );

  review
    .command('compile')
    .description('record the inputs of a planned review (their SHA-256 digest) and move it to inputs_compiled')
    .argument('<review>', 'the management review, e.g. MREV-2')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, record: string, o: { product?: string; reason?: string }) => {
        const { compileReviewUseCase } = await import('../../app/use-cases/compile-review.js');
        const c = await ctx.run(compileReviewUseCase, { productKey: await ctx.productKey(o.product), record, ...(o.reason === undefined ? {} : { reason: o.reason }) });
        ctx.print(c, () =>
          `${c.review.key} is now inputs_compiled at revision ${c.review.latestRevision} (inputs ${c.digest}); hold the review, record outputs and actions, then sign the minutes`,
        );
      }),
    );

  qms
    .command('suppliers')
    .description('the approved-supplier list: status, criticality, last evaluation, re-evaluation due, agreements expiring, SOUP supplied; exit 1 when a re-evaluation is overdue')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--as-of <date>', 'judge due dates on this day (default: today)')
    .action(
      kit.action(async (ctx, o: { product?: string; asOf?: string }) => {
        const asOf = dayOption('--as-of', o.asOf);
        const { listSuppliersUseCase } = await import('../../app/use-cases/list-suppliers.js');
        const s = await ctx.run(listSuppliersUseCase, { productKey: await ctx.productKey(o.product), ...(asOf === undefined ? {} : { asOf }) });
        ctx.print(s, () =>
          [
            s.suppliers.length === 0
              ? `${s.product} has no supplier`
              : table(
                  ['SUPPLIER', 'LIST', 'STATE', 'SIGNED', 'CRITICALITY', 'KIND', 'EVALUATED', 'DUE', 'SUPPLIES', 'NAME'],
                  s.suppliers.map((x) => [
                    x.key,
                    x.approvedForUse ? 'yes' : 'no',
                    x.state,
                    x.signed ? 'yes' : 'no',
                    x.criticality,
                    x.kind,
                    x.evaluatedOn ?? '-',
                    x.reevaluationDue === null ? '-' : `${x.reevaluationDue}${x.reevaluationOverdue ? ' OVERDUE' : ''}`,
                    x.supplies.join(' ') || '-',
                    terminalText(x.title),
                  ]),
                ),
            ...s.suppliers.flatMap((x) => x.agreementsExpiring.map((a) => `  ${x.key}: ${terminalText(a.name)} ${a.expired ? 'expired' : 'expires'} on ${a.expiresOn}`)),
            ...(s.soupWithoutSupplier.length === 0
              ? []
              : [`SOUP without a supplier (${s.soupWithoutSupplier.length}): ${s.soupWithoutSupplier.map((x) => `${x.key} ${terminalText(x.title)}`).join(', ')}`]),
            `approved-supplier list as of ${s.asOf}: ${s.approvedList.join(', ') || 'empty'}`,
          ].join('\n'),
        );
        return s.suppliers.some((x) => x.reevaluationOverdue) ? EXIT.findings : EXIT.ok;
      }),
    );

  qms
    .command('metrics')
    .description('quality metrics per month: CAPA ageing and on-time closure, complaints, training and document review compliance, audit finding closure')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--from <date>', 'first day of the range (default: twelve months up to --to)')
    .option('--to <date>', 'last day of the range (default: today)')
    .option('--format <format>', 'text or json (the series for charts)', 'text')
    .action(
      kit.action(async (ctx, o: { product?: string; from?: string; to?: string; format: string }) => {
        const format = formatOption(o.format, ['text', 'json']);
        const from = dayOption('--from', o.from);
        const to = dayOption('--to', o.to);
        const { getQmsMetricsUseCase } = await import('../../app/use-cases/get-qms-metrics.js');
        const m = await ctx.run(getQmsMetricsUseCase, {
          productKey: await ctx.productKey(o.product),
          ...(from === undefined ? {} : { periodFrom: from }),
          ...(to === undefined ? {} : { periodTo: to }),
        });
        if (format === 'json') {
          ctx.io.out(`${JSON.stringify(m, null, 2)}\n`);
          return;
        }
        const rate = (n: number | null): string => (n === null ? '-' : `${n}%`);
        ctx.print(m, () =>
          table(
            ['MONTH', 'OPEN CAPA', 'BY AGE', 'CLOSED', 'ON TIME', 'COMPLAINTS', 'TRAINING', 'DOC REVIEW', 'FINDINGS RAISED', 'CLOSED', 'OPEN'],
            m.months.map((month, n) => [
              month,
              m.capaAgeing[n]?.open ?? 0,
              counts(Object.fromEntries(Object.entries(m.capaAgeing[n]?.byAge ?? {}).filter(([, c]) => c > 0))),
              m.capaClosure[n]?.closed ?? 0,
              rate(m.capaClosure[n]?.onTimeRate ?? null),
              m.complaints[n]?.received ?? 0,
              rate(m.training[n]?.compliance ?? null),
              rate(m.documentReview[n]?.compliance ?? null),
              m.auditFindings[n]?.raised ?? 0,
              m.auditFindings[n]?.closed ?? 0,
              m.auditFindings[n]?.openAtEnd ?? 0,
            ]),
          ),
        );
      }),
    );
}

/** The review inputs as text. */
function renderReviewInputs(v: { product: string; digest: string; inputs: import('../../core/qms/management-review.js').ReviewInputs }): string {
  const i = v.inputs;
  const list = (xs: readonly string[]): string => (xs.length === 0 ? 'none' : xs.join(', '));
  return [
    `management review inputs of ${v.product}, ${i.period.from} to ${i.period.to} (as of ${i.asOf}; ${v.digest})`,
    '',
    'Feedback and complaints',
    `  complaints received: ${i.feedback.complaintsReceived} (by category: ${counts(i.feedback.byCategory)}; by version: ${terminalText(counts(i.feedback.byProductVersion))})`,
    `  reportable: ${list(i.feedback.reportable.map((c) => `${c.key} (FDA ${c.fda ?? '-'}, EU ${c.eu ?? '-'})`))}`,
    `  open complaints: ${i.feedback.openComplaints}; post-production information received: ${i.feedback.postProductionInformation}`,
    'Audits',
    `  held: ${list(i.audits.held.map((a) => `${a.key} on ${a.heldOn ?? '?'}`))}; findings: major ${i.audits.findingsByGrade.major}, minor ${i.audits.findingsByGrade.minor}, observation ${i.audits.findingsByGrade.observation}`,
    `  open findings: ${list(i.audits.openFindings.map((f) => `${f.key} ${f.grade}${f.capas.length === 0 ? ' (no CAPA)' : ` (${f.capas.join(', ')})`}`))}`,
    'Process and product monitoring',
    `  open anomalies: ${i.monitoring.openAnomalies} (${counts(i.monitoring.openAnomaliesByCriticality)}); nonconformances reported: ${i.monitoring.nonconformancesReported}, open: ${i.monitoring.openNonconformances}`,
    `  releases: ${list(i.monitoring.releases.map((r) => `${terminalText(r.version)} on ${r.releasedAt.slice(0, 10)}`))}`,
    'CAPA',
    `  open: ${i.capa.open} (${counts(i.capa.openByState)}); overdue: ${list(i.capa.overdue)}; opened in period: ${i.capa.openedInPeriod}; closed in period: ${i.capa.closedInPeriod}`,
    `  effectiveness: ${i.capa.effectiveness.effective} effective, ${i.capa.effectiveness.notEffective} not effective, ${i.capa.effectiveness.pending} checks pending`,
    'Training',
    i.training.percent === null
      ? `  ${i.training.source === 'no training records' ? 'no training records' : 'no assignment due'}`
      : `  compliance ${i.training.percent}%: ${i.training.assignments} assignments, ${i.training.completed} completed, ${i.training.overdue} overdue`,
    'Risk and post-market',
    `  post-production information: ${list(i.risk.postProductionInformation.map((p) => `${p.key} ${p.kind}`))}`,
    `  risks to review: ${list(i.risk.risksForReview.map((r) => `${r.key} ${r.state}`))}`,
    'Changes',
    `  submitted in period: ${i.changes.submittedInPeriod}; by state: ${counts(i.changes.byState)}; open: ${list(i.changes.open.map((c) => `${c.key} ${c.state}`))}`,
    'Previous review',
    i.previousReview === null
      ? '  none'
      : [
          `  ${i.previousReview.key} (${i.previousReview.state}${i.previousReview.heldOn === null ? '' : `, held ${i.previousReview.heldOn}`})`,
          ...i.previousReview.actions.map((a) => `  - ${a.status}: ${terminalText(a.description)} (${a.owner}, due ${a.dueOn}${a.doneOn === null ? '' : `, done ${a.doneOn}`})`),
        ].join('\n'),
    'Suppliers',
    `  approved ${i.suppliers.approved}, conditional ${i.suppliers.conditional}, blocked ${i.suppliers.blocked}; re-evaluation overdue: ${list(i.suppliers.reevaluationOverdue)}; SOUP without supplier: ${i.suppliers.soupWithoutSupplier}`,
    ...i.suppliers.agreementsExpiring.map((a) => `  ${a.supplier}: ${terminalText(a.name)} ${a.expired ? 'expired' : 'expires'} on ${a.expiresOn}`),
  ].join('\n');
}

import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { RISK_REVIEW_OUTCOMES } from '../../core/risk/review-outcomes.js';
import { formatOption, type Kit } from '../command-kit.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../output.js';

interface ViewOptions {
  product?: string;
  release?: string;
  at?: string;
}

/** The input of every risk view: the product, and a release baseline or a date when given. */
async function viewInput(ctx: CliContext, o: ViewOptions): Promise<{ productKey: string; release?: string; asOf?: string }> {
  return {
    productKey: await ctx.productKey(o.product),
    ...(o.release === undefined ? {} : { release: o.release }),
    ...(o.at === undefined ? {} : { asOf: o.at }),
  };
}

/** `dossier risk policy show|set`, `risk table|matrix|report|due|review`: risk management per ISO 14971. */
export function registerRiskCommands(program: Command, kit: Kit): void {
  const risk = program.command('risk').description('risk management (ISO 14971): policy, risk table, matrix, report, reviews');
  const view = (c: Command): Command =>
    c
      .option('-p, --product <KEY>', 'product (default: the only one)')
      .option('--release <version>', 'the frozen baseline of a release, judged by its own test runs')
      .option('--at <date>', 'judge review state at this date (YYYY-MM-DD) instead of now');

  const policy = risk.command('policy').description('the product\'s risk policy: scales, acceptability matrix, criteria, review interval');
  policy
    .command('show')
    .description('print the policy in force as YAML (edit it and give it to `risk policy set`)')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, o: { product?: string }) => {
        const { getRiskFileUseCase } = await import('../../app/use-cases/get-risk-file.js');
        const v = await ctx.run(getRiskFileUseCase, await viewInput(ctx, o));
        const p = v.file.policy;
        const { riskPolicyYaml } = await import('../../export/risk-policy-yaml.js');
        ctx.print(p, () => `# risk policy of ${v.product.key}: ${p.record === null ? 'built-in default (no RMP record yet)' : `${p.record} revision ${p.revision}`}\n${riskPolicyYaml(p.policy)}`);
      }),
    );
  policy
    .command('set')
    .description('set the policy from a YAML or JSON file; every estimate is re-evaluated and moves between zones are reported')
    .argument('<file>', 'policy file (see `risk policy show` for the shape)')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, file: string, o: { product?: string; reason?: string }) => {
        const [{ readRiskPolicyFile }, { setRiskPolicyUseCase }, { ZONE_LABEL }] = await Promise.all([
          import('../../ingest/risk-policy-file.js'),
          import('../../app/use-cases/set-risk-policy.js'),
          import('../../core/risk/policy.js'),
        ]);
        const parsed = readRiskPolicyFile(file);
        const r = await ctx.run(setRiskPolicyUseCase, {
          productKey: await ctx.productKey(o.product),
          policy: parsed,
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.print(r, () =>
          [
            `risk policy ${r.record.key} is now at revision ${r.revision} (was ${r.previousRevision === 0 ? 'the built-in default' : `revision ${r.previousRevision}`}); ${r.evaluated} estimates re-evaluated, ${r.moves.length} moved between zones`,
            ...r.moves.map((m) => `  ${m.risk} ${m.estimate}: ${ZONE_LABEL[m.from]} → ${ZONE_LABEL[m.to]}`),
          ].join('\n'),
        );
      }),
    );

  view(risk.command('table'))
    .description('FMEA-style table: one row per risk with causes, situation, harm, S, P and zone before and after controls, controls and their verification')
    .option('--per-cause', 'one row per cause of each risk')
    .option('--format <format>', 'table or csv (for a spreadsheet); --json for the full data', 'table')
    .action(
      kit.action(async (ctx, o: ViewOptions & { perCause?: boolean; format: string }) => {
        const f = formatOption(o.format, ['table', 'csv']);
        const [{ getRiskTableUseCase }, { toCsv }, { renderRiskTable, RISK_TABLE_HEAD, riskTableRows }] = await Promise.all([
          import('../../app/use-cases/get-risk-table.js'),
          import('../../export/csv.js'),
          import('../../export/risk-views.js'),
        ]);
        const t = await ctx.run(getRiskTableUseCase, await viewInput(ctx, o));
        if (f === 'csv' && !ctx.json) {
          ctx.io.out(toCsv([RISK_TABLE_HEAD, ...t.rows.flatMap((r) => riskTableRows(r, o.perCause === true))]));
          return;
        }
        ctx.print(t, () => renderRiskTable(t, table, o.perCause === true));
      }),
    );

  view(risk.command('matrix'))
    .description('number of risks per matrix cell, before and after controls, as a grid (JSON for drawing)')
    .action(
      kit.action(async (ctx, o: ViewOptions) => {
        const [{ getRiskMatrixUseCase }, { renderRiskMatrix }] = await Promise.all([import('../../app/use-cases/get-risk-matrix.js'), import('../../export/risk-views.js')]);
        const m = await ctx.run(getRiskMatrixUseCase, await viewInput(ctx, o));
        ctx.print(m, () => renderRiskMatrix(m, table));
      }),
    );

  view(risk.command('report'))
    .description('the risk management report (ISO 14971 9) as Markdown: policy, risks, controls, residual risk, benefit-risk, overall evaluation, open items')
    .option('-o, --out <file>', 'write the report to a file')
    .action(
      kit.action(async (ctx, o: ViewOptions & { out?: string }) => {
        const [{ getRiskFileUseCase }, { renderRiskReport }, { writeFileAtomic }] = await Promise.all([
          import('../../app/use-cases/get-risk-file.js'),
          import('../../export/risk-views.js'),
          import('../atomic-file.js'),
        ]);
        const v = await ctx.run(getRiskFileUseCase, { ...(await viewInput(ctx, o)), openItems: true });
        const text = ctx.json ? JSON.stringify(v, null, 2) : renderRiskReport(v);
        if (o.out === undefined) ctx.io.out(`${text}\n`);
        else {
          writeFileAtomic(o.out, `${text}\n`);
          ctx.io.err(`wrote ${o.out}\n`);
        }
      }),
    );

  view(risk.command('due'))
    .description('risks whose review is overdue or flagged by new post-production information; exit 1 when any')
    .option('--within <days>', 'also list reviews falling due within this many days')
    .action(
      kit.action(async (ctx, o: ViewOptions & { within?: string }) => {
        if (o.within !== undefined && !/^\d{1,4}$/.test(o.within)) throw invalidInput(`--within must be a number of days, not '${o.within}'`, { field: '--within' });
        const { listDueRisksUseCase } = await import('../../app/use-cases/list-due-risks.js');
        const d = await ctx.run(listDueRisksUseCase, { ...(await viewInput(ctx, o)), within: Number(o.within ?? 0) });
        const rows = d.risks;
        ctx.print(rows, () =>
          rows.length === 0
            ? `no risk review is due for ${d.product} as of ${d.asOf.slice(0, 10)}`
            : [
                `${rows.length} risk review(s) due for ${d.product} as of ${d.asOf.slice(0, 10)} (interval ${d.reviewIntervalDays} days):`,
                table(['risk', 'state', 'last assessed', 'due', 'new information', 'title'], rows.map((r) => [r.risk, r.state, r.lastAssessed.slice(0, 10), r.due.slice(0, 10), r.newInformation.join(' ') || '-', r.title])),
              ].join('\n'),
        );
        return rows.some((r) => r.state !== 'current') ? EXIT.findings : EXIT.ok;
      }),
    );

  risk
    .command('review')
    .description('record a risk review (reviewer: you; day; outcome) covering the given risks, or --all')
    .argument('[risks...]', 'risk IDs, e.g. RISK-3 RISK-5')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--all', 'review every active risk of the product')
    .requiredOption('--outcome <outcome>', RISK_REVIEW_OUTCOMES.join(', '))
    .requiredOption('--note <text>', 'what was looked at and concluded')
    .option('--on <date>', 'the day of the review, YYYY-MM-DD (default: today)')
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, risks: string[], o: { product?: string; all?: boolean; outcome: string; note: string; on?: string; reason?: string }) => {
        if ((o.all === true) === risks.length > 0) throw invalidInput('name the risks to review, or give --all (not both)', { field: 'risks' });
        const { recordRiskReviewUseCase } = await import('../../app/use-cases/record-risk-review.js');
        const r = await ctx.run(recordRiskReviewUseCase, {
          productKey: await ctx.productKey(o.product),
          risks: o.all === true ? 'all' : risks,
          outcome: o.outcome as 'no_change',
          note: o.note,
          ...(o.on === undefined ? {} : { reviewedOn: o.on }),
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.print(r, () => `recorded ${r.review.key} "${r.review.title}" covering ${r.risks.join(', ')}`);
      }),
    );
}

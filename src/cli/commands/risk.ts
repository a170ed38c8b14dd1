import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { RISK_REVIEW_OUTCOMES } from '../../core/risk/review-outcomes.js';
import type { RiskFileView } from '../../app/use-cases/get-risk-file.js';
import { formatOption, type Kit } from '../command-kit.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../output.js';

interface ViewOptions {
  product?: string;
  release?: string;
  at?: string;
}

async function loadView(ctx: CliContext, o: ViewOptions, withOpenItems: boolean): Promise<RiskFileView> {
  const [{ getRiskFile }, { loadBuiltinPacks }] = await Promise.all([import('../../app/use-cases/get-risk-file.js'), import('../../ingest/rule-pack-file.js')]);
  const deps = await ctx.deps();
  return getRiskFile(deps, {
    productKey: await ctx.productKey(o.product),
    ...(o.release === undefined ? {} : { release: o.release }),
    ...(o.at === undefined ? {} : { asOf: o.at }),
    ...(withOpenItems ? { builtinPacks: loadBuiltinPacks(deps.catalog) } : {}),
  });
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
        const v = await loadView(ctx, o, false);
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
        const [{ readRiskPolicyFile }, { setRiskPolicy }, { ZONE_LABEL }] = await Promise.all([
          import('../../ingest/risk-policy-file.js'),
          import('../../app/use-cases/set-risk-policy.js'),
          import('../../core/risk/policy.js'),
        ]);
        const parsed = readRiskPolicyFile(file);
        const r = await setRiskPolicy(await ctx.deps(), {
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
        const v = await loadView(ctx, o, false);
        const [{ toCsv }, { renderRiskTable, RISK_TABLE_HEAD, riskTableRows }] = await Promise.all([import('../../export/csv.js'), import('../../export/risk-views.js')]);
        if (f === 'csv' && !ctx.json) {
          ctx.io.out(toCsv([RISK_TABLE_HEAD, ...v.file.rows.flatMap((r) => riskTableRows(r, o.perCause === true))]));
          return;
        }
        ctx.print({ product: v.product.key, release: v.release, policy: v.file.policy, asOf: v.file.asOf, rows: v.file.rows }, () => renderRiskTable(v, table, o.perCause === true));
      }),
    );

  view(risk.command('matrix'))
    .description('number of risks per matrix cell, before and after controls, as a grid (JSON for drawing)')
    .action(
      kit.action(async (ctx, o: ViewOptions) => {
        const v = await loadView(ctx, o, false);
        const p = v.file.policy.policy;
        const { renderRiskMatrix } = await import('../../export/risk-views.js');
        ctx.print(
          {
            product: v.product.key,
            release: v.release,
            policy: { record: v.file.policy.record, revision: v.file.policy.revision },
            severity: p.severity.map((l) => ({ key: l.key, name: l.name })),
            probability: p.probability.map((l) => ({ key: l.key, name: l.name })),
            zones: p.matrix,
            initial: v.file.matrix.initial,
            residual: v.file.matrix.residual,
            notEstimated: v.file.matrix.notEstimated,
            totals: v.file.zoneTotals,
          },
          () => renderRiskMatrix(v, table),
        );
      }),
    );

  view(risk.command('report'))
    .description('the risk management report (ISO 14971 9) as Markdown: policy, risks, controls, residual risk, benefit-risk, overall evaluation, open items')
    .option('-o, --out <file>', 'write the report to a file')
    .action(
      kit.action(async (ctx, o: ViewOptions & { out?: string }) => {
        const v = await loadView(ctx, o, true);
        const [{ renderRiskReport }, { writeFileAtomic }] = await Promise.all([import('../../export/risk-views.js'), import('../atomic-file.js')]);
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
        const v = await loadView(ctx, o, false);
        const { dueRisks } = await import('../../core/risk/risk-file.js');
        const rows = dueRisks(v.file, Number(o.within ?? 0));
        ctx.print(
          rows.map((r) => ({ risk: r.key, title: r.title, state: r.review.state, lastAssessed: r.review.lastAssessed, due: r.review.due, newInformation: r.review.newInformation })),
          () =>
            rows.length === 0
              ? `no risk review is due for ${v.product.key} as of ${v.file.asOf.slice(0, 10)}`
              : [
                  `${rows.length} risk review(s) due for ${v.product.key} as of ${v.file.asOf.slice(0, 10)} (interval ${v.file.policy.policy.reviewIntervalDays} days):`,
                  table(['risk', 'state', 'last assessed', 'due', 'new information', 'title'], rows.map((r) => [r.key, r.review.state, r.review.lastAssessed.slice(0, 10), r.review.due.slice(0, 10), r.review.newInformation.join(' ') || '-', r.title])),
                ].join('\n'),
        );
        return rows.some((r) => r.review.state !== 'current') ? EXIT.findings : EXIT.ok;
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
        const { recordRiskReview } = await import('../../app/use-cases/record-risk-review.js');
        const r = await recordRiskReview(await ctx.deps(), {
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

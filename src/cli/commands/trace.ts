import type { Command } from 'commander';
import type { ImpactNode } from '../../core/trace/impact.js';
import { formatOption, positiveInt, type Kit } from '../command-kit.js';
import { table } from '../output.js';
import { terminalText } from '../../export/terminal-text.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;


/** `dossier trace matrix|suspects|confirm` and `dossier impact`. */
export function registerTraceCommands(program: Command, kit: Kit): void {
  const trace = program.command('trace').description('traceability: matrix, suspect links');

  trace
    .command('matrix')
    .description('trace matrix between two record types, following chains (e.g. UN → SYS → SRS → TC)')
    .requiredOption('--from <TYPE>', 'row type, e.g. UN')
    .requiredOption('--to <TYPE>', 'column type, e.g. TC')
    .option('--via <TYPES>', 'only pass through these types, comma-separated (e.g. SYS,SRS)')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--format <format>', 'table, json or csv', 'table')
    .action(
      kit.action(async (ctx, o: { from: string; to: string; via?: string; product?: string; format?: string }) => {
        const f = formatOption(o.format, ['table', 'json', 'csv']);
        const [{ getTraceMatrixUseCase }, { describePath }, { toCsv }] = await Promise.all([
          import('../../app/use-cases/get-trace-matrix.js'),
          import('../../core/trace/trace-matrix.js'),
          import('../../export/csv.js'),
        ]);
        const m = await ctx.run(getTraceMatrixUseCase, {
          productKey: await ctx.productKey(o.product),
          from: o.from,
          to: o.to,
          ...(o.via === undefined ? {} : { via: o.via }),
        });
        if (f === 'json' || ctx.json) {
          ctx.io.out(`${JSON.stringify(m, null, 2)}\n`);
          return;
        }
        if (f === 'csv') {
          const rows = m.rows.flatMap((r) =>
            r.targets.length === 0
              ? [[r.key, r.title, '', '', '']]
              : r.targets.map((t) => [r.key, r.title, t.key, t.title, describePath(r.key, t.path)]),
          );
          ctx.io.out(toCsv([[m.from, `${m.from} title`, m.to, `${m.to} title`, 'through'], ...rows]));
          return;
        }
        ctx.text(
          `${table(
            [m.from, 'COVERED', m.to, 'THROUGH'],
            m.rows.map((r) => [
              r.key,
              r.covered ? 'yes' : 'NO',
              r.targets.map((t) => t.key).join(', '),
              r.targets[0] === undefined ? '' : describePath(r.key, r.targets[0].path) + (r.targets.length > 1 ? ' …' : ''),
            ]),
          )}\n\n${m.from} → ${m.to}: ${m.coveredRows} of ${m.rows.length} covered (${pct(m.coverage)})`,
        );
      }),
    );

  trace
    .command('suspects')
    .description('links to review because a record on them, or above them, changed since they were confirmed')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, o: { product?: string }) => {
        const { listSuspectLinksUseCase } = await import('../../app/use-cases/list-suspect-links.js');
        const s = await ctx.run(listSuspectLinksUseCase, { productKey: await ctx.productKey(o.product) });
        ctx.print(s, () =>
          s.length === 0
            ? 'no suspect links'
            : `${table(
                ['LINK', 'FROM', 'TYPE', 'TO', 'WHY', 'CAUSE'],
                s.map((x) => [x.linkId, x.from, x.type, x.to, x.reason.replace(/_/g, ' '), x.cause]),
              )}\n\n${s.length} suspect links; review them and run: dossier trace confirm LINK… --reason "…"`,
        );
        return s.length === 0 ? 0 : 1;
      }),
    );

  trace
    .command('confirm')
    .description('confirm suspect links after review (who and why are audit-trailed)')
    .argument('[LINK_IDS...]', 'suspect link numbers')
    .option('--record <ID>', 'confirm every suspect link of this record')
    .option('--all', 'confirm every suspect link')
    .requiredOption('--reason <text>', 'what you reviewed')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, ids: string[], o: { record?: string; all?: boolean; reason: string; product?: string }) => {
        const productKey = await ctx.productKey(o.product);
        const { confirmLinksUseCase } = await import('../../app/use-cases/confirm-links.js');
        const done = await ctx.run(confirmLinksUseCase, {
          productKey,
          ...(ids.length === 0 ? {} : { linkIds: ids.map((id) => positiveInt('LINK_ID', id) ?? 0) }),
          ...(o.record === undefined ? {} : { record: o.record }),
          ...(o.all === true ? { all: true } : {}),
          reason: o.reason,
        });
        ctx.print(done, () => `confirmed ${done.length} link(s): ${done.map((d) => `${d.from} ${d.type} ${d.to}`).join('; ')}`);
      }),
    );

  program
    .command('impact')
    .description('everything upstream and downstream of a record')
    .argument('<ID>', 'record ID, e.g. SRS-12')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--format <format>', 'tree, json or dot (Graphviz)', 'tree')
    .action(
      kit.action(async (ctx, id: string, o: { product?: string; format?: string }) => {
        const f = formatOption(o.format, ['tree', 'json', 'dot']);
        const [{ analyzeImpactUseCase }, { impactToDot }] = await Promise.all([import('../../app/use-cases/analyze-impact.js'), import('../../core/trace/impact.js')]);
        const impact = await ctx.run(analyzeImpactUseCase, { productKey: await ctx.productKey(o.product), record: id });
        if (f === 'json' || ctx.json) {
          ctx.io.out(`${JSON.stringify(impact, null, 2)}\n`);
          return;
        }
        if (f === 'dot') {
          ctx.io.out(`${impactToDot(impact)}\n`);
          return;
        }
        const lines: string[] = [`${impact.key}  ${terminalText(impact.title)}`];
        const draw = (nodes: readonly ImpactNode[], prefix: string, arrow: string): void => {
          nodes.forEach((n, i) => {
            const last = i === nodes.length - 1;
            lines.push(`${prefix}${last ? '└─' : '├─'}${arrow} ${n.linkType} ${n.key}  ${terminalText(n.title)}`);
            draw(n.children, `${prefix}${last ? '   ' : '│  '}`, arrow);
          });
        };
        lines.push('upstream (what it comes from):');
        draw(impact.upstream, '  ', '↑');
        lines.push('downstream (what depends on it):');
        draw(impact.downstream, '  ', '↓');
        ctx.text(lines.join('\n'));
      }),
    );
}

import type { Command } from 'commander';
import { formatOption, type Kit } from '../command-kit.js';

/** `dossier qms readiness`: the ISO 13485 map with the evidence, gaps and overdue items per clause, and the score. */
export function registerQmsReadinessCommands(qms: Command, kit: Kit): void {
  qms
    .command('readiness')
    .description('ISO 13485 readiness per clause: documents in force or only draft, records, what is missing or overdue, and the score')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--format <format>', 'text, json or markdown', 'text')
    .action(
      kit.action(async (ctx, o: { product?: string; format: string }) => {
        const format = formatOption(o.format, ['text', 'json', 'markdown']);
        const { getQmsReadinessUseCase } = await import('../../app/use-cases/get-qms-readiness.js');
        const report = await ctx.run(getQmsReadinessUseCase, { productKey: await ctx.productKey(o.product) });
        if (format === 'json' || ctx.json) {
          ctx.io.out(`${JSON.stringify(report, null, 2)}\n`);
          return;
        }
        const { readinessMarkdown, readinessText } = await import('../../export/readiness-report.js');
        // Through ctx.text, like every human form: stored text cannot send escape sequences to a terminal.
        if (format === 'markdown') ctx.text(readinessMarkdown(report).trimEnd());
        else ctx.text(readinessText(report));
      }),
    );
}

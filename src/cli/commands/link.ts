import type { Command } from 'commander';
import { positiveInt, type Kit } from '../command-kit.js';
import { table } from '../output.js';

/** `dossier link add|remove|list`. */
export function registerLinkCommands(program: Command, kit: Kit): void {
  const link = program.command('link').description('typed links between records (see `dossier catalog`)');

  link
    .command('add')
    .description('link two records, read as a sentence: dossier link add TC-4 verifies SRS-12')
    .argument('<FROM>', 'record ID at the start')
    .argument('<TYPE>', 'link type, e.g. verifies, implements, derives_from, mitigates')
    .argument('<TO>', 'record ID at the end')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, from: string, type: string, to: string, o: { product?: string; reason?: string }) => {
        const productKey = await ctx.productKey(o.product);
        const { addLinkUseCase } = await import('../../app/use-cases/add-link.js');
        const l = await ctx.run(addLinkUseCase, {
          productKey,
          link: { from: from.toUpperCase(), type: type.toLowerCase().replace(/-/g, '_'), to: to.toUpperCase() },
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.print(l, () => `link ${l.id}: ${l.fromKey} ${l.type} ${l.toKey} (at revisions ${l.fromRevision} / ${l.toRevision})`);
      }),
    );

  link
    .command('remove')
    .description('remove a link (it is kept as history, marked removed)')
    .argument('<LINK_ID>', 'link number, as `dossier link list` shows')
    .requiredOption('--reason <text>', 'why the link is removed')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .action(
      kit.action(async (ctx, id: string, o: { product?: string; reason: string }) => {
        const productKey = await ctx.productKey(o.product);
        const { removeLinkUseCase } = await import('../../app/use-cases/remove-link.js');
        const l = await ctx.run(removeLinkUseCase, { productKey, linkId: positiveInt('LINK_ID', id) ?? 0, reason: o.reason });
        ctx.print(l, () => `removed link ${l.id}: ${l.fromKey} ${l.type} ${l.toKey}`);
      }),
    );

  link
    .command('list')
    .description('list links of a product or of one record')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('-r, --record <ID>', 'only links of this record')
    .option('--all', 'include removed links')
    .action(
      kit.action(async (ctx, o: { product?: string; record?: string; all?: boolean }) => {
        const productKey = await ctx.productKey(o.product);
        const { listLinksUseCase } = await import('../../app/use-cases/list-links.js');
        const ls = await ctx.run(listLinksUseCase, {
          productKey,
          ...(o.record === undefined ? {} : { record: o.record }),
          includeRemoved: o.all === true,
        });
        ctx.print(ls, () =>
          ls.length === 0
            ? 'no links'
            : table(
                ['ID', 'FROM', 'TYPE', 'TO', 'REVS', ...(o.all === true ? ['REMOVED'] : [])],
                ls.map((l) => [
                  l.id,
                  l.fromKey,
                  l.type,
                  l.toKey,
                  `${l.fromRevision}/${l.toRevision}`,
                  ...(o.all === true ? [l.removedAt === null ? '' : `${l.removedAt} (${l.removalReason ?? ''})`] : []),
                ]),
              ),
        );
      }),
    );
}

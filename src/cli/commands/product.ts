import type { Command } from 'commander';
import { createProduct } from '../../core/use-cases/create-product.js';
import { getProduct } from '../../core/use-cases/get-product.js';
import { listProducts } from '../../core/use-cases/list-products.js';
import type { Kit } from '../command-kit.js';
import { table } from '../output.js';

/** `dossier product create|list|show`. */
export function registerProductCommands(program: Command, kit: Kit): void {
  const product = program.command('product').description('products: one medical device software each');

  product
    .command('create')
    .description('create a product')
    .requiredOption('--key <KEY>', 'short key used in record IDs, e.g. RPM')
    .requiredOption('--name <name>', 'product name')
    .requiredOption('--intended-use <text>', 'intended use, in a sentence or two')
    .requiredOption('--class <A|B|C>', 'IEC 62304 software safety class')
    .action(
      kit.action(async (ctx, o: { key: string; name: string; intendedUse: string; class: string }) => {
        const p = await createProduct(await ctx.deps(), {
          key: o.key,
          name: o.name,
          intendedUse: o.intendedUse,
          safetyClass: o.class.toUpperCase(),
        });
        ctx.print(p, () => `created product ${p.key} (${p.name}), safety class ${p.safetyClass}`);
      }),
    );

  product
    .command('list')
    .description('list products')
    .action(
      kit.action(async (ctx) => {
        const ps = await listProducts(await ctx.deps());
        ctx.print(ps, () =>
          ps.length === 0 ? 'no products yet' : table(['KEY', 'CLASS', 'NAME'], ps.map((p) => [p.key, p.safetyClass, p.name])),
        );
      }),
    );

  product
    .command('show')
    .description('show one product')
    .argument('<KEY>', 'product key')
    .action(
      kit.action(async (ctx, key: string) => {
        const p = await getProduct(await ctx.deps(), key.toUpperCase());
        ctx.print(p, () =>
          [
            `${p.key}  ${p.name}`,
            `safety class: ${p.safetyClass} (IEC 62304 4.3)`,
            `created:      ${p.createdAt} by ${p.createdBy}`,
            '',
            'Intended use:',
            p.intendedUse,
          ].join('\n'),
        );
      }),
    );
}

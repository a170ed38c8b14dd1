import type { Command } from 'commander';
import type { Deps } from '../../core/ports.js';
import type { runCheck } from '../../app/use-cases/run-check.js';
import type { Kit } from '../command-kit.js';
import { table } from '../output.js';

/** `dossier product create|edit|list|show`. */
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
        const { createProductUseCase } = await import('../../app/use-cases/create-product.js');
        const p = await ctx.run(createProductUseCase, {
          key: o.key,
          name: o.name,
          intendedUse: o.intendedUse,
          safetyClass: o.class.toUpperCase() as 'A', // checked by the use-case's schema
        });
        ctx.print(p, () => `created product ${p.key} (${p.name}), safety class ${p.safetyClass}`);
      }),
    );

  product
    .command('edit')
    .description('change a product\'s name, intended use or safety class (audit-trailed, with a reason)')
    .argument('<KEY>', 'product key')
    .option('--name <name>', 'new product name')
    .option('--intended-use <text>', 'new intended use')
    .option('--class <A|B|C>', 'new IEC 62304 software safety class: the rules that apply change with it')
    .requiredOption('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, key: string, o: { name?: string; intendedUse?: string; class?: string; reason: string }) => {
        const productKey = key.toUpperCase();
        const { editProductUseCase } = await import('../../app/use-cases/edit-product.js');
        const { before, after } = await ctx.run(editProductUseCase, {
          productKey,
          ...(o.name === undefined ? {} : { name: o.name }),
          ...(o.intendedUse === undefined ? {} : { intendedUse: o.intendedUse }),
          ...(o.class === undefined ? {} : { safetyClass: o.class.toUpperCase() as 'A' }), // checked by the use-case
          reason: o.reason,
        });
        // A class change changes which rules apply: run them again and say what the product now faces.
        const check = before.safetyClass === after.safetyClass ? undefined : await checkAgain(await ctx.deps(), productKey);
        const count = (sev: string): number => check?.findings.filter((f) => f.severity === sev).length ?? 0;
        const counts = check === undefined ? undefined : { error: count('error'), warning: count('warning'), info: count('info') };
        ctx.print({ product: after, ...(counts === undefined ? {} : { check: counts }) }, () =>
          [
            `product ${after.key} edited${before.safetyClass === after.safetyClass ? '' : `: safety class ${before.safetyClass} → ${after.safetyClass}`}`,
            ...(counts === undefined
              ? []
              : [`the rules for class ${after.safetyClass} now find ${counts.error} errors, ${counts.warning} warnings, ${counts.info} infos (dossier check)`]),
          ].join('\n'),
        );
      }),
    );

  product
    .command('list')
    .description('list products')
    .action(
      kit.action(async (ctx) => {
        const { listProductsUseCase } = await import('../../app/use-cases/list-products.js');
        const ps = await ctx.run(listProductsUseCase, {});
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
        const { getProductUseCase } = await import('../../app/use-cases/get-product.js');
        const p = await ctx.run(getProductUseCase, { productKey: key.toUpperCase() });
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

/** The product's rule check, loaded only when a class change calls for it. */
async function checkAgain(deps: Deps, productKey: string): ReturnType<typeof runCheck> {
  const [run, { loadBuiltinPacks }] = await Promise.all([import('../../app/use-cases/run-check.js'), import('../../ingest/rule-pack-file.js')]);
  return run.runCheck(deps, { productKey, builtinPacks: loadBuiltinPacks(deps.catalog) });
}

import type { Command } from 'commander';
import type { Kit } from '../command-kit.js';

/** `dossier init`: create or upgrade the database. */
export function registerInitCommand(program: Command, kit: Kit): void {
  program
    .command('init')
    .description('create the database (or bring it up to date); SQLite by default, PostgreSQL with a postgres:// URL')
    .action(
      kit.action(async (ctx) => {
        const [{ redact }, { listProductsUseCase }] = await Promise.all([import('../../storage/open-store.js'), import('../../app/use-cases/list-products.js')]);
        const products = await ctx.run(listProductsUseCase, {});
        const where = ctx.config.db.startsWith('postgres') ? redact(ctx.config.db) : ctx.config.db;
        ctx.print({ db: where, products: products.length }, () => `store ready at ${where} (${products.length} products)`);
      }),
    );
}

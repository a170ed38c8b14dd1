import type { Command } from 'commander';
import type { Kit } from '../command-kit.js';

/** `dossier init`: create or upgrade the database. */
export function registerInitCommand(program: Command, kit: Kit): void {
  program
    .command('init')
    .description('create the database (or bring it up to date); SQLite by default, PostgreSQL with a postgres:// URL')
    .action(
      kit.action(async (ctx) => {
        const deps = await ctx.deps();
        const { redact } = await import('../../storage/open-store.js');
        const products = await deps.store.read((r) => r.listProducts());
        const where = ctx.config.db.startsWith('postgres') ? redact(ctx.config.db) : ctx.config.db;
        ctx.print({ db: where, products: products.length }, () => `store ready at ${where} (${products.length} products)`);
      }),
    );
}

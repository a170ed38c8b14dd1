import type { Command } from 'commander';
import { seedDemo } from '../../demo/seed-demo.js';
import { DEMO_PRODUCT } from '../../demo/vitallink.js';
import type { Kit } from '../command-kit.js';
import { progress } from '../output.js';

/** `dossier demo`: the built-in VitalLink remote patient monitoring product. */
export function registerDemoCommand(program: Command, kit: Kit): void {
  program
    .command('demo')
    .description('create the demo product RPM: VitalLink remote patient monitoring (IEC 62304 class B)')
    .option('--if-missing', 'do nothing (exit 0) when the store already has the demo product')
    .action(
      kit.action(async (ctx, o: { ifMissing?: boolean }) => {
        const deps = await ctx.deps();
        if (o.ifMissing === true && (await deps.store.read((r) => r.findProduct(DEMO_PRODUCT.key))) !== undefined) {
          ctx.print({ product: DEMO_PRODUCT.key, created: false }, () => `the store already has the demo product ${DEMO_PRODUCT.key}`);
          return;
        }
        const bar = progress(ctx.io);
        const s = await seedDemo(deps, bar);
        bar.end();
        ctx.print(s, () =>
          [
            `created demo product ${s.product} (VitalLink Remote Patient Monitoring) with ${s.records} records and ${s.links} links`,
            `try: dossier record list --product ${s.product}`,
            `     dossier record history SRS-3 --product ${s.product}`,
            `     dossier audit verify`,
          ].join('\n'),
        );
      }),
    );
}

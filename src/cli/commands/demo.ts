import type { Command } from 'commander';
import { seedDemo } from '../../demo/seed-demo.js';
import type { Kit } from '../command-kit.js';
import { progress } from '../output.js';

/** `dossier demo`: the built-in VitalLink remote patient monitoring product. */
export function registerDemoCommand(program: Command, kit: Kit): void {
  program
    .command('demo')
    .description('create the demo product RPM: VitalLink remote patient monitoring (IEC 62304 class B)')
    .action(
      kit.action(async (ctx) => {
        const bar = progress(ctx.io);
        const s = await seedDemo(await ctx.deps(), bar);
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

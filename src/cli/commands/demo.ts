import type { Command } from 'commander';
import { invalidState } from '../../core/errors.js';
import type { Kit } from '../command-kit.js';
import { progress } from '../output.js';

/** The release the demo freezes last: its presence tells a whole demo. */
const DEMO_RELEASE = '1.2.0';

/** `dossier demo`: the built-in VitalLink remote patient monitoring product. */
export function registerDemoCommand(program: Command, kit: Kit): void {
  program
    .command('demo')
    .description('create the demo product RPM: VitalLink remote patient monitoring (IEC 62304 class B)')
    .option('--if-missing', 'do nothing (exit 0) when the store already has the demo product')
    .action(
      kit.action(async (ctx, o: { ifMissing?: boolean }) => {
        const [{ seedDemo }, { DEMO_PRODUCT }] = await Promise.all([import('../../demo/seed-demo.js'), import('../../demo/vitallink.js')]);
        const deps = await ctx.deps();
        const found = await deps.store.read(async (r) => {
          const p = await r.findProduct(DEMO_PRODUCT.key);
          return p === undefined ? undefined : { release: await r.findRelease(p.id, DEMO_RELEASE) };
        });
        if (o.ifMissing === true && found !== undefined) {
          // The demo is one transaction now; a product without its release is a demo an older Dossier left half made.
          if (found.release === undefined) {
            throw invalidState(`the store has product ${DEMO_PRODUCT.key} but only part of the demo (no release ${DEMO_RELEASE}: an interrupted demo of an older Dossier); use a fresh --db`, {
              item: DEMO_PRODUCT.key,
            });
          }
          const { DEMO_USERS } = await import('../../demo/demo-users.js');
          ctx.print({ product: DEMO_PRODUCT.key, created: false }, () =>
            [`the store already has the demo product ${DEMO_PRODUCT.key}`, '', ...demoLogins(DEMO_USERS)].join('\n'),
          );
          return;
        }
        const bar = progress(ctx.io);
        const [s, { DEMO_USERS }] = await Promise.all([seedDemo(deps, bar), import('../../demo/demo-users.js')]);
        bar.end();
        ctx.print(s, () =>
          [
            `created demo product ${s.product} (VitalLink Remote Patient Monitoring) with ${s.records} records and ${s.links} links`,
            `try: dossier record list --product ${s.product}`,
            `     dossier record history SRS-3 --product ${s.product}`,
            `     dossier audit verify`,
            `     dossier serve        (the web app and the JSON API; log in as a demo user below)`,
            '',
            ...demoLogins(DEMO_USERS),
          ].join('\n'),
        );
      }),
    );
}

/** The demo's logins, as printed after `dossier demo` (and again by `--if-missing`, before `npm run demo` serves). */
function demoLogins(users: readonly { readonly role: string; readonly username: string; readonly password: string }[]): string[] {
  return [
    'demo users (the demo only: no other store has a default password):',
    ...users.map((u) => `  ${u.role.padEnd(9)} ${u.username.padEnd(15)} ${u.password}`),
  ];
}

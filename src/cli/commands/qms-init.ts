import type { Command } from 'commander';
import type { Kit } from '../command-kit.js';
import { table } from '../output.js';

/** `dossier qms init [-p KEY] [--owner USER] [--reason TEXT]`: the starter quality system as draft documents. */
export function registerQmsInitCommand(qms: Command, kit: Kit): void {
  qms
    .command('init')
    .description('write the starter quality system into a product: quality manual, SOPs, forms and job roles as draft documents, with the training matrix')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--owner <username>', 'owner of every starter document (who keeps it current)')
    .option('--reason <text>', 'why, for the audit trail')
    .addHelpText(
      'after',
      '\nThe documents are written by the Dossier project in plain words (licensed with it) as version 1.0 drafts.\n' +
        'Read each one, adapt it to your company, then send it to review, sign it and make it effective.\n' +
        '\nExample:\n  dossier qms init -p RPM --owner quinn.qa --reason "start the quality system"',
    )
    .action(
      kit.action(async (ctx, o: { product?: string; owner?: string; reason?: string }) => {
        const { initQmsUseCase } = await import('../../app/use-cases/init-qms.js');
        const r = await ctx.run(initQmsUseCase, {
          productKey: await ctx.productKey(o.product),
          ...(o.owner === undefined ? {} : { owner: o.owner }),
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.print(r, () => {
          const first = r.documents[0]?.key ?? 'DOC-n';
          return [
            `wrote the starter quality system into ${r.productKey}: ${r.documents.length} documents, ${r.roles.length} job roles and ${r.links} training-matrix links, all drafts`,
            '',
            table(['document', 'number', 'title'], r.documents.map((d) => [d.key, d.number, d.title])),
            '',
            table(['role', 'title', 'trained on'], r.roles.map((x) => [x.key, x.title, `${x.trainedOn} documents`])),
            '',
            'next:',
            '  1. read each document and adapt it to how your team works: dossier record edit DOC-n --base 1 --body-file FILE',
            '  2. add people to the roles: dossier record edit JOB-n --base 1 --set members=USER (repeat --set for more)',
            `  3. send each document to review and sign it: dossier record status ${first} in_review --base N, then dossier record sign ${first}@N --meaning approved --user USER`,
            `  4. make it effective: dossier qms doc effective ${first} --on YYYY-MM-DD (training is assigned to the roles that need it)`,
          ].join('\n');
        });
      }),
    );
}

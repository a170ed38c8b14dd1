import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import type { WorkflowMeaning } from '../../core/signatures/model.js';
import { collect, formatOption, recordAtRevision, type Kit } from '../command-kit.js';
import { table } from '../output.js';
import { signingPassword } from '../read-password.js';
import { terminalText } from '../../export/terminal-text.js';

/** `SRS-12@3` or `RPM/SRS-12@3`: a record and the revision the signer read. */
function parseSignTarget(arg: string): { productKey: string | undefined; record: string; revision: number } {
  const { record: ref, revision } = recordAtRevision(arg);
  if (revision === undefined) throw invalidInput(`name the revision you read: ${arg}@N (see dossier record show ${arg})`, { field: 'RECORD@REV', item: arg });
  const slash = ref.indexOf('/');
  return {
    productKey: slash < 0 ? undefined : ref.slice(0, slash).toUpperCase(),
    record: slash < 0 ? ref : ref.slice(slash + 1),
    revision,
  };
}

const MEANINGS = ['reviewed', 'approved'] as const;

interface SignOptions {
  meaning: string;
  user?: string;
  passwordStdin?: boolean;
  allWaiting?: boolean;
  reason?: string;
  product?: string;
}

/** `dossier record sign RECORD@REV… --meaning reviewed|approved --user U` (or `--all-waiting`). */
export function registerRecordSignCommand(record: Command, kit: Kit): void {
  record
    .command('sign')
    .description('sign record revisions electronically (your password is asked again; never given as an argument)')
    .argument('[RECORD@REV...]', 'each record with the revision you read, e.g. SRS-12@3 (refused if it changed since)')
    .requiredOption('--meaning <meaning>', 'what the signature means: reviewed or approved')
    .option('--user <username>', 'who signs (required on a local store and with an API token)')
    .option('--password-stdin', 'read the password from standard input (otherwise it is asked for on a terminal)')
    .option('--all-waiting', 'sign everything in your inbox waiting for this meaning, in one batch (one password)')
    .option('--reason <text>', 'why, for the audit trail')
    .option('-p, --product <KEY>', 'product of records named without one (default: the only one)')
    .addHelpText('after', '\nExamples:\n  dossier record sign SRS-12@3 SRS-14@1 --meaning reviewed --user quinn.qa\n  dossier record sign --all-waiting --meaning approved --user avery.approver')
    .action(
      kit.action(async (ctx, args: string[], o: SignOptions) => {
        if (!(MEANINGS as readonly string[]).includes(o.meaning)) {
          throw invalidInput(`--meaning must be one of ${MEANINGS.join(', ')}, not '${o.meaning}'`, { field: 'meaning' });
        }
        const meaning = o.meaning as WorkflowMeaning;
        const username = o.user;
        if (username === undefined) throw invalidInput('name who signs with --user (a signature needs your username and password)', { field: 'user' });
        if (o.allWaiting === true && args.length > 0) throw invalidInput('give records or --all-waiting, not both', { field: 'all-waiting' });
        const [{ signRecordsUseCase }, { listSignatureInboxUseCase }] = await Promise.all([
          import('../../app/use-cases/sign-records.js'),
          import('../../app/use-cases/list-signature-inbox.js'),
        ]);
        const byProduct = new Map<string, { record: string; revision: number }[]>();
        if (o.allWaiting === true) {
          const inbox = await ctx.run(listSignatureInboxUseCase, { username });
          for (const i of inbox.items.filter((x) => x.meaning === meaning)) byProduct.set(i.productKey, [...(byProduct.get(i.productKey) ?? []), { record: i.key, revision: i.revision }]);
          if (byProduct.size === 0) {
            ctx.print({ signatures: [], approved: [] }, () => `nothing is waiting for ${username}'s signature as ${meaning}`);
            return;
          }
        } else {
          if (args.length === 0) throw invalidInput('name the records to sign as RECORD@REV (e.g. SRS-12@3), or give --all-waiting', { field: 'RECORD@REV' });
          const fallback = args.some((a) => !a.includes('/')) ? await ctx.productKey(o.product) : undefined;
          for (const arg of args) {
            const t = parseSignTarget(arg);
            const key = t.productKey ?? fallback ?? '';
            byProduct.set(key, [...(byProduct.get(key) ?? []), { record: t.record, revision: t.revision }]);
          }
        }
        const password = await signingPassword(ctx, username, o.passwordStdin === true);
        const results = [];
        for (const [productKey, records] of byProduct) {
          results.push(
            await ctx.run(signRecordsUseCase, { productKey, records, meaning, username, password, ...(o.reason === undefined ? {} : { reason: o.reason }) }),
          );
        }
        const signatures = results.flatMap((r) => r.signatures);
        const approved = results.flatMap((r) => r.approved);
        ctx.print({ signatures, approved }, () =>
          [
            ...signatures.map((s) => `signed ${s.entity}: ${s.manifestation}`),
            ...approved.map((k) => `${k} is now approved (every signature its workflow asks for is given)`),
          ].join('\n'),
        );
      }),
    );
}

/** `dossier inbox`, `dossier signature statement|accept-statement`, `dossier workflow show|set`. */
export function registerSignatureCommands(program: Command, kit: Kit): void {
  program
    .command('inbox')
    .description('records waiting for your signature: in review, with the next step of their workflow yours to sign')
    .option('--user <username>', 'whose inbox (required on a local store; with a server, your own)')
    .option('--format <format>', 'text or json', 'text')
    .action(
      kit.action(async (ctx, o: { user?: string; format: string }) => {
        const format = formatOption(o.format, ['text', 'json']);
        if (ctx.config.server === undefined && o.user === undefined) throw invalidInput('name whose inbox to show with --user', { field: 'user' });
        const { listSignatureInboxUseCase } = await import('../../app/use-cases/list-signature-inbox.js');
        const inbox = await ctx.run(listSignatureInboxUseCase, o.user === undefined ? {} : { username: o.user });
        if (format === 'json') {
          ctx.io.out(`${JSON.stringify(inbox, null, 2)}\n`);
          return;
        }
        ctx.print(inbox, () =>
          inbox.count === 0
            ? `nothing is waiting for ${inbox.username}'s signature`
            : `${table(
                ['RECORD', 'REV', 'SIGN AS', 'STEP', 'AUTHOR', 'WAITING SINCE (UTC)', 'TITLE'],
                inbox.items.map((i) => [i.record, i.revision, i.meaning, `${i.step + 1} of ${i.steps}`, i.author, i.since, terminalText(i.title)]),
              )}\n\n${inbox.count} waiting for ${inbox.username}'s signature (sign with dossier record sign RECORD@REV --meaning … --user ${inbox.username})`,
        );
      }),
    );

  const signature = program.command('signature').description('electronic signatures: the accountability statement');

  signature
    .command('statement')
    .description('show the electronic signature accountability statement in your name, and whether you accepted it')
    .option('--user <username>', 'whose statement (on a local store; with a server, your own)')
    .action(
      kit.action(async (ctx, o: { user?: string }) => {
        const { showSignatureStatementUseCase } = await import('../../app/use-cases/show-signature-statement.js');
        const s = await ctx.run(showSignatureStatementUseCase, o.user === undefined ? {} : { username: o.user });
        ctx.print(s, () =>
          [
            `Accountability statement, version ${s.version}:`,
            '',
            s.text,
            '',
            s.acceptedAt === null ? `${s.username} has not accepted it yet: dossier signature accept-statement --user ${s.username}` : `accepted by ${s.username} at ${s.acceptedAt}`,
          ].join('\n'),
        );
      }),
    );

  signature
    .command('accept-statement')
    .description('read and accept the accountability statement (needed once before your first signature; password again)')
    .requiredOption('--user <username>', 'who accepts it')
    .option('--password-stdin', 'read the password from standard input (otherwise it is asked for on a terminal)')
    .action(
      kit.action(async (ctx, o: { user: string; passwordStdin?: boolean }) => {
        const [{ showSignatureStatementUseCase }, { acceptSignatureStatementUseCase }] = await Promise.all([
          import('../../app/use-cases/show-signature-statement.js'),
          import('../../app/use-cases/accept-signature-statement.js'),
        ]);
        const shown = await ctx.run(showSignatureStatementUseCase, { username: o.user });
        // The statement is shown before the password is asked: it is accepted as read.
        if (!ctx.json) ctx.io.err(`${terminalText(shown.text)}\n\nBy entering your password you accept this statement (version ${shown.version}).\n`);
        const password = await signingPassword(ctx, o.user, o.passwordStdin === true);
        const a = await ctx.run(acceptSignatureStatementUseCase, { username: o.user, password });
        ctx.print(a, () => `${a.username} (${a.printedName}) accepted version ${a.version} of the accountability statement at ${a.acceptedAt}`);
      }),
    );

  const workflow = program.command('workflow').description('approval workflows: the signatures a record type or a release needs, in order');

  workflow
    .command('show')
    .description('show the workflow in force for each record type and for releases')
    .argument('[PRODUCT]', 'product key (default: the only one)')
    .action(
      kit.action(async (ctx, product: string | undefined) => {
        const productKey = await ctx.productKey(product);
        const { showWorkflowsUseCase } = await import('../../app/use-cases/show-workflows.js');
        const w = await ctx.run(showWorkflowsUseCase, { productKey });
        ctx.print(w, () =>
          table(
            ['SUBJECT', 'STEPS', 'DISTINCT SIGNERS', 'SET'],
            w.workflows.map((x) => [
              x.subject,
              x.workflow.steps.map((s) => `${s.meaning}:${s.roles.join(',')}${s.notAuthor ? '' : ' (author may sign)'}`).join(' → '),
              x.workflow.distinctSigners ? 'yes' : 'no',
              x.configured ? `${x.updatedAt ?? ''} by ${x.updatedBy ?? ''}` : 'default',
            ]),
          ),
        );
      }),
    );

  workflow
    .command('set')
    .description('set the workflow of a record type (last step: approved) or of releases (last step: released)')
    .argument('<PRODUCT>', 'product key')
    .argument('<SUBJECT>', 'a record type (e.g. SRS) or release')
    .requiredOption('--step <meaning:roles>', 'a step, in order (repeatable), e.g. reviewed:reviewer,quality', collect)
    .option('--allow-author', 'the author of a revision may sign its steps (by default nobody signs their own work)')
    .option('--allow-same-signer', 'one person may sign several steps of the same revision')
    .requiredOption('--reason <text>', 'why the workflow changes (audit trail)')
    .addHelpText('after', '\nExample:\n  dossier workflow set RPM SRS --step reviewed:reviewer,quality --step approved:approver --reason "CAPA-7"')
    .action(
      kit.action(async (ctx, product: string, subject: string, o: { step: string[]; allowAuthor?: boolean; allowSameSigner?: boolean; reason: string }) => {
        const { setWorkflowUseCase } = await import('../../app/use-cases/set-workflow.js');
        const steps = o.step.map((s, i) => {
          const [meaning, roles] = s.split(':');
          if (meaning === undefined || roles === undefined || roles === '') {
            throw invalidInput(`--step ${i + 1} must be meaning:role[,role…], e.g. reviewed:reviewer,quality; got ${s}`, { field: `steps[${i}]` });
          }
          return { meaning: meaning.trim(), roles: roles.split(',').map((r) => r.trim()), notAuthor: o.allowAuthor !== true };
        });
        const w = await ctx.run(setWorkflowUseCase, {
          productKey: product.toUpperCase(),
          subject: subject === 'release' ? subject : subject.toUpperCase(),
          steps: steps as never, // checked by the use-case's schema, which names the field
          distinctSigners: o.allowSameSigner !== true,
          reason: o.reason,
        });
        ctx.print(w, () => `the ${w.subject} workflow of ${product.toUpperCase()} is now ${w.workflow.steps.map((s) => `${s.meaning} (by ${s.roles.join(' or ')})`).join(', then ')}`);
      }),
    );
}

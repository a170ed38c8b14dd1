import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { formatOption, type Kit } from '../command-kit.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';
import { signingPassword } from '../read-password.js';

/** Prints JSON for `--format json` (or the global --json), the text form otherwise. */
export function show(ctx: CliContext, format: string | undefined, value: unknown, human: () => string): void {
  if (formatOption(format, ['text', 'json']) === 'json') ctx.io.out(`${JSON.stringify(value, null, 2)}\n`);
  else ctx.print(value, human);
}

interface Entry {
  readonly document: string;
  readonly version: string;
  readonly username: string;
  readonly role: string | null;
  readonly dueOn: string;
  readonly status: string;
  readonly completedAt: string | null;
  readonly manifestation: string | null;
}

const entryRows = (entries: readonly Entry[]): string =>
  table(
    ['DOC', 'VERSION', 'USER', 'ROLE', 'DUE', 'STATUS', 'COMPLETED'],
    entries.map((e) => [e.document, e.version, e.username, e.role ?? '', e.dueOn, e.status.toUpperCase(), e.completedAt ?? '']),
  );

/** `dossier qms training matrix | status DOC-n | overdue | person USER | complete DOC-n --user U | sync`. */
export function registerQmsTrainingCommands(qms: Command, kit: Kit): void {
  const training = qms.command('training').description('training on controlled documents (ISO 13485 6.2; 21 CFR 11.10(i))');
  const common = (c: Command): Command => c.option('-p, --product <KEY>', 'product (default: the only one)').option('--format <format>', 'text or json', 'text');
  common(training.command('matrix').description('job roles × documents in force, with each member’s status')).action(
    kit.action(async (ctx, o: { product?: string; format?: string }) => {
      const { getTrainingMatrixUseCase } = await import('../../app/use-cases/get-training-matrix.js');
      const out = await ctx.run(getTrainingMatrixUseCase, { productKey: await ctx.productKey(o.product) });
      show(ctx, o.format, out, () =>
        out.roles.length === 0
          ? 'no job roles yet (JOB records with members, linked requires_training to documents)'
          : table(
              ['ROLE', 'DOC', 'VERSION', 'USER', 'STATUS', 'DUE'],
              out.roles.flatMap((r) =>
                r.documents.flatMap((d) => d.people.map((p) => [`${r.role} ${r.title}`, d.document, d.version ?? '(none)', p.username, p.status.toUpperCase(), p.dueOn ?? ''])),
              ),
            ),
      );
    }),
  );
  common(training.command('status').description('who is trained on a version of a document (default: the version in force)').argument('<DOC>', 'e.g. DOC-3'))
    .option('--version <X.Y>', 'a version made effective')
    .action(
      kit.action(async (ctx, record: string, o: { product?: string; format?: string; version?: string }) => {
        const { getTrainingStatusUseCase } = await import('../../app/use-cases/get-training-status.js');
        const out = await ctx.run(getTrainingStatusUseCase, { productKey: await ctx.productKey(o.product), record, ...(o.version === undefined ? {} : { version: o.version }) });
        show(ctx, o.format, out, () =>
          [`${out.document} version ${out.version}${out.inForce ? ' (in force)' : ' (superseded)'}: ${out.trained.length} of ${out.people.length} trained`, entryRows(out.people)].join('\n'),
        );
      }),
    );
  common(training.command('overdue').description('training past its due date on the versions in force')).action(
    kit.action(async (ctx, o: { product?: string; format?: string }) => {
      const { listOverdueTrainingUseCase } = await import('../../app/use-cases/list-overdue-training.js');
      const out = await ctx.run(listOverdueTrainingUseCase, { productKey: await ctx.productKey(o.product) });
      show(ctx, o.format, out, () => (out.overdue.length === 0 ? `no overdue training on ${out.today}` : entryRows(out.overdue)));
    }),
  );
  common(training.command('person').description('a person’s training record: assignments, signed completions, competence (QUAL)').argument('<USER>', 'username')).action(
    kit.action(async (ctx, username: string, o: { product?: string; format?: string }) => {
      const { getTrainingRecordUseCase } = await import('../../app/use-cases/get-training-record.js');
      const out = await ctx.run(getTrainingRecordUseCase, { productKey: await ctx.productKey(o.product), username });
      show(ctx, o.format, out, () =>
        [
          `${out.username}: roles ${out.roles.length === 0 ? '(none)' : out.roles.join(', ')}`,
          out.assignments.length === 0 ? 'no training assignments' : entryRows(out.assignments),
          ...out.assignments.flatMap((a) => (a.manifestation === null ? [] : [`  ${a.document} ${a.version}: ${a.manifestation}`])),
          out.competence.length === 0
            ? 'no competence records (QUAL)'
            : table(['QUAL', 'TITLE', 'KIND', 'OBTAINED', 'VALID UNTIL'], out.competence.map((c) => [c.record, c.title, c.kind ?? '', c.obtainedOn ?? '', `${c.validUntil ?? ''}${c.lapsed ? ' LAPSED' : ''}`])),
        ].join('\n'),
      );
    }),
  );
  common(
    training
      .command('complete')
      .description('complete your training on the version in force: an electronic signature meaning "read and understood" (re-enter your password)')
      .argument('<DOC>', 'e.g. DOC-3'),
  )
    .option('--user <username>', 'who completes it (you)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--quiz-answers <list>', 'answers to the document’s quiz: option numbers from 0, comma-separated, e.g. 0,2,1')
    .option('--version <X.Y>', 'the version you read (refused when another is in force)')
    .action(
      kit.action(async (ctx, record: string, o: { product?: string; format?: string; user?: string; passwordStdin?: boolean; quizAnswers?: string; version?: string }) => {
        if (o.user === undefined) throw invalidInput('name who completes the training with --user (it is an electronic signature)', { field: 'user' });
        const answers = o.quizAnswers?.split(',').map((a) => {
          const n = Number(a.trim());
          if (!Number.isInteger(n) || n < 0) throw invalidInput(`--quiz-answers: '${a}' is not an option number (0, 1, 2, …)`, { field: 'quiz-answers' });
          return n;
        });
        const { completeTrainingUseCase } = await import('../../app/use-cases/complete-training.js');
        const productKey = await ctx.productKey(o.product);
        const password = await signingPassword(ctx, o.user, o.passwordStdin === true);
        const out = await ctx.run(completeTrainingUseCase, {
          productKey,
          record,
          username: o.user,
          password,
          ...(answers === undefined ? {} : { quizAnswers: answers }),
          ...(o.version === undefined ? {} : { version: o.version }),
        });
        show(ctx, o.format, out, () =>
          out.passed
            ? `training on ${out.document} version ${out.version} completed${out.score === null ? '' : ` (quiz ${out.score}%, pass mark ${out.passMark ?? ''}%)`}: ${out.signature?.manifestation ?? ''}`
            : `quiz FAILED: ${out.score ?? 0}% right, the pass mark is ${out.passMark ?? ''}%; the attempt is recorded and training on ${out.document} version ${out.version} is NOT completed (read it again and retake the quiz)`,
        );
        return out.passed ? 0 : 1;
      }),
    );
  common(training.command('sync').description('assign the versions in force to job-role members who lack an assignment (new members, new links)')).action(
    kit.action(async (ctx, o: { product?: string; format?: string }) => {
      const { syncTrainingUseCase } = await import('../../app/use-cases/sync-training.js');
      const out = await ctx.run(syncTrainingUseCase, { productKey: await ctx.productKey(o.product) });
      show(ctx, o.format, out, () =>
        out.assignments.length === 0
          ? 'every member of every job role is assigned the versions in force'
          : [`${out.assignments.length} training assignments made:`, ...out.assignments.map((a) => `  ${a.username}: ${a.document} ${a.version} due ${a.dueOn}${a.role === null ? '' : ` (${a.role})`}`)].join('\n'),
      );
    }),
  );
}

import type { Command } from 'commander';
import type { Kit } from '../command-kit.js';
import { table } from '../output.js';
import { registerQmsTrainingCommands, show } from './qms-training.js';

/** `dossier qms doc list | effective DOC-n --on YYYY-MM-DD | review DOC-n`, and `dossier qms training …`. */
export function registerQmsDocumentCommands(qms: Command, kit: Kit): void {
  const doc = qms.command('doc').description('controlled documents (ISO 13485 4.2.4): the register, versions in force, periodic reviews');
  doc
    .command('list')
    .description('the document register: number, title, version in force, effective date, next review (overdue flagged), superseded versions')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--format <format>', 'text or json', 'text')
    .action(
      kit.action(async (ctx, o: { product?: string; format?: string }) => {
        const { listDocumentsUseCase } = await import('../../app/use-cases/list-documents.js');
        const out = await ctx.run(listDocumentsUseCase, { productKey: await ctx.productKey(o.product) });
        show(ctx, o.format, out, () =>
          out.documents.length === 0
            ? 'no controlled documents yet (dossier qms init, or dossier record add DOC)'
            : table(
                ['DOC', 'NUMBER', 'TITLE', 'IN FORCE', 'EFFECTIVE', 'NEXT REVIEW', 'SUPERSEDED'],
                out.documents.map((d) => [
                  d.obsolete ? `${d.document} OBSOLETE` : d.document,
                  d.number ?? '',
                  d.title,
                  d.version ?? '(none)',
                  d.effectiveOn ?? '',
                  d.nextReviewDue === null ? '' : `${d.nextReviewDue}${d.overdue ? ' OVERDUE' : ''}`,
                  d.superseded.map((s) => `${s.version} (${s.effectiveOn})`).join(', '),
                ]),
              ),
        );
      }),
    );
  doc
    .command('effective')
    .description('make the approved version of a document effective on a date; assigns training to the job roles that require it')
    .argument('<DOC>', 'the document, e.g. DOC-3')
    .requiredOption('--on <date>', 'the day it comes into force (YYYY-MM-DD)')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--reason <text>', 'why, for the audit trail')
    .option('--format <format>', 'text or json', 'text')
    .addHelpText('after', '\nExample:\n  dossier qms doc effective DOC-3 --on 2026-12-15')
    .action(
      kit.action(async (ctx, record: string, o: { on: string; product?: string; reason?: string; format?: string }) => {
        const { makeDocumentEffectiveUseCase } = await import('../../app/use-cases/make-document-effective.js');
        const out = await ctx.run(makeDocumentEffectiveUseCase, {
          productKey: await ctx.productKey(o.product),
          record,
          on: o.on,
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        show(ctx, o.format, out, () =>
          [
            `${out.document} version ${out.version} (revision ${out.revision}) is effective on ${out.effectiveOn}` +
              (out.approval === 'electronic' ? '' : ' (approved without electronic signature: UNSIGNED)') +
              (out.supersedes === null ? '' : `; supersedes version ${out.supersedes.version}`),
            out.assignments.length === 0
              ? 'no training assigned (no job role links requires_training to it, or its members are already assigned)'
              : `training assigned to ${out.assignments.length}, due ${out.assignments[0]?.dueOn ?? ''}:`,
            ...out.assignments.map((a) => `  ${a.username}${a.role === null ? '' : ` (${a.role})`}`),
          ].join('\n'),
        );
      }),
    );
  doc
    .command('review')
    .description('record the periodic review of the version in force')
    .argument('<DOC>', 'the document, e.g. DOC-3')
    .option('--outcome <outcome>', 'still_valid or revision_needed', 'still_valid')
    .option('--on <date>', 'day of the review (default today)')
    .option('--note <text>', 'what the review found')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--format <format>', 'text or json', 'text')
    .action(
      kit.action(async (ctx, record: string, o: { outcome: string; on?: string; note?: string; product?: string; format?: string }) => {
        const { reviewDocumentUseCase } = await import('../../app/use-cases/review-document.js');
        const out = await ctx.run(reviewDocumentUseCase, {
          productKey: await ctx.productKey(o.product),
          record,
          outcome: o.outcome as 'still_valid',
          ...(o.on === undefined ? {} : { on: o.on }),
          ...(o.note === undefined ? {} : { note: o.note }),
        });
        show(ctx, o.format, out, () =>
          `${out.document} version ${out.version} reviewed on ${out.reviewedOn}: ${out.outcome.replaceAll('_', ' ')}` +
            (out.nextReviewDue === null ? ' (no review interval set)' : `; next review due ${out.nextReviewDue}`),
        );
      }),
    );
  registerQmsTrainingCommands(qms, kit);
}

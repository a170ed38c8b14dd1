import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { collect, formatOption, positiveInt, recordAtRevision, type Kit } from '../command-kit.js';
import type { CliContext } from '../context.js';
import { table } from '../output.js';

/** The process names `qms list` takes (as `PROCESS_KINDS` in core has them; zod is not loaded to build the CLI). */
export const PROCESS_KIND_ARGS = ['capa', 'complaint', 'nc', 'audit', 'finding', 'review', 'supplier', 'change'] as const;

const isKind = (s: string): s is (typeof PROCESS_KIND_ARGS)[number] => (PROCESS_KIND_ARGS as readonly string[]).includes(s);

const withProduct = (c: Command): Command => c.option('-p, --product <KEY>', 'product (default: the only one)');

/** Prints JSON with `--format json` (or the global `--json`), else the text. */
function show(ctx: CliContext, format: string | undefined, value: unknown, human: () => string): void {
  if (formatOption(format, ['text', 'json']) === 'json') ctx.io.out(`${JSON.stringify(value, null, 2)}\n`);
  else ctx.print(value, human);
}

const dash = (v: string | number | null): string => (v === null ? '-' : String(v));

/**
 * `dossier qms advance | list | complaint deadlines | change impact`: the quality processes (CAPA, complaints and
 * vigilance, nonconformance, change control, and the other process records) moved and listed.
 */
export function registerQmsProcessCommands(qms: Command, kit: Kit): void {
  withProduct(qms.command('advance'))
    .description('move a process record (CAPA, CMP, NC, CR, AUD, AF, MREV, SUP) to a state: writes a new revision with the state and fields')
    .argument('<RECORD>', 'the record and the revision you read, e.g. CAPA-3@2 (or give --base)')
    .argument('<STATE>', 'the state it moves to, e.g. investigation')
    .option('--base <N>', 'the revision you read (refused if someone changed the record since)')
    .option('--set <key=value>', 'a field written with the move (repeatable)', collect)
    .option('--unset <key>', 'remove a field (repeatable)', collect)
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, arg: string, state: string, o: { product?: string; base?: string; set?: string[]; unset?: string[]; reason?: string }) => {
        const productKey = await ctx.productKey(o.product);
        const { record, revision } = recordAtRevision(arg);
        const base = revision ?? positiveInt('--base', o.base);
        if (base === undefined) {
          throw invalidInput(`give the revision you read: ${record}@N or --base N (see dossier record show ${record})`, { field: 'base' });
        }
        const [{ advanceProcessUseCase }, { getRecordType }, { fieldsFromText }, { parseRecordRef }] = await Promise.all([
          import('../../app/use-cases/advance-process.js'),
          import('../../core/catalog/catalog.js'),
          import('../../core/catalog/field-input.js'),
          import('../../core/entities.js'),
        ]);
        const fields = fieldsFromText(getRecordType(ctx.catalog, parseRecordRef(record).type), o.set ?? [], o.unset ?? []);
        const r = await ctx.run(advanceProcessUseCase, {
          productKey,
          record,
          state,
          baseRevision: base,
          ...(Object.keys(fields).length === 0 ? {} : { fields }),
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.print(r, () =>
          [
            `${productKey}/${r.record.key} ${r.from === r.to ? `stays ${r.to}` : `moved ${r.from} → ${r.to}`}: revision ${r.record.latestRevision} (${r.record.status})`,
            ...r.created.map((k) => `  created ${k} (post-production information the complaint feeds)`),
          ].join('\n'),
        );
      }),
    );

  withProduct(qms.command('list'))
    .description('list the records of a quality process: state, owner, due day, overdue, age in days')
    .argument('<PROCESS>', PROCESS_KIND_ARGS.join('|'))
    .option('--state <state>', 'only records in this state (as listed: e.g. investigation, closed)')
    .option('--overdue', 'only overdue records')
    .option('--at <date>', 'as of this day (YYYY-MM-DD) instead of today')
    .option('--format <format>', 'text or json', 'text')
    .action(
      kit.action(async (ctx, kind: string, o: { product?: string; state?: string; overdue?: boolean; at?: string; format?: string }) => {
        if (!isKind(kind)) throw invalidInput(`the process is one of ${PROCESS_KIND_ARGS.join(', ')}, not '${kind}'`, { field: 'kind' });
        const { listProcessRecordsUseCase } = await import('../../app/use-cases/list-process-records.js');
        const r = await ctx.run(listProcessRecordsUseCase, {
          productKey: await ctx.productKey(o.product),
          kind,
          ...(o.state === undefined ? {} : { state: o.state }),
          ...(o.overdue === true ? { overdue: true } : {}),
          ...(o.at === undefined ? {} : { asOf: o.at }),
        });
        show(ctx, o.format, r, () =>
          r.records.length === 0
            ? `no ${kind} records${o.state === undefined ? '' : ` in state ${o.state}`}${o.overdue === true ? ' overdue' : ''} in ${r.product}`
            : table(
                ['RECORD', 'STATE', 'OWNER', 'DUE', 'OVERDUE', 'AGE', 'TITLE'],
                r.records.map((x) => [x.key, x.state, dash(x.owner), dash(x.due), x.overdue ? 'OVERDUE' : '', x.ageDays === null ? '-' : `${x.ageDays}d`, x.title]),
              ),
        );
      }),
    );

  const complaint = qms.command('complaint').description('complaints and vigilance');
  withProduct(complaint.command('deadlines'))
    .description("a complaint's vigilance report deadlines (FDA 21 CFR 803, EU MDR Art. 87) from its awareOn day, and where each report stands")
    .argument('<CMP>', 'the complaint, e.g. CMP-2')
    .option('--at <date>', 'as of this day (YYYY-MM-DD) instead of today')
    .option('--format <format>', 'text or json', 'text')
    .action(
      kit.action(async (ctx, record: string, o: { product?: string; at?: string; format?: string }) => {
        const { getComplaintDeadlinesUseCase } = await import('../../app/use-cases/get-complaint-deadlines.js');
        const r = await ctx.run(getComplaintDeadlinesUseCase, { productKey: await ctx.productKey(o.product), record, ...(o.at === undefined ? {} : { asOf: o.at }) });
        show(ctx, o.format, r, () =>
          [
            `${r.record} ${r.title} (${r.state}); aware on ${r.awareOn ?? '(not set)'}; as of ${r.asOf}`,
            table(
              ['JURISDICTION', 'EVENT', 'DEADLINE', 'CLAUSE', 'DUE', 'STATUS'],
              r.reports.map((x) => [x.jurisdiction, dash(x.eventKind), x.days === null ? '-' : `${x.days} ${x.count} days`, dash(x.clause), dash(x.dueOn), x.text]),
            ),
          ].join('\n'),
        );
      }),
    );

  const change = qms.command('change').description('change control');
  withProduct(change.command('impact'))
    .description('the impact of a change request: the impact analysis of every record it changes, merged, with its state and release')
    .argument('<CR>', 'the change request, e.g. CR-4')
    .option('--format <format>', 'text or json', 'text')
    .action(
      kit.action(async (ctx, record: string, o: { product?: string; format?: string }) => {
        const { analyzeChangeImpactUseCase } = await import('../../app/use-cases/analyze-change-impact.js');
        const r = await ctx.run(analyzeChangeImpactUseCase, { productKey: await ctx.productKey(o.product), record });
        show(ctx, o.format, r, () =>
          [
            `${r.record} ${r.title}: ${r.state}${r.approved ? ' (approved)' : ' (not approved yet: the records it changes cannot be approved)'}; release ${r.release ?? '(not set)'}`,
            r.changes.length === 0 ? 'it changes no record yet (link it: dossier link add CR-n changes RECORD)' : `changes: ${r.changes.map((c) => `${c.key} (${c.status})`).join(', ')}`,
            r.affected.length === 0
              ? 'affects nothing beyond them'
              : table(
                  ['AFFECTED', 'STATUS', 'DIRECTION', 'VIA', 'TITLE'],
                  r.affected.map((a) => [a.key, a.status, a.direction, a.via.join(', '), a.title]),
                ),
          ].join('\n'),
        );
      }),
    );
}

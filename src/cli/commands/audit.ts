import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { collect, formatOption, positiveInt, type Kit } from '../command-kit.js';
import { EXIT } from '../exit-codes.js';
import { progress, table } from '../output.js';

/** `dossier audit log|anchor|verify`. */
export function registerAuditCommands(program: Command, kit: Kit): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit trail');

  audit
    .command('log')
    .description('show audit events, oldest first (the first 100 unless --limit or --all)')
    .option('-p, --product <KEY>', 'only events of this product')
    .option('--entity <ID>', 'only events of one entity, e.g. RPM/SRS-12')
    .option('--record <ID>', "only events of one record and of its trace links, e.g. RPM/SRS-12 (or SRS-12 with --product)")
    .option('--by <USER>', 'only events by this username (--actor is who runs the command)')
    .option('--action <KIND>', 'only events of this kind, e.g. RECORD_APPROVED (repeatable, or comma-separated)', collect)
    .option('--from <TIME>', 'only events at or after this UTC time (ISO 8601: 2026-12-01 or 2026-12-01T09:30:00Z)')
    .option('--to <TIME>', 'only events before this UTC time (exclusive)')
    .option('--after <SEQ>', 'only events after this sequence number')
    .option('--limit <N>', 'at most this many events (default 100)')
    .option('--all', 'every matching event')
    .option('--newest-first', 'newest first (with a limit: the newest events)')
    .action(
      kit.action(async (ctx, o: AuditFilterOptions & { entity?: string; after?: string; limit?: string; all?: boolean; newestFirst?: boolean }) => {
        if (o.all === true && o.limit !== undefined) throw invalidInput('give --all or --limit, not both', { field: '--limit' });
        const after = positiveInt('--after', o.after);
        const { getAuditLogUseCase } = await import('../../app/use-cases/get-audit-log.js');
        const log = await ctx.run(getAuditLogUseCase, {
          limit: o.all === true ? 'all' : (positiveInt('--limit', o.limit) ?? 100),
          newestFirst: o.newestFirst === true,
          ...filterInput(o),
          ...(o.entity === undefined ? {} : { entityId: o.entity }),
          ...(after === undefined ? {} : { afterSeq: after }),
        });
        const { events } = log;
        ctx.print({ total: log.total, shown: events.length, truncated: log.truncated, newestFirst: log.newestFirst, events }, () =>
          events.length === 0
            ? 'no audit events'
            : table(
                ['SEQ', 'WHEN (UTC)', 'WHO', 'ACTION', 'ENTITY', 'REASON'],
                events.map((e) => [e.seq, e.occurredAt, e.actor, e.action, e.entityId, e.reason ?? '']),
              ),
        );
        // On stderr, so the table on stdout stays clean for grep and pipes.
        if (log.truncated && !ctx.json) {
          ctx.io.err(`showing ${events.length} of ${log.total} events (${log.newestFirst ? 'newest' : 'oldest'} first); use --all or --limit N to see more\n`);
        }
      }),
    );

  audit
    .command('export')
    .description('export audit events (all that match) with the verification of the whole trail, as JSON or CSV')
    .option('--format <format>', 'json or csv (the verification result is the last row)', 'json')
    .option('-o, --out <file>', 'write to a file (whole or not at all) instead of standard output')
    .option('-p, --product <KEY>', 'only events of this product')
    .option('--record <ID>', 'only events of one record and of its trace links, e.g. RPM/SRS-12')
    .option('--by <USER>', 'only events by this username (--actor is who runs the command)')
    .option('--action <KIND>', 'only events of this kind (repeatable, or comma-separated)', collect)
    .option('--from <TIME>', 'only events at or after this UTC time (ISO 8601)')
    .option('--to <TIME>', 'only events before this UTC time (exclusive)')
    .action(
      kit.action(async (ctx, o: AuditFilterOptions & { format?: string; out?: string }) => {
        const format = formatOption(o.format, ['json', 'csv']);
        const [{ exportAuditTrailUseCase }, { auditCsv }] = await Promise.all([import('../../app/use-cases/export-audit-trail.js'), import('../../export/audit-csv.js')]);
        const bar = progress(ctx.io);
        const exp = await ctx.run(exportAuditTrailUseCase, filterInput(o), bar);
        bar.end();
        const text = format === 'csv' ? auditCsv(exp) : `${JSON.stringify(exp, null, 1)}\n`;
        if (o.out === undefined) ctx.io.out(text);
        else {
          const { writeFileAtomic } = await import('../atomic-file.js');
          writeFileAtomic(o.out, text);
        }
        const v = exp.verification;
        const head = v.head === null ? 'empty trail' : `head ${v.head.seq}`;
        // On stderr, so the export on stdout stays clean.
        ctx.io.err(
          `exported ${exp.total} audit event(s)${o.out === undefined ? '' : ` to ${o.out}`}; trail ${v.ok ? 'verified' : `verification FAILED (${v.problemCount} problem(s))`}, ${head}\n`,
        );
        return v.ok ? EXIT.ok : EXIT.findings;
      }),
    );

  audit
    .command('anchor')
    .description('print the head of the audit chain as SEQ:HASH, to keep outside the database (CI log, signed tag, ticket)')
    .action(
      kit.action(async (ctx) => {
        const { getAuditAnchorUseCase } = await import('../../app/use-cases/get-audit-anchor.js');
        const head = await ctx.run(getAuditAnchorUseCase, {});
        ctx.print(head, () => head.anchor);
      }),
    );

  audit
    .command('verify')
    .description('walk the hash chain, every record revision, the current state and release baselines, and the database\'s own check; exit 1 and name the first mismatch')
    .option('--anchor <SEQ:HASH>', 'the chain must still hold this event with this hash, as `audit anchor` printed it (repeatable)', collect)
    .action(
      kit.action(async (ctx, o: { anchor?: string[] }) => {
        const [{ parseAuditAnchor }, { verifyIntegrityUseCase }] = await Promise.all([import('../../core/audit-anchor.js'), import('../../app/use-cases/verify-integrity.js')]);
        const anchors = o.anchor ?? [];
        // Checked here too, so a bad one is named by its option.
        for (const a of anchors) parseAuditAnchor(a, '--anchor');
        const bar = progress(ctx.io);
        const report = await ctx.run(verifyIntegrityUseCase, { anchors }, bar);
        bar.end();
        ctx.print(report, () => {
          const head = report.head === null ? 'empty trail' : `head: event ${report.head.seq}, ${report.head.hash}`;
          const n = report.anchorsChecked;
          const anchors = n === 0 ? '' : `; the chain holds ${n === 1 ? 'its 1 anchor' : `all ${n} anchors`} (releases' and given)`;
          const db = report.database;
          const storage =
            db === null ? [] : [`database: ${db.checked}${db.problems.length === 0 ? ', no damage' : ''}`, ...(db.notChecked === null ? [] : [`not checked: ${db.notChecked}`])];
          if (report.ok) {
            const state = `current state: ${report.stateRowsChecked} rows and ${report.baselinesChecked} release baseline(s) match the trail`;
            return [
              `audit trail verified: ${report.eventsChecked} events, ${report.revisionsChecked} revisions, ${report.evidenceChecked} evidence imports, no mismatch (${head})${anchors}; ${state}`,
              ...storage,
            ].join('\n');
          }
          return [
            `audit trail verification FAILED: ${report.firstProblem?.message ?? ''}`,
            ...report.problems.slice(1, 20).map((p) => `  also: ${p.message}`),
            `${report.problems.length} problem(s); ${report.eventsChecked} events, ${report.revisionsChecked} revisions, ${report.evidenceChecked} evidence imports checked`,
            ...storage,
          ].join('\n');
        });
        return report.ok ? EXIT.ok : EXIT.findings;
      }),
    );
}

/** The filters `audit log` and `audit export` share. */
interface AuditFilterOptions {
  product?: string;
  record?: string;
  /** Not `--actor`: that global option names who runs the command. */
  by?: string;
  action?: string[];
  from?: string;
  to?: string;
}

/** The filter options as the use-cases' input (`AuditQueryShape`). */
function filterInput(o: AuditFilterOptions): { productKey?: string; record?: string; actor?: string; action?: string[]; from?: string; to?: string } {
  return {
    ...(o.product === undefined ? {} : { productKey: o.product.toUpperCase() }),
    ...(o.record === undefined ? {} : { record: o.record }),
    ...(o.by === undefined ? {} : { actor: o.by }),
    ...(o.action === undefined ? {} : { action: o.action }),
    ...(o.from === undefined ? {} : { from: o.from }),
    ...(o.to === undefined ? {} : { to: o.to }),
  };
}

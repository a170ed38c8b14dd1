import type { ImportPlan, ImportProblem, ImportReport } from '../core/interchange/plan.js';
import type { CliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import type { InterchangeOptions } from './commands/interchange-formats.js';

/** What an importer read besides the plan: how the source mapped (shown before the result), and reading problems. */
export interface ReadResult {
  readonly plan: ImportPlan;
  /** Problems found while reading the files (file, line, column); with any, nothing is imported. */
  readonly problems?: readonly ImportProblem[];
  /** Lines of "what mapped to what": `reqs/srs (doorstop document SRS) → SRS, 5000 items`. */
  readonly mapping?: readonly string[];
}

/** Most lines of a list printed for people (all are in `--json`). */
const SHOWN = 30;

/**
 * Runs an import plan through the `record.import` use-case (dry run or for real) and prints the report: what
 * mapped to what, what was (or would be) created, changed and linked, and every problem with its place. Problems
 * found while reading the files are reported the same way and nothing is imported. Exit 2 on problems, 3 on
 * conflicts (nothing written), 0 otherwise.
 */
export async function runImport(ctx: CliContext, read: ReadResult, source: string, o: InterchangeOptions): Promise<number> {
  return (await runImportReport(ctx, read, source, o)).code;
}

/** {@link runImport}, also handing back the report (a folder sync rewrites its files from it). */
export async function runImportReport(ctx: CliContext, read: ReadResult, source: string, o: InterchangeOptions): Promise<{ code: number; report: ImportReport }> {
  const productKey = await ctx.productKey(o.product);
  const readProblems = read.problems ?? [];
  const { importRecordsUseCase } = await import('../app/use-cases/import-records.js');
  const dryRun = o.dryRun === true || readProblems.length > 0;
  let report: ImportReport;
  try {
    report = await ctx.run(importRecordsUseCase, {
      productKey,
      plan: read.plan,
      dryRun,
      source,
      ...(o.reason === undefined ? {} : { reason: o.reason }),
    });
  } catch (e) {
    if (read.mapping !== undefined && !ctx.json) ctx.text(read.mapping.join('\n'));
    throw e;
  }
  const all = { ...report, problems: [...readProblems, ...report.problems] };
  ctx.print({ ...all, mapping: read.mapping ?? [] }, () => reportText(all, read.mapping ?? [], productKey, source, readProblems.length > 0 && o.dryRun !== true));
  const code = all.problems.length > 0 ? EXIT.usage : all.conflicts.length > 0 ? EXIT.conflict : EXIT.ok;
  return { code, report: all };
}

function list<T>(items: readonly T[], line: (t: T) => string): string[] {
  const out = items.slice(0, SHOWN).map((t) => `  ${line(t)}`);
  if (items.length > SHOWN) out.push(`  … and ${items.length - SHOWN} more (--json lists all)`);
  return out;
}

function reportText(r: ImportReport, mapping: readonly string[], productKey: string, source: string, refusedOnRead: boolean): string {
  const lines: string[] = [];
  if (mapping.length > 0) lines.push('Mapping:', ...mapping.map((m) => `  ${m}`), '');
  const verb = r.dryRun ? 'would' : 'did';
  const head = r.dryRun
    ? refusedOnRead
      ? `Nothing imported into ${productKey} from ${source}: the files have problems.`
      : `Dry run of importing ${source} into ${productKey}: nothing was written.`
    : `Imported ${source} into ${productKey}.`;
  lines.push(head);
  lines.push(
    `  records: ${r.created.length} ${r.dryRun ? 'to create' : 'created'}, ${r.changed.length} ${r.dryRun ? 'to revise' : 'revised'}, ${r.unchanged} unchanged`,
    `  links: ${r.linksAdded.length} ${r.dryRun ? 'to add' : 'added'} (${r.linksAdded.filter((l) => l.suspect).length} suspect), ${r.linksKept} already there, ${r.linksRemoved.length} ${r.dryRun ? 'to remove' : 'removed'}`,
  );
  if (r.created.length > 0) lines.push('', `Records ${verb === 'would' ? 'to create' : 'created'}:`, ...list(r.created, (c) => `${c.ref} → ${c.key}  ${c.title}`));
  if (r.changed.length > 0) lines.push('', `Records ${verb === 'would' ? 'to revise' : 'revised'}:`, ...list(r.changed, (c) => `${c.key} revision ${c.fromRevision} → ${c.toRevision}`));
  if (r.linksRemoved.length > 0) lines.push('', `Links ${verb === 'would' ? 'to remove' : 'removed'}:`, ...list(r.linksRemoved, (l) => `${l.from} ${l.type} ${l.to}`));
  if (r.conflicts.length > 0) {
    lines.push('', `Conflicts (changed in the store since the file was made; refused):`);
    lines.push(...list(r.conflicts, (c) => `${c.where}: ${c.key} is at revision ${c.latestRevision} (by ${c.changedBy} at ${c.changedAt}); the file was made from revision ${c.baseRevision}`));
  }
  if (r.problems.length > 0) lines.push('', `Problems (${r.problems.length}; nothing ${r.dryRun ? 'would be' : 'was'} written):`, ...list(r.problems, (p) => `${p.where}: ${p.message}`));
  return lines.join('\n');
}

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import type { RecordStatus } from '../../core/catalog/lifecycle.js';
import { collect, formatOption, positiveInt, recordAtRevision, type Kit } from '../command-kit.js';
import { table } from '../output.js';
import { terminalText } from '../../export/terminal-text.js';
import { registerRecordSignCommand } from './signature.js';

interface ContentOptions {
  title?: string;
  body?: string;
  bodyFile?: string;
  set?: string[];
  unset?: string[];
  reason?: string;
  product?: string;
}

/** Body text from `--body` or `--body-file` (naming the file when it cannot be read). */
function readBody(o: ContentOptions): string | undefined {
  if (o.body !== undefined && o.bodyFile !== undefined) throw invalidInput('give --body or --body-file, not both', { field: 'body' });
  if (o.bodyFile === undefined) return o.body;
  try {
    return readFileSync(o.bodyFile, 'utf8');
  } catch (e) {
    throw invalidInput(`cannot read --body-file ${o.bodyFile}: ${(e as Error).message}`, { file: o.bodyFile });
  }
}

const fmtValue = (v: unknown): string => (v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v));

/** `dossier record add|edit|show|list|history|diff|status|obsolete`. */
export function registerRecordCommands(program: Command, kit: Kit): void {
  const record = program.command('record').description('records: requirements, tests, hazards, risk controls …');
  const withProduct = (c: Command): Command => c.option('-p, --product <KEY>', 'product (default: the only one)');

  withProduct(record.command('add'))
    .description('add a record; it starts as a draft (see `dossier catalog` for types and fields)')
    .requiredOption('-t, --type <TYPE>', 'record type, e.g. SRS')
    .requiredOption('--title <title>', 'one-line title')
    .option('--body <markdown>', 'Markdown body')
    .option('--body-file <path>', 'read the Markdown body from a file')
    .option('--set <key=value>', 'a typed field (repeatable)', collect)
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, o: ContentOptions & { type: string }) => {
        const productKey = await ctx.productKey(o.product);
        const body = readBody(o);
        const [{ addRecordUseCase }, { NewRecordSchema }, { getRecordType }, { fieldsFromText }, { parseInput }] = await Promise.all([
          import('../../app/use-cases/add-record.js'),
          import('../../app/use-cases/add-records.js'),
          import('../../core/catalog/catalog.js'),
          import('../../core/catalog/field-input.js'),
          import('../../core/validation.js'),
        ]);
        const type = o.type.toUpperCase();
        const fields = fieldsFromText(getRecordType(ctx.catalog, type), o.set ?? []);
        const record = { type, title: o.title ?? '', ...(body === undefined ? {} : { body }), fields };
        // The record alone first, so a message names its field as the command line has it (`title`, not `record.title`).
        parseInput(NewRecordSchema, record, 'record');
        const r = await ctx.run(addRecordUseCase, { productKey, record, ...(o.reason === undefined ? {} : { reason: o.reason }) });
        ctx.print(r, () => `added ${productKey}/${r.key} "${terminalText(r.title)}" (revision 1, draft)`);
      }),
    );

  withProduct(record.command('edit'))
    .description('edit a record: writes a new revision (an approved record starts a new draft)')
    .argument('<ID>', 'record ID, e.g. SRS-12')
    .requiredOption('--base <N>', 'the revision you edited (refused if someone changed the record since)')
    .option('--title <title>', 'new title')
    .option('--body <markdown>', 'new Markdown body')
    .option('--body-file <path>', 'read the new body from a file')
    .option('--set <key=value>', 'set a typed field (repeatable)', collect)
    .option('--unset <key>', 'remove a typed field (repeatable)', collect)
    .option('--reason <text>', 'why, for the audit trail')
    .action(
      kit.action(async (ctx, id: string, o: ContentOptions & { base: string }) => {
        const productKey = await ctx.productKey(o.product);
        const body = readBody(o);
        const [{ editRecordUseCase }, { getRecordType }, { fieldsFromText }, { parseRecordRef }] = await Promise.all([
          import('../../app/use-cases/edit-record.js'),
          import('../../core/catalog/catalog.js'),
          import('../../core/catalog/field-input.js'),
          import('../../core/entities.js'),
        ]);
        const fields = fieldsFromText(getRecordType(ctx.catalog, parseRecordRef(id).type), o.set ?? [], o.unset ?? []);
        const r = await ctx.run(editRecordUseCase, {
          productKey,
          record: id,
          baseRevision: positiveInt('--base', o.base) ?? 0,
          ...(o.title === undefined ? {} : { title: o.title }),
          ...(body === undefined ? {} : { body }),
          ...(Object.keys(fields).length === 0 ? {} : { fields }),
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.print(r, () => `${productKey}/${r.key} is now at revision ${r.latestRevision} (${r.status})`);
      }),
    );

  withProduct(record.command('show'))
    .description('show a record: latest revision by default')
    .argument('<ID>', 'record ID, e.g. SRS-12')
    .option('--revision <N>', 'show this revision')
    .option('--approved', 'show the approved revision')
    .action(
      kit.action(async (ctx, id: string, o: { product?: string; revision?: string; approved?: boolean }) => {
        const productKey = await ctx.productKey(o.product);
        const revision = o.approved === true ? 'approved' : positiveInt('--revision', o.revision);
        const { getRecordUseCase } = await import('../../app/use-cases/get-record.js');
        const { latestRevision: _latest, ...v } = await ctx.run(getRecordUseCase, { productKey, record: id, ...(revision === undefined ? {} : { revision }) });
        ctx.print(v, () => {
          const h = v.head;
          const lines = [
            `${v.product.key}/${v.key}  ${terminalText(v.revision.title)}`,
            `type:      ${h.type}`,
            `status:    ${h.status}${h.approvedRevision === null ? '' : ` (approved revision: ${h.approvedRevision})`}`,
            `revision:  ${v.revision.revision} of ${h.latestRevision}, ${v.revision.createdAt} by ${v.revision.createdBy}`,
            `hash:      ${v.revision.hash}`,
          ];
          const fields = Object.entries(v.revision.fields);
          if (fields.length > 0) {
            lines.push('', 'Fields:');
            for (const [k, val] of fields) lines.push(`  ${k}: ${fmtValue(val)}`);
          }
          if (v.revision.body !== '') lines.push('', v.revision.body);
          // 21 CFR 11.50: each signature with printed name, date and time with its zone, meaning and revision.
          if (v.signatures.length > 0 || v.approval !== null) {
            lines.push('', 'Signatures:');
            for (const s of v.signatures) lines.push(`  ${s.manifestation}`);
            if (v.approval === 'without electronic signature') lines.push(`  revision ${h.approvedRevision ?? '?'} approved without electronic signature (by ${h.approvedBy ?? '?'})`);
          }
          if (v.attachments.length > 0) {
            lines.push('', 'Attachments:');
            const size = (n: number): string => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`);
            lines.push(
              table(
                ['NAME', 'SIZE', 'SHA-256', 'ATTACHED', 'BY'],
                v.attachments.map((a) => [terminalText(a.name), size(a.size), a.sha256, a.attachedAt, a.attachedBy]),
              )
                .split('\n')
                .map((s) => `  ${s}`)
                .join('\n'),
            );
          }
          if (v.links.length > 0) {
            lines.push('', 'Links:');
            lines.push(
              table(
                ['ID', 'LINK'],
                v.links.map((l) => [l.id, `${l.fromKey} ${l.type} ${l.toKey}`]),
              )
                .split('\n')
                .map((s) => `  ${s}`)
                .join('\n'),
            );
          }
          return lines.join('\n');
        });
      }),
    );

  withProduct(record.command('list'))
    .description('list records (obsolete ones included)')
    .option('-t, --type <TYPE>', 'only this record type')
    .option('--status <status>', 'only this status: draft, in_review, approved, obsolete')
    .action(
      kit.action(async (ctx, o: { product?: string; type?: string; status?: string }) => {
        const [{ RecordStatusSchema }, { listRecordsUseCase }] = await Promise.all([import('../../core/catalog/lifecycle.js'), import('../../app/use-cases/list-records.js')]);
        const productKey = await ctx.productKey(o.product);
        const status = o.status === undefined ? undefined : RecordStatusSchema.safeParse(o.status);
        if (status !== undefined && !status.success) {
          throw invalidInput(`--status must be one of ${RecordStatusSchema.options.join(', ')}`, { field: 'status' });
        }
        const { records: rs } = await ctx.run(listRecordsUseCase, {
          productKey,
          ...(o.type === undefined ? {} : { type: o.type.toUpperCase() }),
          ...(status?.data === undefined ? {} : { status: status.data }),
          limit: 'all',
        });
        ctx.print(rs, () =>
          rs.length === 0
            ? `no records in ${productKey}`
            : `${table(['ID', 'STATUS', 'REV', 'TITLE'], rs.map((r) => [r.key, r.status, r.latestRevision, r.title]))}\n\n${rs.length} records`,
        );
      }),
    );

  withProduct(record.command('history'))
    .description('every revision of a record with its signatures, and every audit event about it')
    .argument('<ID>', 'record ID')
    .option('--format <format>', 'text, json or csv (one model: the same lines in each)', 'text')
    .action(
      kit.action(async (ctx, id: string, o: { product?: string; format: string }) => {
        const format = formatOption(o.format, ['text', 'json', 'csv']);
        const productKey = await ctx.productKey(o.product);
        const [{ getRecordHistoryUseCase }, { recordHistoryCsv, recordHistoryText }] = await Promise.all([
          import('../../app/use-cases/get-record-history.js'),
          import('../../export/record-history.js'),
        ]);
        const h = await ctx.run(getRecordHistoryUseCase, { productKey, record: id });
        if (format === 'csv') ctx.io.out(recordHistoryCsv(h));
        else if (format === 'json') ctx.io.out(`${JSON.stringify(h, null, 2)}\n`);
        else ctx.print(h, () => recordHistoryText(h, table));
      }),
    );

  withProduct(record.command('diff'))
    .description('what changed between two revisions (default: the last change)')
    .argument('<ID>', 'record ID')
    .option('--from <N>', 'older revision')
    .option('--to <N>', 'newer revision')
    .action(
      kit.action(async (ctx, id: string, o: { product?: string; from?: string; to?: string }) => {
        const productKey = await ctx.productKey(o.product);
        const from = positiveInt('--from', o.from);
        const to = positiveInt('--to', o.to);
        const { diffRecordUseCase } = await import('../../app/use-cases/diff-record.js');
        const d = await ctx.run(diffRecordUseCase, {
          productKey,
          record: id,
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
        });
        ctx.print(d, () => {
          const lines = [`${productKey}/${d.key}: revision ${d.from} → ${d.to}`];
          if (d.changes.length === 0) lines.push('no differences');
          for (const c of d.changes) {
            if (c.part === 'title') lines.push(`title: ${terminalText(c.from)}`, `    → ${terminalText(c.to)}`);
            else if (c.part === 'field') lines.push(`field ${c.field}: ${fmtValue(c.from)} → ${fmtValue(c.to)}`);
            else {
              lines.push('body:');
              for (const l of c.lines) lines.push(`${l.op} ${l.text}`);
            }
          }
          return lines.join('\n');
        });
      }),
    );

  withProduct(record.command('status'))
    .description('move records through their lifecycle: draft → in_review → approved → obsolete (several: one transaction)')
    .argument('<ID...>', 'record IDs, then the new status: in_review, approved, draft (back from review), obsolete')
    .option('--base <N>', 'the revision you reviewed (refused if the record changed since); ID@N gives it per record')
    .option('--reason <text>', 'why, for the audit trail')
    .addHelpText('after', '\nExamples:\n  dossier record status SRS-21 in_review --base 1\n  dossier record status SRS-3@2 SRS-4@1 approved')
    .action(
      kit.action(async (ctx, args: string[], o: { product?: string; base?: string; reason?: string }) => {
        const to = args.at(-1) ?? '';
        const ids = args.slice(0, -1);
        if (ids.length === 0) throw invalidInput('name at least one record and then the new status, e.g. SRS-21 in_review', { field: 'ID' });
        const base = positiveInt('--base', o.base);
        const records = ids.map((arg) => {
          const { record, revision } = recordAtRevision(arg);
          const rev = revision ?? base;
          return { record, ...(rev === undefined ? {} : { baseRevision: rev }) };
        });
        const productKey = await ctx.productKey(o.product);
        const [{ changeRecordStatusesUseCase }, { recordKey }] = await Promise.all([import('../../app/use-cases/change-record-status.js'), import('../../core/entities.js')]);
        const heads = await ctx.run(changeRecordStatusesUseCase, {
          productKey,
          records,
          to: to as RecordStatus, // checked by the use-case's schema
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.print(ids.length === 1 ? heads[0] : heads, () =>
          heads.map((h) => `${productKey}/${recordKey(h.type, h.number)} is now ${h.status} (revision ${h.latestRevision})`).join('\n'),
        );
      }),
    );

  registerRecordSignCommand(record, kit);

  withProduct(record.command('obsolete'))
    .description('make a record obsolete (it is kept; its ID is never reused)')
    .argument('<ID>', 'record ID')
    .requiredOption('--reason <text>', 'why the record is withdrawn')
    .action(
      kit.action(async (ctx, id: string, o: { product?: string; reason: string }) => {
        const productKey = await ctx.productKey(o.product);
        const { changeRecordStatusUseCase } = await import('../../app/use-cases/change-record-status.js');
        const h = await ctx.run(changeRecordStatusUseCase, { productKey, record: id, to: 'obsolete', reason: o.reason });
        ctx.print(h, () => `${productKey}/${id.toUpperCase()} is now obsolete`);
      }),
    );
}

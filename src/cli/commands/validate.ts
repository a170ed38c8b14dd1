import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { parseStoreTarget } from '../../storage/open-store.js';
import { collect, type Kit } from '../command-kit.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import type { ValidateResult } from '../../validation/validate.js';

interface ValidateFlags {
  out?: string;
  pg?: string[];
  compare?: string;
  releaseEvidence?: string;
  record?: string;
  oqEngines?: string;
}

/** `dossier validate`: installation and operational qualification of this installation, with a signed-off report. */
export function registerValidateCommand(program: Command, kit: Kit): void {
  program
    .command('validate')
    .description("validate this installation of Dossier for your use: installation and operational qualification, and a report (HTML, PDF) to review and sign")
    .requiredOption('--out <DIR>', 'folder for the report (created; its files are replaced)')
    .option('--pg <URL>', 'also run operational qualification on this PostgreSQL server, in a throwaway schema (repeatable; the store\'s own server is used when --db is PostgreSQL)', collect)
    .option('--oq-engines <LIST>', 'the engines you use, to run OQ on: sqlite, postgres or sqlite,postgres (default: SQLite, and PostgreSQL when --db or --pg names a server)')
    .option('--compare <PREVIOUS>', 'list what changed in Dossier\'s requirements and risks since a previous report (its folder or validation.json)')
    .option('--record <PRODUCT>', 'file the report in this product as a DOC record (report), with the PDF and results attached, ready for electronic signatures; with --server, on the server')
    .option('--release-evidence <FILE>', "the release's CI evidence summary (default: the one shipped with the package, if any)")
    .addHelpText(
      'after',
      '\nChecks the store named by --db (migrations, integrity, audit trail, file permissions) without changing it; OQ runs on throwaway stores.\nExit code 0 when everything passed, 1 when any check or case failed: the report then says FAIL.',
    )
    .action(
      kit.action(async (ctx, o: ValidateFlags) => {
        const remote = ctx.config.server;
        if (remote !== undefined && o.record === undefined) {
          throw invalidInput('with --server, validate qualifies this machine and files the report on the server: name the product with --record', { field: '--server' });
        }
        const out = o.out ?? '';
        const target = parseStoreTarget(ctx.config.db);
        // The store IQ checks is the local one; with --server the store is behind the server, on another machine.
        const storeMissing = remote !== undefined || (target.dialect === 'sqlite' && !existsSync(target.location));
        const noStoreReason = remote !== undefined ? `the store is behind the server at ${remote}: run validate on the server's machine (with --db) to check it` : `no store at ${target.location}: name yours with --db to check it`;
        const postgres = [...new Set([...(o.pg ?? []).map((u) => parseStoreTarget(u)).map((t) => {
          if (t.dialect !== 'postgres') throw invalidInput(`--pg takes a postgres:// URL, not '${t.location}'`, { field: '--pg' });
          return t.location;
        }), ...(target.dialect === 'postgres' && remote === undefined ? [target.location] : [])])];
        const engines = o.oqEngines === undefined ? undefined : o.oqEngines.split(',').map((e) => e.trim().toLowerCase());
        for (const e of engines ?? []) if (e !== 'sqlite' && e !== 'postgres') throw invalidInput(`--oq-engines takes sqlite and postgres, not '${e}'`, { field: '--oq-engines' });
        if (engines !== undefined && engines.length === 0) throw invalidInput('--oq-engines names no engine', { field: '--oq-engines' });
        if (engines?.includes('postgres') === true && postgres.length === 0) throw invalidInput('--oq-engines postgres needs a server: name it with --pg URL (or use a PostgreSQL --db)', { field: '--oq-engines' });
        const { validate } = await import('../../validation/validate.js');
        const result = await validate({
          out,
          store: storeMissing ? undefined : target,
          ...(storeMissing ? { noStoreReason } : {}),
          postgres: engines === undefined || engines.includes('postgres') ? postgres : [],
          sqlite: engines === undefined || engines.includes('sqlite'),
          ...(o.compare === undefined ? {} : { compare: o.compare }),
          ...(o.releaseEvidence === undefined ? {} : { releaseEvidence: o.releaseEvidence }),
          onProgress: ctx.json ? undefined : (line) => ctx.io.err(`${line}\n`),
        });
        const filed = o.record === undefined ? undefined : await fileReport(ctx, o.record.toUpperCase(), result);
        ctx.print({ ...result, ...(filed === undefined ? {} : { record: filed }) }, () =>
          [
            `${result.pass ? 'PASS' : 'FAIL'}: installation qualification ${result.iq.passed} passed, ${result.iq.failed} failed, ${result.iq.notApplicable} not applicable; operational qualification ${result.oq.passed} passed, ${result.oq.failed} failed`,
            ...result.failures.map((f) => `  FAILED ${f}`),
            'report:',
            ...result.files.map((f) => `  ${f}`),
            ...(filed === undefined ? [] : [`filed as ${filed.productKey}/${filed.key} with the PDF and results attached; send it for signatures with dossier record status ${filed.key} in_review --base 1, then each signer runs dossier record sign ${filed.key}@1 with the meaning the document workflow asks (dossier inbox shows it)`]),
            result.pass ? 'Review the report, fill in the performance-qualification template, and sign.' : 'The installation is not validated: resolve the failures above and run validate again.',
          ].join('\n'),
        );
        return result.pass ? EXIT.ok : EXIT.findings;
      }),
    );
}

/**
 * Files the report as a DOC record (a report) in a product, with the PDF, the results as data and the OQ results as
 * JUnit attached: the quality system keeps it, and the product's workflow for documents asks for its signatures.
 */
async function fileReport(ctx: CliContext, productKey: string, r: ValidateResult): Promise<{ productKey: string; key: string }> {
  const [{ addRecordUseCase }, { attachFile }, { reportRecord }] = await Promise.all([import('../../app/use-cases/add-record.js'), import('./attachment.js'), import('../../validation/validate.js')]);
  const rec = await ctx.run(addRecordUseCase, { productKey, record: reportRecord(r) });
  const files: [string, string, string][] = [
    [join(r.out, 'pdf', 'validation-report.pdf'), 'validation-report.pdf', 'application/pdf'],
    [join(r.out, 'validation.json'), 'validation.json', 'application/json'],
    [join(r.out, 'oq-results.xml'), 'oq-results.xml', 'application/xml'],
  ];
  for (const [file, name, mediaType] of files) await attachFile(ctx, productKey, rec.key, file, { name, mediaType });
  return { productKey, key: rec.key };
}

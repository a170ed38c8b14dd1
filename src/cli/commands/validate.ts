import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import { parseStoreTarget } from '../../storage/open-store.js';
import { collect, type Kit } from '../command-kit.js';
import { EXIT } from '../exit-codes.js';

interface ValidateFlags {
  out?: string;
  pg?: string[];
  compare?: string;
  releaseEvidence?: string;
}

/** `dossier validate`: installation and operational qualification of this installation, with a signed-off report. */
export function registerValidateCommand(program: Command, kit: Kit): void {
  program
    .command('validate')
    .description("validate this installation of Dossier for your use: installation and operational qualification, and a report (HTML, PDF) to review and sign")
    .requiredOption('--out <DIR>', 'folder for the report (created; its files are replaced)')
    .option('--pg <URL>', 'also run operational qualification on this PostgreSQL server, in a throwaway schema (repeatable; the store\'s own server is used when --db is PostgreSQL)', collect)
    .option('--compare <PREVIOUS>', 'list what changed in Dossier\'s requirements and risks since a previous report (its folder or validation.json)')
    .option('--release-evidence <FILE>', "the release's CI evidence summary (default: the one shipped with the package, if any)")
    .addHelpText(
      'after',
      '\nChecks the store named by --db (migrations, integrity, audit trail, file permissions) without changing it; OQ runs on throwaway stores.\nExit code 0 when everything passed, 1 when any check or case failed: the report then says FAIL.',
    )
    .action(
      kit.action(async (ctx, o: ValidateFlags) => {
        if (ctx.config.server !== undefined) {
          throw invalidInput('validate qualifies the installation it runs from: run it on the machine where Dossier is installed, without --server', { field: '--server' });
        }
        const out = o.out ?? '';
        const target = parseStoreTarget(ctx.config.db);
        const storeMissing = target.dialect === 'sqlite' && !existsSync(target.location);
        const postgres = [...new Set([...(o.pg ?? []).map((u) => parseStoreTarget(u)).map((t) => {
          if (t.dialect !== 'postgres') throw invalidInput(`--pg takes a postgres:// URL, not '${t.location}'`, { field: '--pg' });
          return t.location;
        }), ...(target.dialect === 'postgres' ? [target.location] : [])])];
        const { validate } = await import('../../validation/validate.js');
        const result = await validate({
          out,
          store: storeMissing ? undefined : target,
          ...(storeMissing ? { noStoreReason: `no store at ${target.location}: name yours with --db to check it` } : {}),
          postgres,
          sqlite: true,
          ...(o.compare === undefined ? {} : { compare: o.compare }),
          ...(o.releaseEvidence === undefined ? {} : { releaseEvidence: o.releaseEvidence }),
          onProgress: ctx.json ? undefined : (line) => ctx.io.err(`${line}\n`),
        });
        ctx.print(result, () =>
          [
            `${result.pass ? 'PASS' : 'FAIL'}: installation qualification ${result.iq.passed} passed, ${result.iq.failed} failed, ${result.iq.notApplicable} not applicable; operational qualification ${result.oq.passed} passed, ${result.oq.failed} failed`,
            ...result.failures.map((f) => `  FAILED ${f}`),
            'report:',
            ...result.files.map((f) => `  ${f}`),
            result.pass ? 'Review the report, fill in the performance-qualification template, and sign.' : 'The installation is not validated: resolve the failures above and run validate again.',
          ].join('\n'),
        );
        return result.pass ? EXIT.ok : EXIT.findings;
      }),
    );
}

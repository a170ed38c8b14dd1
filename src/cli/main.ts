#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { isAppError } from '../core/errors.js';
import { terminalText } from '../export/terminal-text.js';
import { makeKit } from './command-kit.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerCatalogCommand } from './commands/catalog.js';
import { registerCheckCommands } from './commands/check.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerEvidenceCommands } from './commands/evidence.js';
import { registerInitCommand } from './commands/init.js';
import { registerLinkCommands } from './commands/link.js';
import { registerProductCommands } from './commands/product.js';
import { registerRecordCommands } from './commands/record.js';
import { registerReleaseCommands } from './commands/release.js';
import { registerServeCommand } from './commands/serve.js';
import { registerRiskCommands } from './commands/risk.js';
import { registerStoreIoCommands } from './commands/store-io.js';
import { registerTraceCommands } from './commands/trace.js';
import { registerUserCommands } from './commands/user.js';
import { registerSignatureCommands } from './commands/signature.js';
import { registerQmsCommands } from './commands/qms.js';
import { registerAttachmentCommands } from './commands/attachment.js';
import { registerDocsCommands } from './commands/docs.js';
import { registerValidateCommand } from './commands/validate.js';
import { redactSecrets } from '../shared/redact.js';
import { EXIT, EXIT_CODE_BY_ERROR } from './exit-codes.js';
import type { Io } from './output.js';
import { guardOutput } from './output-guard.js';

/**
 * Runs the `dossier` CLI and returns its exit code: 0 ok, 1 findings, 2 usage or input error, 3 conflict,
 * 4 internal error. Errors are printed as one clear line, never a stack trace (set DOSSIER_DEBUG=1 for one); with
 * `--json` also as `{ "error": { "code", "message", "details" } }` on stdout, with the same exit code.
 */
export async function runCli(argv: readonly string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let exit: number = EXIT.ok;
  const kit = makeKit(io, env, (code) => {
    exit = code;
  });
  const program = new Command('dossier')
    .description('Dossier: a quality management system for Software as a Medical Device')
    .option('--db <path|url>', 'SQLite file or postgres:// URL (default: $DOSSIER_DB or ./dossier.db)')
    .option('--actor <name>', 'who is acting, for the audit trail (default: $DOSSIER_ACTOR or your user name)')
    .option('--json', 'print JSON for machines')
    .option('--server <url>', 'run the command on a Dossier server instead of a local store (default: $DOSSIER_SERVER; token: $DOSSIER_TOKEN)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(terminalText(s, true)) })
    .showHelpAfterError('(run with --help for usage)');

  registerInitCommand(program, kit);
  registerProductCommands(program, kit);
  registerRecordCommands(program, kit);
  registerAttachmentCommands(program, kit);
  registerLinkCommands(program, kit);
  registerAuditCommands(program, kit);
  registerStoreIoCommands(program, kit);
  registerTraceCommands(program, kit);
  registerCheckCommands(program, kit);
  registerEvidenceCommands(program, kit);
  registerReleaseCommands(program, kit);
  registerRiskCommands(program, kit);
  registerCatalogCommand(program, kit);
  registerDemoCommand(program, kit);
  registerUserCommands(program, kit);
  registerSignatureCommands(program, kit);
  registerQmsCommands(program, kit);
  registerDocsCommands(program, kit);
  registerValidateCommand(program, kit);
  registerServeCommand(program, kit);
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);

  // Under --json an error is also printed as JSON on stdout, so a pipeline that captures stdout sees what failed.
  const json = (code: string, message: string, details: unknown): void => {
    if (program.opts<{ json?: boolean }>().json === true || wantsJson(argv)) io.out(`${JSON.stringify({ error: { code, message, details } }, null, 2)}\n`);
  };
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT.ok;
      json('USAGE', e.message.replace(/^error: /, ''), { commander: e.code });
      return EXIT.usage;
    }
    if (isAppError(e)) {
      const message = redactSecrets(e.userMessage);
      io.err(`dossier: ${terminalText(message, true)}\n`);
      json(e.code, message, e.details);
      if (env['DOSSIER_DEBUG'] === '1' && e.stack !== undefined) io.err(`${redactSecrets(e.stack)}\n`);
      return EXIT_CODE_BY_ERROR[e.code];
    }
    const message = `internal error: ${redactSecrets(e instanceof Error ? e.message : String(e))}`;
    io.err(`dossier: ${message}\n`);
    json('INTERNAL', message, {});
    if (env['DOSSIER_DEBUG'] === '1' && e instanceof Error && e.stack !== undefined) io.err(`${redactSecrets(e.stack)}\n`);
    return EXIT.internal;
  }
}

/** `--json` among the arguments before a `--` (commander may not have parsed it when the error came). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

function isMain(): boolean {
  const arg = process.argv[1];
  if (arg === undefined) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  // Node 22.1+ keeps V8's compiled code of the modules loaded from here on (each command's chunks) in a cache on
  // disk, so later runs skip compiling them; Node 20 has no such cache and goes on without it.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const stdout = guardOutput(process.stdout, (line) => process.stderr.write(line));
  const io: Io = {
    out: (s) => {
      if (!stdout.closed) process.stdout.write(s);
    },
    err: (s) => process.stderr.write(s),
    interactive: process.stderr.isTTY === true,
  };
  const code = await runCli(process.argv.slice(2), io);
  process.exitCode = stdout.failed ? EXIT.usage : code;
}

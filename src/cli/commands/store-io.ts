import type { Command } from 'commander';
import type { Kit } from '../command-kit.js';
import { EXPORT_FORMATS, IMPORT_FORMATS, exporterOf, importerOf, type InterchangeOptions } from './interchange-formats.js';

/**
 * `dossier export FORMAT`, `dossier import FORMAT INPUT…` and `dossier sync DIR`: the whole store (json), and
 * records in and out of the formats people already use. Each format's handler lives in its own module
 * (`io-*.ts`), loaded when it runs.
 */
export function registerStoreIoCommands(program: Command, kit: Kit): void {
  program
    .command('export')
    .description('export the whole store (json), or a product\'s records as a Markdown folder (md) or ReqIF (reqif)')
    .argument('<format>', Object.keys(EXPORT_FORMATS).join(' | '))
    .argument('[target]', 'md: the folder to write; json, reqif: the file (or use --out)')
    .option('-o, --out <path>', 'write to this file or folder instead of standard output')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--map <file>', 'reqif: mapping file (record types and fields ↔ ReqIF types and attributes)')
    .addHelpText('after', `\nFormats:\n${Object.entries(EXPORT_FORMATS).map(([k, v]) => `  ${k.padEnd(9)}${v}`).join('\n')}\n`)
    .action(
      kit.action(async (ctx, format: string, target: string | undefined, o: InterchangeOptions) => {
        const run = await exporterOf(format);
        return run(ctx, target, o);
      }),
    );

  program
    .command('import')
    .description('import records and links from files: a whole-store export (json), a Markdown folder, doorstop, strictdoc, CSV, XLSX or ReqIF')
    .argument('<format>', Object.keys(IMPORT_FORMATS).join(' | '))
    .argument('<inputs...>', 'the files or folder to import')
    .option('-p, --product <KEY>', 'product to import into (default: the only one)')
    .option('--map <file>', 'csv, xlsx, reqif: mapping file (YAML): columns or attributes → record types, fields and links')
    .option('--dry-run', 'check everything and report what would be created or changed; write nothing')
    .option('--sheet <name>', 'xlsx: the worksheet to read (default: the map\'s sheet, else the first)')
    .option('--reason <text>', 'reason recorded with every audit event (default: what was imported)')
    .addHelpText('after', `\nFormats:\n${Object.entries(IMPORT_FORMATS).map(([k, v]) => `  ${k.padEnd(9)}${v}`).join('\n')}\n`)
    .action(
      kit.action(async (ctx, format: string, inputs: string[], o: InterchangeOptions) => {
        const run = await importerOf(format);
        return run(ctx, inputs, o);
      }),
    );

  program
    .command('sync')
    .description('read a Markdown folder (from `dossier export md`) back: new files become records, changed files new revisions, links follow the files; conflicts are refused')
    .argument('<dir>', 'the folder')
    .option('-p, --product <KEY>', 'product (default: the only one)')
    .option('--dry-run', 'report what would change; write nothing')
    .option('--reason <text>', 'reason recorded with every audit event')
    .action(
      kit.action(async (ctx, dir: string, o: InterchangeOptions) => {
        const run = await importerOf('md');
        return run(ctx, [dir], o);
      }),
    );
}

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { invalidInput } from '../../core/errors.js';
import type { Kit } from '../command-kit.js';
import { progress } from '../output.js';

/** `dossier export json` and `dossier import json`: the whole store, exactly. */
export function registerStoreIoCommands(program: Command, kit: Kit): void {
  program
    .command('export')
    .description('export the whole store')
    .argument('<format>', 'json')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action(
      kit.action(async (ctx, format: string, o: { out?: string }) => {
        if (format !== 'json') throw invalidInput(`unknown export format '${format}'; available: json`, { field: 'format' });
        const bar = progress(ctx.io);
        const { exportStoreUseCase } = await import('../../app/use-cases/export-store.js');
        const doc = await ctx.run(exportStoreUseCase, {}, bar);
        bar.end();
        const text = `${JSON.stringify(doc, null, 1)}\n`;
        if (o.out === undefined) ctx.io.out(text);
        else {
          const { writeFileAtomic } = await import('../atomic-file.js');
          writeFileAtomic(o.out, text);
          ctx.io.err(`exported ${doc.records.length} records, ${doc.links.length} links, ${doc.audit.length} audit events to ${o.out}\n`);
        }
      }),
    );

  program
    .command('import')
    .description('restore a whole-store export into an empty store (checked completely first; one transaction)')
    .argument('<format>', 'json')
    .argument('<file>', 'the export file')
    .action(
      kit.action(async (ctx, format: string, file: string) => {
        if (format !== 'json') throw invalidInput(`unknown import format '${format}'; available: json`, { field: 'format' });
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw invalidInput(`cannot read ${file}: ${(e as Error).message}`, { file });
        }
        const bar = progress(ctx.io);
        const [{ importStoreUseCase }, { parseJsonText }] = await Promise.all([import('../../app/use-cases/import-store.js'), import('../../ingest/json-file.js')]);
        const s = await ctx.run(importStoreUseCase, { source: file, document: parseJsonText(text, file) }, bar);
        bar.end();
        ctx.print(s, () => `imported ${s.products} products, ${s.records} records, ${s.revisions} revisions, ${s.links} links, ${s.auditEvents} audit events from ${file}`);
      }),
    );
}

import { readFileSync } from 'node:fs';
import { invalidInput } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { progress } from '../output.js';
import type { InterchangeOptions } from './interchange-formats.js';

/** `dossier export json`: the whole store, exactly. */
export async function exportJson(ctx: CliContext, target: string | undefined, o: InterchangeOptions): Promise<void> {
  const out = o.out ?? target;
  const bar = progress(ctx.io);
  const { exportStoreUseCase } = await import('../../app/use-cases/export-store.js');
  const doc = await ctx.run(exportStoreUseCase, {}, bar);
  bar.end();
  const text = `${JSON.stringify(doc, null, 1)}\n`;
  if (out === undefined) ctx.io.out(text);
  else {
    const { writeFileAtomic } = await import('../atomic-file.js');
    writeFileAtomic(out, text);
    ctx.io.err(`exported ${doc.records.length} records, ${doc.links.length} links, ${doc.audit.length} audit events to ${out}\n`);
  }
}

/** `dossier import json FILE`: restore a whole-store export into an empty store. */
export async function importJson(ctx: CliContext, inputs: string[]): Promise<void> {
  const [file, ...rest] = inputs;
  if (file === undefined || rest.length > 0) throw invalidInput('import json takes exactly one export file', { field: 'file' });
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
}

import type { Command } from 'commander';
import type { z } from 'zod';
import type { DocumentsInputSchema } from '../../app/services/baseline-documents.js';
import { invalidInput } from '../../core/errors.js';
import type { Kit } from '../command-kit.js';
import type { CliContext } from '../context.js';
import { progress, table } from '../output.js';

interface DocsOptions {
  product?: string;
  release?: string;
  templates?: string;
}

const FORMATS = ['html', 'pdf', 'docx', 'xlsx'] as const;

/** Comma-separated values of a flag, trimmed, empty ones dropped. */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * When documents say they were generated: `SOURCE_DATE_EPOCH` (seconds since 1970, for reproducible builds) when
 * set, otherwise now (left to the use-case's clock).
 * @throws AppError INVALID_INPUT when SOURCE_DATE_EPOCH is not a whole number of seconds
 */
export function generationTime(env: NodeJS.ProcessEnv): string | undefined {
  const v = env['SOURCE_DATE_EPOCH'];
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,12}$/.test(v)) throw invalidInput(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '${v}'`, { field: 'SOURCE_DATE_EPOCH' });
  return new Date(Number(v) * 1000).toISOString();
}

/** The use-case input both commands share: product, release, a team's templates, the generation time. */
async function docsInput(ctx: CliContext, o: DocsOptions, env: NodeJS.ProcessEnv): Promise<z.input<typeof DocumentsInputSchema>> {
  let templates: Record<string, string> | undefined;
  if (o.templates !== undefined) {
    const { readTemplateFolder } = await import('../../ingest/document-templates.js');
    templates = readTemplateFolder(o.templates);
  }
  const generatedAt = generationTime(env);
  return {
    productKey: await ctx.productKey(o.product),
    ...(o.release === undefined ? {} : { release: o.release }),
    ...(templates === undefined ? {} : { templates, templatesFrom: o.templates }),
    ...(generatedAt === undefined ? {} : { generatedAt }),
  };
}

/** `dossier docs list` and `dossier docs build`: the technical file as HTML, PDF, DOCX and XLSX. */
export function registerDocsCommands(program: Command, kit: Kit): void {
  const docs = program.command('docs').description('generate the technical file: IEC 62304, ISO 14971 and design-control documents as HTML, PDF, DOCX, XLSX');
  const common = (c: Command): Command =>
    c
      .option('-p, --product <KEY>', 'product (default: the only one)')
      .option('--release <version>', "a release's frozen baseline (default: the current state)")
      .option('--templates <DIR>', 'a folder of templates (<id>.md) that replace the shipped ones of the same name');

  common(docs.command('list'))
    .description('list the documents of a baseline with their clauses, and whether each is complete or how many gaps it has')
    .action(
      kit.action(async (ctx, o: DocsOptions) => {
        const { listGeneratedDocumentsUseCase } = await import('../../app/use-cases/list-generated-documents.js');
        const r = await ctx.run(listGeneratedDocumentsUseCase, await docsInput(ctx, o, kit.env));
        ctx.print(r, () =>
          [
            `${r.product.key} ${r.baseline.kind === 'release' ? `release ${r.baseline.label}` : 'current state'} (baseline hash ${r.baseline.hash.slice(0, 12)})`,
            table(
              ['ID', 'TITLE', 'CLAUSES', 'STATUS'],
              r.documents.map((d) => [d.id, d.title, d.clauses.join('; '), d.complete ? 'complete' : `${d.gaps.length} gap${d.gaps.length === 1 ? '' : 's'}`]),
            ),
          ].join('\n'),
        );
      }),
    );

  common(docs.command('build'))
    .description('build the documents of a baseline into a folder: html/, pdf/, docx/, xlsx/ and manifest.json (SHA-256 of every file)')
    .option('--format <list>', `comma-separated formats: ${FORMATS.join(', ')}`, FORMATS.join(','))
    .option('--only <ids>', 'comma-separated document IDs (see docs list)')
    .requiredOption('--out <DIR>', 'output folder (created if missing)')
    .action(
      kit.action(async (ctx, o: DocsOptions & { format: string; only?: string; out: string }) => {
        const formats = commaList(o.format);
        const bad = formats.filter((f) => !(FORMATS as readonly string[]).includes(f));
        if (bad.length > 0 || formats.length === 0) throw invalidInput(`--format takes ${FORMATS.join(', ')} (comma-separated), not '${bad.join(',') || o.format}'`, { field: 'format' });
        const only = o.only === undefined ? undefined : commaList(o.only);
        const { buildDocumentsUseCase } = await import('../../app/use-cases/build-documents.js');
        const bar = progress(ctx.io);
        bar(0, 1, 'reading the baseline');
        const file = await ctx.run(buildDocumentsUseCase, { ...(await docsInput(ctx, o, kit.env)), ...(only === undefined ? {} : { only }) });
        const { writeTechnicalFile } = await import('../../export/documents/build-files.js');
        let manifest;
        try {
          manifest = await writeTechnicalFile(file, o.out, new Set(formats as (typeof FORMATS)[number][]), bar);
        } finally {
          bar.end();
        }
        const gaps = file.documents.reduce((n, d) => n + d.gaps.length, 0);
        ctx.print(manifest, () =>
          `wrote ${manifest.files.length} file(s) and manifest.json to ${o.out}: ${file.documents.length} document(s) of ${file.product.key} ${file.baseline.kind === 'release' ? `release ${file.baseline.label}` : 'current state'}, ${file.records.length} record page(s), ${gaps} gap(s)`,
        );
      }),
    );
}

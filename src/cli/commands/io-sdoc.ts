import { invalidInput } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import type { InterchangeOptions } from './interchange-formats.js';

/**
 * `dossier import sdoc FILE… --product KEY [--map MAP.yaml] [--dry-run]`: strictdoc `.sdoc` files (or folders of
 * them) become records and links (see `ingest/sdoc.ts` for what maps to what).
 */
export async function importSdoc(ctx: CliContext, inputs: string[], o: InterchangeOptions): Promise<number | void> {
  if (inputs.length === 0) throw invalidInput('import sdoc takes one or more .sdoc files or folders', { field: 'files' });
  const [{ readSdocInputs, readToolMap }, { readSdocFiles }, { runImport }] = await Promise.all([
    import('../../ingest/tool-files.js'),
    import('../../ingest/sdoc.js'),
    import('../import-report.js'),
  ]);
  const map = readToolMap(o.map, ctx.catalog);
  const read = readSdocFiles(readSdocInputs(inputs), { catalog: ctx.catalog, map });
  const source = inputs.length === 1 ? `strictdoc ${inputs[0] ?? ''}` : `strictdoc files ${inputs.join(', ').slice(0, 400)}`;
  return runImport(ctx, read, source, o);
}

import { invalidInput } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import type { InterchangeOptions } from './interchange-formats.js';

/**
 * `dossier import doorstop DIR --product KEY [--map MAP.yaml] [--dry-run]`: a doorstop tree's documents become
 * records and links (see `ingest/doorstop.ts` for what maps to what).
 */
export async function importDoorstop(ctx: CliContext, inputs: string[], o: InterchangeOptions): Promise<number | void> {
  const [dir, ...rest] = inputs;
  if (dir === undefined || rest.length > 0) throw invalidInput('import doorstop takes exactly one folder: the one holding the doorstop documents', { field: 'dir' });
  const [{ readDoorstopFiles, readToolMap }, { readDoorstopTree }, { runImport }] = await Promise.all([
    import('../../ingest/tool-files.js'),
    import('../../ingest/doorstop.js'),
    import('../import-report.js'),
  ]);
  const map = readToolMap(o.map, ctx.catalog);
  const read = readDoorstopTree(readDoorstopFiles(dir), { catalog: ctx.catalog, map, root: dir });
  return runImport(ctx, read, `doorstop tree ${dir}`, o);
}

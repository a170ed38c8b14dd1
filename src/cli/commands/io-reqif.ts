import { invalidInput } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import type { InterchangeOptions } from './interchange-formats.js';

/**
 * `dossier import reqif FILE [--map MAP.yaml] [--product KEY] [--dry-run]`: spec objects of mapped types become
 * records, relations links, nesting the map's hierarchy link; one transaction, or nothing when any problem is
 * found. Without `--map`, Dossier's own mapping (what `export reqif` writes) applies. A spec object whose record is
 * already in the product (same type and externalId) revises that record, so importing a newer file again updates.
 */
export async function importReqif(ctx: CliContext, inputs: string[], o: InterchangeOptions): Promise<number> {
  const [file, ...rest] = inputs;
  if (file === undefined || rest.length > 0) throw invalidInput('import reqif takes exactly one .reqif file', { field: 'file' });
  const [{ readReqif, reqifToPlan }, { readReqifMap, withDefaults }, { readTextFile }, { runImport }] = await Promise.all([
    import('../../ingest/reqif.js'),
    import('../../ingest/reqif-map.js'),
    import('../../ingest/yaml-file.js'),
    import('../import-report.js'),
  ]);
  const map = withDefaults(o.map === undefined ? undefined : readReqifMap(o.map, ctx.catalog), ctx.catalog);
  const doc = readReqif(readTextFile(file, 'ReqIF file'), file);
  // Records imported before (same type and externalId) are updated, not added again.
  const { exportRecordsUseCase } = await import('../../app/use-cases/export-records.js');
  const current = await ctx.run(exportRecordsUseCase, { productKey: await ctx.productKey(o.product) });
  const existing = new Map<string, string>();
  for (const r of current.records) if (typeof r.fields.externalId === 'string') existing.set(`${r.type} ${r.fields.externalId}`, r.key);
  const read = reqifToPlan(doc, map, ctx.catalog, existing);
  return runImport(ctx, read, `ReqIF ${file}`, o);
}

/**
 * `dossier export reqif [FILE | --out FILE] [--map MAP.yaml] [--product KEY]`: a product's records and links as
 * ReqIF 1.2, read through `record.export` in one snapshot.
 */
export async function exportReqif(ctx: CliContext, target: string | undefined, o: InterchangeOptions): Promise<void> {
  const out = o.out ?? target;
  const productKey = await ctx.productKey(o.product);
  const [{ exportRecordsUseCase }, { readReqifMap, withDefaults }, { writeReqif }] = await Promise.all([
    import('../../app/use-cases/export-records.js'),
    import('../../ingest/reqif-map.js'),
    import('../../export/reqif.js'),
  ]);
  const map = withDefaults(o.map === undefined ? undefined : readReqifMap(o.map, ctx.catalog), ctx.catalog);
  const data = await ctx.run(exportRecordsUseCase, { productKey });
  const xml = writeReqif(data, map, ctx.catalog);
  if (out === undefined) ctx.io.out(xml);
  else {
    const { writeFileAtomic } = await import('../atomic-file.js');
    writeFileAtomic(out, xml);
    ctx.io.err(`exported ${data.records.length} records and ${data.links.length} links of ${productKey} as ReqIF to ${out}\n`);
  }
}

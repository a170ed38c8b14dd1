import { z } from 'zod';
import { ProductKeySchema, type RecordHead } from '../../core/entities.js';
import { storableText } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';
import { EvidenceImportWriter } from '../../core/evidence/import-writer.js';
import { ContentHashSchema, EvidenceImportSchema } from '../../core/evidence/model.js';
import { componentIdentity, DEFAULT_MAX_SBOM_COMPONENTS, purlBase, type ParsedComponent, type ParsedSbom } from '../../core/evidence/sbom.js';
import { invalidInput } from '../../core/errors.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps, TraceRecordRow } from '../../core/ports.js';
import { prepareRecords, writeNewRecords, writeRevision, writeStatusChange } from '../../core/record-writes.js';
import { recordKey } from '../../core/entities.js';

export interface IngestSbomInput {
  readonly productKey: string;
  /** Names the SBOM across imports (default: the file name): removals are judged against the last import of it. */
  readonly source: string;
  readonly contentHash: string;
  readonly sbom: ParsedSbom;
  /** Refuse an SBOM with more components than this (default `DEFAULT_MAX_SBOM_COMPONENTS`). */
  readonly maxComponents?: number;
}

const ChangeSchema = z.object({
  record: z.string(),
  name: z.string(),
  /** Null: the SBOM gives no version. */
  version: z.string().nullable(),
});
type Change = z.infer<typeof ChangeSchema>;

/** What an SBOM import did. */
export const SbomSummarySchema = z.object({
  import: EvidenceImportSchema,
  duplicate: z.boolean(),
  format: z.string(),
  components: z.number().int(),
  added: z.array(ChangeSchema),
  changed: z.array(ChangeSchema.extend({ from: z.string().nullable() })),
  removed: z.array(ChangeSchema),
  unchanged: z.number().int(),
  /** SOUP records of components the SBOM lists without a version: to identify in the SOUP review (IEC 62304 8.1.2). */
  noVersion: z.array(z.object({ record: z.string(), name: z.string() })),
});
export type SbomSummary = z.infer<typeof SbomSummarySchema>;

/** SOUP fields an SBOM states; assessment fields are people's work and never come from a file. */
function soupFields(c: ParsedComponent): Record<string, unknown> {
  return {
    package: c.name,
    ...(c.version === null ? {} : { version: c.version }),
    direct: c.direct,
    ...(c.purl === null ? {} : { purl: c.purl }),
    ...(c.ecosystem === null ? {} : { ecosystem: c.ecosystem }),
    ...(c.supplier === null ? {} : { supplier: c.supplier.slice(0, 300) }),
    ...(c.licence === null ? {} : { licence: c.licence.slice(0, 200) }),
  };
}

/** A SOUP record's identity across versions, as `componentIdentity` gives a component's. */
function soupIdentity(r: TraceRecordRow): string {
  const purl = r.fields['purl'];
  return typeof purl === 'string' ? purlBase(purl) : `name:${String(r.fields['package'])}`;
}

/**
 * Brings the product's SOUP records (IEC 62304 8.1.2) in line with an SBOM or lockfile, in one transaction: a new
 * component becomes a draft SOUP record; a new version of a known one becomes a new revision (back to draft, its
 * anomaly-list review cleared: it was for the old version, IEC 62304 7.1.3); a component the same SBOM listed last
 * time and no longer does makes its record obsolete. The SBOM itself is kept as evidence, so the next import can say
 * what changed. The same file again changes nothing.
 * @throws AppError INVALID_INPUT when a component's fields break the SOUP schema (names it); NOT_FOUND for the product
 */
export async function ingestSbom(deps: Deps, input: IngestSbomInput): Promise<SbomSummary> {
  const max = input.maxComponents ?? DEFAULT_MAX_SBOM_COMPONENTS;
  if (input.sbom.components.length > max) {
    throw invalidInput(`${input.source}: ${input.sbom.components.length} components, more than the limit of ${max} per SBOM`, { item: input.source });
  }
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const base = { format: input.sbom.format, components: input.sbom.components.length };
    const known = await w.findEvidenceImport(product.id, 'sbom', input.contentHash);
    if (known !== undefined) return { import: known, duplicate: true, ...base, added: [], changed: [], removed: [], unchanged: 0, noVersion: [] };

    const previous = (await w.listEvidenceImports(product.id, 'sbom')).filter((i) => i.source === input.source).at(-1);
    const before = previous === undefined ? [] : await w.listEvidenceItems({ productId: product.id, importIds: [previous.id] });
    const soups = (await w.loadTraceRecords(product.id, 'SOUP')).filter((r) => r.status !== 'obsolete');
    const byIdentity = new Map<string, TraceRecordRow[]>();
    for (const s of soups) byIdentity.set(soupIdentity(s), [...(byIdentity.get(soupIdentity(s)) ?? []), s]);

    const at = deps.clock.now();
    const reason = `SBOM ${input.source}`;
    const paired = new Map<ParsedComponent, TraceRecordRow>();
    const toAdd: ParsedComponent[] = [];
    const changed: (Change & { from: string | null })[] = [];
    const versionOf = (r: TraceRecordRow): string | null => (typeof r.fields['version'] === 'string' ? r.fields['version'] : null);
    let unchanged = 0;
    // Group by identity: exact versions pair first, then the rest pair as upgrades, then new ones are added.
    const groups = new Map<string, ParsedComponent[]>();
    for (const c of input.sbom.components) groups.set(componentIdentity(c), [...(groups.get(componentIdentity(c)) ?? []), c]);
    const upgrades: [ParsedComponent, TraceRecordRow][] = [];
    for (const [id, comps] of groups) {
      const free = [...(byIdentity.get(id) ?? [])];
      const rest: ParsedComponent[] = [];
      for (const c of comps) {
        const i = free.findIndex((s) => versionOf(s) === c.version);
        if (i >= 0) {
          paired.set(c, free[i] as TraceRecordRow);
          free.splice(i, 1);
        } else rest.push(c);
      }
      for (const c of rest) {
        const s = free.shift();
        if (s === undefined) toAdd.push(c);
        else upgrades.push([c, s]);
      }
    }
    const head = async (r: TraceRecordRow): Promise<RecordHead> => {
      const h = (await w.findRecords(product.id, [{ type: r.type, number: r.number }]))[0];
      if (h === undefined) throw invalidInput(`SOUP record ${recordKey(r.type, r.number)} vanished during the import`);
      return h;
    };
    for (const [c, s] of upgrades) {
      const from = versionOf(s);
      const fields = { ...soupFields(c), anomalyReview: null, ...(c.version === null ? { version: null } : {}) };
      await writeRevision(w, deps, product, await head(s), { fields }, at, `${reason}: ${c.name} ${from ?? '(no version)'} → ${c.version ?? '(no version)'}; the anomaly list must be reviewed again for the new version`);
      changed.push({ record: recordKey(s.type, s.number), name: c.name, version: c.version, from });
      paired.set(c, s);
    }
    for (const [c, s] of paired) {
      if (upgrades.some(([u]) => u === c)) continue;
      if (s.fields['direct'] !== c.direct) {
        await writeRevision(w, deps, product, await head(s), { fields: { direct: c.direct } }, at, `${reason}: ${c.name} is now ${c.direct ? 'a direct' : 'a transitive'} dependency`);
      }
      unchanged++;
    }
    const prepared = prepareRecords(
      deps.catalog,
      toAdd.map((c) => ({ type: 'SOUP', title: c.name, body: '', fields: soupFields(c) })),
      (i) => `${input.source}: component ${toAdd[i]?.name ?? ''} ${toAdd[i]?.version ?? ''}`,
    );
    const created = await writeNewRecords(w, deps, product, prepared, at, reason);
    const added = created.map((r, i) => ({ record: r.key, name: toAdd[i]?.name ?? '', version: toAdd[i]?.version ?? null }));

    // Removed: listed by the last import of this SBOM, not listed now, and their record was not reused above.
    const now = new Set(input.sbom.components.map((c) => `${componentIdentity(c)}@${c.version ?? ''}`));
    const reused = new Set([...paired.values()].map((s) => s.id));
    const removed: Change[] = [];
    for (const item of before) {
      const version = typeof item.data['version'] === 'string' ? item.data['version'] : null;
      const identity = componentIdentity({ purl: (item.data['purl'] as string | null) ?? null, name: String(item.data['name']) });
      if (now.has(`${identity}@${version ?? ''}`)) continue;
      const s = (byIdentity.get(identity) ?? []).find((r) => versionOf(r) === version && !reused.has(r.id));
      if (s === undefined) continue;
      reused.add(s.id);
      await writeStatusChange(w, deps, product, await head(s), 'obsolete', at, `${reason}: ${String(item.data['name'])} ${version ?? '(no version)'} is no longer listed`);
      removed.push({ record: recordKey(s.type, s.number), name: String(item.data['name']), version });
    }

    const recordOf = componentRecords(input.sbom.components, paired, toAdd, created.map((r) => r.id));
    const keyOf = new Map([...paired.values()].map((s) => [s.id, recordKey(s.type, s.number)]));
    for (const r of created) keyOf.set(r.id, r.key);
    const noVersion = input.sbom.components.filter((c) => c.version === null).map((c) => ({ record: keyOf.get(recordOf.get(c) ?? -1) ?? '', name: c.name }));
    const writer = await EvidenceImportWriter.open(w, product);
    for (const c of input.sbom.components) {
      const rid = recordOf.get(c);
      await writer.add({
        kind: 'component',
        key: c.purl ?? `${c.name}@${c.version ?? ''}`,
        outcome: c.direct ? 'direct' : 'transitive',
        data: {
          name: c.name,
          version: c.version,
          purl: c.purl,
          ecosystem: c.ecosystem,
          supplier: c.supplier,
          licence: c.licence,
          direct: c.direct,
          ref: c.ref,
          ...(c.refs === undefined ? {} : { refs: [...c.refs] }),
          // BOM-Links in VEX documents name this BOM by serial number and version.
          ...(input.sbom.serialNumber === undefined || input.sbom.bomVersion === undefined ? {} : { bomSerial: input.sbom.serialNumber, bomVersion: input.sbom.bomVersion }),
        },
        refs: rid === undefined ? [] : [{ recordId: rid, role: 'component_of' }],
      });
    }
    const imp = await writer.finish(
      deps,
      at,
      {
        kind: 'sbom',
        source: input.source,
        contentHash: input.contentHash,
        meta: { format: input.sbom.format, specVersion: input.sbom.specVersion, components: input.sbom.components.length, added: added.length, changed: changed.length, removed: removed.length, noVersion: noVersion.length },
      },
      null,
    );
    return { import: imp, duplicate: false, ...base, added, changed, removed, unchanged, noVersion };
  });
}

/** The SOUP record each component ended up with. */
function componentRecords(
  components: readonly ParsedComponent[],
  paired: ReadonlyMap<ParsedComponent, TraceRecordRow>,
  added: readonly ParsedComponent[],
  addedIds: readonly number[],
): Map<ParsedComponent, number> {
  const out = new Map<ParsedComponent, number>();
  for (const c of components) {
    const p = paired.get(c);
    if (p !== undefined) out.set(c, p.id);
  }
  added.forEach((c, i) => {
    const id = addedIds[i];
    if (id !== undefined) out.set(c, id);
  });
  return out;
}

const Str = storableText();

/** One component as the SBOM reader gives it (see `ParsedComponent`). */
export const ParsedComponentSchema = z.object({
  name: Str.min(1),
  version: Str.nullable(),
  purl: Str.nullable(),
  ecosystem: Str.nullable(),
  supplier: Str.nullable(),
  licence: Str.nullable(),
  direct: z.boolean(),
  ref: Str,
  refs: z.array(Str).readonly().optional(),
});

/** An SBOM or lockfile as read (see `ParsedSbom`). */
export const ParsedSbomSchema = z.object({
  format: z.enum(['cyclonedx', 'spdx', 'npm-lockfile']),
  specVersion: Str,
  components: z.array(ParsedComponentSchema).readonly(),
  serialNumber: Str.optional(),
  bomVersion: z.number().int().optional(),
});

/** The import's input: the SBOM as read (the CLI and the API's upload both read it with `src/ingest/sbom-file`). */
export const IngestSbomInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** Names the SBOM across imports: removals are judged against the last import of it. */
  source: Str.min(1),
  contentHash: ContentHashSchema,
  sbom: ParsedSbomSchema,
  /** Refuse an SBOM with more components than this (default `DEFAULT_MAX_SBOM_COMPONENTS`). */
  maxComponents: z.number().int().positive().optional(),
});

export const ingestSbomUseCase = defineUseCase({
  name: 'evidence.sbom',
  summary: 'Create or update SOUP records from an SBOM or lockfile.',
  kind: 'write',
  what: 'SBOM',
  input: IngestSbomInputSchema,
  output: SbomSummarySchema,
  permission: 'evidence.import',
  http: { method: 'POST', path: '/api/v1/products/:productKey/evidence/sboms', status: 201 },
  run: ({ deps }, input) => ingestSbom(deps, input),
});

import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { describeZodError } from '../validation.js';
import { LINK_TYPES, type LinkTypeDef } from './link-types.js';
import { RECORD_TYPES, type RecordTypeDef } from './record-types.js';

/** The catalog of record and link types a store works with. Data, not tables: a new type needs no migration. */
export interface Catalog {
  readonly recordTypes: ReadonlyMap<string, RecordTypeDef>;
  readonly linkTypes: ReadonlyMap<string, LinkTypeDef>;
}

/**
 * Builds a catalog and checks it is consistent (every link end names a known record type).
 * @throws Error on an inconsistent catalog (a programming error, caught by tests)
 */
export function createCatalog(
  recordTypes: readonly RecordTypeDef[] = RECORD_TYPES,
  linkTypes: readonly LinkTypeDef[] = LINK_TYPES,
): Catalog {
  const rt = new Map(recordTypes.map((t) => [t.key, withExternalId(t)]));
  const lt = new Map(linkTypes.map((t) => [t.key, t]));
  if (rt.size !== recordTypes.length || lt.size !== linkTypes.length) throw new Error('duplicate type key in catalog');
  // A local field names link types it still reaches; one this catalog lacks is simply never reached.
  for (const t of recordTypes) {
    for (const f of Object.keys(t.localFields ?? {})) if (!(f in t.fields.shape)) throw new Error(`record type ${t.key} declares unknown local field ${f}`);
  }
  for (const l of linkTypes) {
    for (const k of [...l.from, ...l.to]) {
      if (!rt.has(k)) throw new Error(`link type ${l.key} names unknown record type ${k}`);
    }
    for (const [f, ts] of Object.entries(l.pairs ?? {})) {
      if (!l.from.includes(f) || ts.some((t) => !l.to.includes(t))) throw new Error(`link type ${l.key} has a pair outside its ends`);
    }
  }
  return { recordTypes: rt, linkTypes: lt };
}

/**
 * Every record type may carry the ID it had in the tool it came from (a doorstop UID, a ReqIF identifier, a row's
 * ID in a spreadsheet), so an import can be traced back and run again without duplicating records.
 */
export const ExternalIdSchema = z.string().trim().min(1).max(300).describe('the ID this record had in the tool it was imported from');

function withExternalId(t: RecordTypeDef): RecordTypeDef {
  if ('externalId' in t.fields.shape) return t;
  return { ...t, fields: t.fields.extend({ externalId: ExternalIdSchema.optional() }) };
}

/** The default catalog. */
export const DEFAULT_CATALOG: Catalog = createCatalog();

/**
 * @throws AppError INVALID_INPUT naming the unknown type and the known ones
 */
export function getRecordType(catalog: Catalog, key: string, item?: string): RecordTypeDef {
  const t = catalog.recordTypes.get(key);
  if (t === undefined) {
    throw invalidInput(
      `unknown record type '${key}'${item === undefined ? '' : ` (${item})`}; known types: ${[...catalog.recordTypes.keys()].join(', ')}`,
      { field: 'type', ...(item === undefined ? {} : { item }) },
    );
  }
  return t;
}

/**
 * @throws AppError INVALID_INPUT naming the unknown link type and the known ones
 */
export function getLinkType(catalog: Catalog, key: string): LinkTypeDef {
  const t = catalog.linkTypes.get(key);
  if (t === undefined) {
    throw invalidInput(`unknown link type '${key}'; known link types: ${[...catalog.linkTypes.keys()].join(', ')}`, {
      field: 'linkType',
    });
  }
  return t;
}

/** Link types a record type takes part in, and at which end; derived from the link catalog (one source of truth). */
export function linkTypesOf(
  catalog: Catalog,
  recordType: string,
): readonly { readonly linkType: string; readonly end: 'from' | 'to' }[] {
  const out: { linkType: string; end: 'from' | 'to' }[] = [];
  for (const l of catalog.linkTypes.values()) {
    if (l.from.includes(recordType)) out.push({ linkType: l.key, end: 'from' });
    if (l.to.includes(recordType)) out.push({ linkType: l.key, end: 'to' });
  }
  return out;
}

/**
 * Checks that a link of `linkType` may join a record of `fromType` to one of `toType`.
 * @throws AppError INVALID_INPUT naming both records and the allowed types
 */
export function assertLinkAllowed(
  catalog: Catalog,
  linkType: string,
  from: { readonly key: string; readonly type: string },
  to: { readonly key: string; readonly type: string },
): void {
  const lt = getLinkType(catalog, linkType);
  const pair = lt.pairs?.[from.type];
  if (lt.from.includes(from.type) && lt.to.includes(to.type)) {
    if (pair === undefined || pair.includes(to.type)) return;
    throw invalidInput(
      `a '${lt.key}' link cannot go from ${from.key} (${from.type}) to ${to.key} (${to.type}): from ${from.type} it goes only to ${pair.join('/')}`,
      { item: from.key, target: to.key, linkType },
    );
  }
  throw invalidInput(
    `a '${lt.key}' link cannot go from ${from.key} (${from.type}) to ${to.key} (${to.type}): ` +
      `it goes from ${lt.from.join('/')} to ${lt.to.join('/')}`,
    { item: from.key, target: to.key, linkType },
  );
}

/**
 * Validates typed fields against a record type's schema and returns them with defaults applied.
 * @throws AppError INVALID_INPUT naming the record and the field
 */
export function parseFields(type: RecordTypeDef, fields: unknown, item: string): Record<string, unknown> {
  const r = type.fields.safeParse(fields ?? {});
  if (r.success) return r.data;
  const d = describeZodError(r.error, 'fields');
  throw invalidInput(`${item} (${type.name}) has invalid fields: ${d.message}`, { item, field: d.field });
}

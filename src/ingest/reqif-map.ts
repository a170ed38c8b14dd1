import { z } from 'zod';
import type { Catalog } from '../core/catalog/catalog.js';
import { describeFields } from '../core/catalog/field-input.js';
import { parseYamlAs, readTextFile } from './yaml-file.js';

/**
 * The mapping between ReqIF types and Dossier's catalog, read from a YAML file (`--map`). One file serves both
 * directions: import reads spec objects of each listed type into records, export writes records with these names.
 *
 * ```yaml
 * types:
 *   - reqif: Software Requirement   # the SPEC-OBJECT-TYPE's LONG-NAME or IDENTIFIER
 *     type: SRS
 *     title: ReqIF.Name             # attribute (LONG-NAME or IDENTIFIER) giving the title
 *     body: ReqIF.Text              # attribute giving the body (XHTML → Markdown)
 *     fields:
 *       Priority: { field: priority, values: { High: must, Medium: should, Low: could } }
 *       Rationale: rationale
 *     set: { riskControl: false }   # fields every record of the type gets
 *     only: { attribute: Object Type, values: [Requirement] }   # skip headings kept in the same type
 * relations:
 *   - reqif: Verifies                # the SPEC-RELATION-TYPE's LONG-NAME or IDENTIFIER
 *     link: verifies
 *     reverse: false                 # true: the relation's SOURCE is the link's target
 * hierarchy:
 *   link: refines                    # a child in a SPEC-HIERARCHY gets this link to its parent
 * ```
 */

const Name = z.string().trim().min(1).max(300);

export const ReqifFieldMapSchema = z.union([
  Name,
  z.strictObject({
    /** The record field. */
    field: Name,
    /** Enumeration labels (ReqIF) → field values (Dossier); labels not listed are taken as they are. */
    values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** The attribute holds the field as JSON text (lists and objects, such as a test case's steps). */
    json: z.boolean().optional(),
  }),
]);

export const ReqifTypeMapSchema = z.strictObject({
  reqif: Name,
  type: Name,
  title: Name.optional(),
  body: Name.optional(),
  /** ReqIF attribute → field. */
  fields: z.record(z.string(), ReqifFieldMapSchema).default({}),
  /**
   * Only spec objects whose attribute has one of these values become records (DOORS keeps headings and
   * requirements in one type, told apart by an attribute); the others are skipped, their children kept.
   */
  only: z.strictObject({ attribute: Name, values: z.array(z.string()).min(1) }).optional(),
  /** Field values every record of this type gets (a required field the other tool has no attribute for). */
  set: z.record(z.string(), z.unknown()).default({}),
  /**
   * `identifier` (default): a spec object's IDENTIFIER becomes the record's `externalId`. `field`: `externalId` is an
   * attribute like any other (Dossier's own files, whose identifiers are made from record keys).
   */
  externalId: z.enum(['identifier', 'field']).default('identifier'),
});

export const ReqifRelationMapSchema = z.strictObject({ reqif: Name, link: Name, reverse: z.boolean().default(false) });

export const ReqifMapSchema = z.strictObject({
  types: z.array(ReqifTypeMapSchema).default([]),
  relations: z.array(ReqifRelationMapSchema).default([]),
  /** How nesting in a specification is kept: the child gets this link to its parent (`reverse`: parent to child). */
  hierarchy: z.strictObject({ link: Name, reverse: z.boolean().default(false) }).optional(),
});
export type ReqifMap = z.output<typeof ReqifMapSchema>;
export type ReqifTypeMap = z.output<typeof ReqifTypeMapSchema>;
export type ReqifRelationMap = z.output<typeof ReqifRelationMapSchema>;

/** One field entry, whatever way it was written. */
export interface FieldMapping {
  readonly attribute: string;
  readonly field: string;
  readonly values?: Readonly<Record<string, string | number | boolean>>;
  readonly json: boolean;
}

/** A type entry's field mappings, in file order. */
export function fieldMappings(t: ReqifTypeMap): FieldMapping[] {
  return Object.entries(t.fields).map(([attribute, f]) =>
    typeof f === 'string' ? { attribute, field: f, json: false } : { attribute, field: f.field, json: f.json ?? false, ...(f.values === undefined ? {} : { values: f.values }) },
  );
}

/**
 * A type entry's field mappings against its record type: those listed, then every other field of the type under
 * its own name (lists and objects as JSON), so a map needs to list only the attributes whose names differ. An
 * unlisted `externalId` is left out when the spec object's IDENTIFIER carries it.
 */
export function effectiveFields(t: ReqifTypeMap, catalog: Catalog): FieldMapping[] {
  const listed = fieldMappings(t);
  const rt = catalog.recordTypes.get(t.type);
  if (rt === undefined) return listed;
  const taken = new Set(listed.map((f) => f.field));
  const implied = describeFields(rt)
    .filter((f) => !taken.has(f.name) && !(f.name === 'externalId' && t.externalId === 'identifier'))
    .map((f): FieldMapping => ({ attribute: f.name, field: f.name, json: f.kind === 'list' || f.kind === 'object' }));
  return [...listed, ...implied];
}

/** The title and body attribute names Dossier writes (the names the ReqIF Implementation Guide recommends). */
export const TITLE_ATTRIBUTE = 'ReqIF.Name';
export const BODY_ATTRIBUTE = 'ReqIF.Text';

/** The identifier Dossier gives the spec object type of a record type, and the spec relation type of a link type. */
export const typeIdentifier = (recordType: string): string => `dossier-type-${recordType}`;
export const linkIdentifier = (linkType: string): string => `dossier-link-${linkType}`;

/**
 * The mapping Dossier's own files use: every record type and link type of the catalog, fields under their own
 * names (lists and objects as JSON). Used when no `--map` is given, and after a given map's entries.
 */
export function defaultReqifMap(catalog: Catalog): ReqifMap {
  const types: ReqifTypeMap[] = [...catalog.recordTypes.values()].map((t) => ({
    reqif: typeIdentifier(t.key),
    type: t.key,
    title: TITLE_ATTRIBUTE,
    body: BODY_ATTRIBUTE,
    fields: {},
    set: {},
    externalId: 'field',
  }));
  const relations: ReqifRelationMap[] = [...catalog.linkTypes.values()].map((l) => ({ reqif: linkIdentifier(l.key), link: l.key, reverse: false }));
  return { types, relations };
}

/**
 * Reads a mapping file and checks it against the catalog: known record types, fields and link types, each
 * problem at its line.
 * @throws AppError INVALID_INPUT naming file, line and column
 */
export function readReqifMap(file: string, catalog: Catalog): ReqifMap {
  const { value, fail } = parseYamlAs(readTextFile(file, 'ReqIF mapping'), file, ReqifMapSchema);
  value.types.forEach((t, i) => {
    const rt = catalog.recordTypes.get(t.type);
    if (rt === undefined) return fail(['types', i, 'type'], `unknown record type '${t.type}'; known types: ${[...catalog.recordTypes.keys()].join(', ')}`);
    const names = new Set(describeFields(rt).map((f) => f.name));
    for (const f of fieldMappings(t)) {
      if (!names.has(f.field)) fail(['types', i, 'fields', f.attribute], `record type ${t.type} has no field '${f.field}'; its fields: ${[...names].join(', ')}`);
    }
    for (const k of Object.keys(t.set)) if (!names.has(k)) fail(['types', i, 'set', k], `record type ${t.type} has no field '${k}'`);
  });
  const linkKnown = (k: string): boolean => catalog.linkTypes.has(k);
  value.relations.forEach((r, i) => {
    if (!linkKnown(r.link)) fail(['relations', i, 'link'], `unknown link type '${r.link}'; known: ${[...catalog.linkTypes.keys()].join(', ')}`);
  });
  if (value.hierarchy !== undefined && !linkKnown(value.hierarchy.link)) fail(['hierarchy', 'link'], `unknown link type '${value.hierarchy.link}'`);
  return value;
}

/** A given map followed by the default entries (a given entry wins where both match). */
export function withDefaults(map: ReqifMap | undefined, catalog: Catalog): ReqifMap {
  const d = defaultReqifMap(catalog);
  if (map === undefined) return d;
  return { types: [...map.types, ...d.types], relations: [...map.relations, ...d.relations], ...(map.hierarchy === undefined ? {} : { hierarchy: map.hierarchy }) };
}

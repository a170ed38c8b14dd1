import { z } from 'zod';
import { getRecordType, linkTypesOf, type Catalog } from '../../core/catalog/catalog.js';
import { describeFields } from '../../core/catalog/field-input.js';
import { defineUseCase } from '../use-case.js';

const FieldKindSchema = z.enum(['text', 'date', 'number', 'integer', 'boolean', 'choice', 'list', 'object']);

/** One typed field of a record type, described for people and forms. */
export const FieldInfoSchema = z.object({
  name: z.string(),
  kind: FieldKindSchema,
  required: z.boolean(),
  values: z.array(z.string()).optional(),
  itemKind: FieldKindSchema.optional(),
  default: z.unknown().optional(),
  /** An example value as text (`--set name=example`). */
  example: z.string(),
});

/** A record type as the catalog describes it. */
export const RecordTypeInfoSchema = z.object({
  key: z.string(),
  name: z.string(),
  group: z.string(),
  description: z.string(),
  /** The clauses of the standards the type serves. */
  clauses: z.array(z.string()),
  lifecycle: z.string(),
  /** The fields' JSON Schema (input side: defaults may be left out). */
  fieldsSchema: z.record(z.string(), z.unknown()),
  fields: z.array(FieldInfoSchema),
  /** The link types the record type takes part in, and at which end. */
  links: z.array(z.object({ linkType: z.string(), end: z.enum(['from', 'to']) })),
});
export type RecordTypeInfo = z.infer<typeof RecordTypeInfoSchema>;

/** A link type as the catalog describes it. */
export const LinkTypeInfoSchema = z.object({
  key: z.string(),
  label: z.string(),
  inverse: z.string(),
  from: z.array(z.string()),
  to: z.array(z.string()),
  upstream: z.enum(['from', 'to']),
  description: z.string(),
  pairs: z.record(z.string(), z.array(z.string())).optional(),
  acyclic: z.boolean().optional(),
});

export const CatalogViewSchema = z.object({
  recordTypes: z.array(RecordTypeInfoSchema),
  linkTypes: z.array(LinkTypeInfoSchema),
});
export type CatalogView = z.infer<typeof CatalogViewSchema>;

/**
 * The catalog as data a client can show: record types with their fields (JSON Schema and a description per field)
 * and the link types that join them. With `type`, only that record type and the link types it takes part in.
 * @throws AppError INVALID_INPUT for an unknown record type
 */
export function showCatalog(catalog: Catalog, input: { readonly type?: string }): CatalogView {
  const types = input.type === undefined ? [...catalog.recordTypes.values()] : [getRecordType(catalog, input.type.toUpperCase())];
  const recordTypes = types.map((t) => ({
    key: t.key,
    name: t.name,
    group: t.group,
    description: t.description,
    clauses: [...t.clauses],
    lifecycle: t.lifecycle.key,
    fieldsSchema: z.toJSONSchema(t.fields, { io: 'input' }),
    fields: describeFields(t).map(({ values, ...f }) => ({ ...f, ...(values === undefined ? {} : { values: [...values] }) })),
    links: linkTypesOf(catalog, t.key).map((l) => ({ ...l })),
  }));
  const keys = new Set(types.map((t) => t.key));
  const linkTypes = [...catalog.linkTypes.values()]
    .filter((l) => input.type === undefined || l.from.some((k) => keys.has(k)) || l.to.some((k) => keys.has(k)))
    .map(({ pairs, ...l }) => ({
      ...l,
      from: [...l.from],
      to: [...l.to],
      ...(pairs === undefined ? {} : { pairs: Object.fromEntries(Object.entries(pairs).map(([k, v]) => [k, [...v]])) }),
    }));
  return { recordTypes, linkTypes };
}

export const showCatalogUseCase = defineUseCase({
  name: 'catalog.show',
  summary: 'Show the record types with their fields and the link types that join them.',
  kind: 'read',
  what: 'catalog query',
  input: z.strictObject({ type: z.string().min(1).max(32).optional() }),
  output: CatalogViewSchema,
  permission: 'signed-in',
  http: { method: 'GET', path: '/api/v1/catalog' },
  run: ({ deps }, input) => Promise.resolve(showCatalog(deps.catalog, input)),
});

import { z } from 'zod';
import type { Block, GeneratedDocument, TechnicalFile } from './model.js';

/** zod schemas of the document model (`model.ts`), for use-case outputs and the API document. */

const LinkTargetSchema = z.union([z.strictObject({ record: z.string() }), z.strictObject({ document: z.string(), anchor: z.string().optional() }), z.strictObject({ url: z.string() })]);

export const InlineSchema = z.union([
  z.strictObject({ kind: z.literal('text'), text: z.string(), bold: z.boolean().optional(), italic: z.boolean().optional(), code: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('link'), text: z.string(), target: LinkTargetSchema }),
]);

const CellSchema = z.strictObject({ inlines: z.array(InlineSchema).readonly(), tone: z.enum(['ok', 'gap', 'warning', 'muted']).optional() });
const FieldSchema = z.strictObject({ label: z.string(), value: z.string() });

export const BlockSchema: z.ZodType<Block> = z.lazy(() =>
  z.union([
    z.strictObject({ kind: z.literal('heading'), level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]), text: z.string(), anchor: z.string() }),
    z.strictObject({ kind: z.literal('paragraph'), inlines: z.array(InlineSchema).readonly() }),
    z.strictObject({ kind: z.literal('list'), ordered: z.boolean(), items: z.array(z.array(InlineSchema).readonly()).readonly() }),
    z.strictObject({ kind: z.literal('code'), text: z.string() }),
    z.strictObject({
      kind: z.literal('table'),
      columns: z.array(z.strictObject({ title: z.string(), width: z.number().optional() })).readonly(),
      rows: z.array(z.array(CellSchema).readonly()).readonly(),
      sheet: z.string().optional(),
      caption: z.string().optional(),
    }),
    z.strictObject({
      kind: z.literal('record'),
      key: z.string(),
      type: z.string(),
      title: z.string(),
      revision: z.number().int(),
      status: z.string(),
      fields: z.array(FieldSchema).readonly(),
      body: z.array(BlockSchema).readonly(),
    }),
    z.strictObject({ kind: z.literal('gap'), text: z.string() }),
    z.strictObject({ kind: z.literal('pagebreak') }),
  ]),
);

export const SignatureManifestationSchema = z.strictObject({ printedName: z.string(), username: z.string(), at: z.string(), meaning: z.string(), signed: z.string() });
export const BaselineRefSchema = z.strictObject({ kind: z.enum(['release', 'now']), label: z.string(), hash: z.string() });
export const ProductRefSchema = z.strictObject({ key: z.string(), name: z.string(), safetyClass: z.string(), intendedUse: z.string() });

export const GeneratedDocumentSchema: z.ZodType<GeneratedDocument> = z.strictObject({
  id: z.string(),
  title: z.string(),
  clauses: z.array(z.string()).readonly(),
  product: ProductRefSchema,
  baseline: BaselineRefSchema,
  generatedAt: z.string(),
  history: z.array(z.strictObject({ revision: z.string(), date: z.string(), author: z.string(), description: z.string() })).readonly(),
  signatures: z.array(SignatureManifestationSchema).readonly(),
  blocks: z.array(BlockSchema).readonly(),
  gaps: z.array(z.string()).readonly(),
  records: z.array(z.string()).readonly(),
  contentHash: z.string(),
});

const LinkEndSchema = z.strictObject({ linkType: z.string(), key: z.string(), title: z.string(), suspect: z.boolean() });

export const RecordPageSchema = z.strictObject({
  key: z.string(),
  type: z.string(),
  typeName: z.string(),
  title: z.string(),
  status: z.string(),
  revision: z.number().int(),
  hash: z.string(),
  fields: z.array(FieldSchema).readonly(),
  body: z.array(BlockSchema).readonly(),
  upstream: z.array(LinkEndSchema).readonly(),
  downstream: z.array(LinkEndSchema).readonly(),
  signatures: z.array(SignatureManifestationSchema).readonly(),
  documents: z.array(z.strictObject({ id: z.string(), title: z.string() })).readonly().optional(),
});

export const TechnicalFileSchema: z.ZodType<TechnicalFile> = z.strictObject({
  product: ProductRefSchema,
  baseline: BaselineRefSchema,
  generatedAt: z.string(),
  documents: z.array(GeneratedDocumentSchema).readonly(),
  records: z.array(RecordPageSchema).readonly(),
});

import { z } from 'zod';
import { BaselineRefSchema, ProductRefSchema } from '../../core/documents/schema.js';
import type { Deps } from '../../core/ports.js';
import { DocumentsInputSchema, generateBaselineDocuments, type DocumentSources, type DocumentsInput } from '../services/baseline-documents.js';
import { defineUseCase } from '../use-case.js';

export const ListGeneratedDocumentsOutputSchema = z.object({
  product: ProductRefSchema,
  baseline: BaselineRefSchema,
  documents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      clauses: z.array(z.string()).readonly(),
      /** No gaps: the baseline has everything the document shows. */
      complete: z.boolean(),
      gaps: z.array(z.string()).readonly(),
    }),
  ),
});
export type ListGeneratedDocumentsOutput = z.infer<typeof ListGeneratedDocumentsOutputSchema>;

/**
 * Every document that can be generated for a baseline, with its clauses and whether it is complete (its gaps).
 * @throws AppError NOT_FOUND for the product or release
 */
export async function listGeneratedDocuments(deps: Pick<Deps, 'store' | 'catalog' | 'clock'>, sources: DocumentSources, input: DocumentsInput): Promise<ListGeneratedDocumentsOutput> {
  const { snapshot, documents } = await generateBaselineDocuments(deps, sources, input);
  return {
    product: snapshot.product,
    baseline: snapshot.baseline,
    documents: documents.map((d) => ({ id: d.id, title: d.title, clauses: d.clauses, complete: d.gaps.length === 0, gaps: d.gaps })),
  };
}

export const listGeneratedDocumentsUseCase = defineUseCase({
  name: 'docs.list',
  // Builds every document to count its gaps: the server runs it on its read pool.
  heavy: true,
  summary: 'List the documents generated from a baseline (IEC 62304, ISO 14971, design history, FDA and MDR indexes) with their gaps.',
  kind: 'read',
  what: 'documents',
  input: DocumentsInputSchema,
  output: ListGeneratedDocumentsOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/generated-documents' },
  run: async ({ deps, services }, input) => {
    // The shipped templates are read once per process, like the shipped rule packs.
    const { shippedTemplates } = await import('../../ingest/document-templates.js');
    return listGeneratedDocuments(deps, { builtinPacks: services.builtinPacks(), shippedTemplates: shippedTemplates() }, input);
  },
});

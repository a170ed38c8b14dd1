import { buildTechnicalFile } from '../../core/documents/generate.js';
import type { TechnicalFile } from '../../core/documents/model.js';
import { TechnicalFileSchema } from '../../core/documents/schema.js';
import type { Deps } from '../../core/ports.js';
import { DocumentsInputSchema, generateBaselineDocuments, type DocumentSources, type DocumentsInput } from '../services/baseline-documents.js';
import { defineUseCase } from '../use-case.js';

/**
 * The technical file of a baseline: its generated documents and one page per record (links both ways with suspect
 * marks, signatures, the documents that name it), ready for the renderers (HTML site, PDF, DOCX, XLSX).
 * @throws AppError NOT_FOUND for the product or release; INVALID_INPUT for a bad template or unknown document ID
 */
export async function buildDocuments(deps: Pick<Deps, 'store' | 'catalog' | 'clock'>, sources: DocumentSources, input: DocumentsInput): Promise<TechnicalFile> {
  const { snapshot, documents, generatedAt } = await generateBaselineDocuments(deps, sources, input);
  return buildTechnicalFile(snapshot, documents, generatedAt);
}

export const buildDocumentsUseCase = defineUseCase({
  name: 'docs.build',
  // Reads the whole baseline and renders every document: the server runs it on its read pool.
  heavy: true,
  summary: 'Build the technical file of a baseline: the generated documents and a page per record.',
  kind: 'read',
  what: 'documents',
  input: DocumentsInputSchema,
  output: TechnicalFileSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/generated-documents/build' },
  run: async ({ deps, services }, input) => {
    const { shippedTemplates } = await import('../../ingest/document-templates.js');
    return buildDocuments(deps, { builtinPacks: services.builtinPacks(), shippedTemplates: shippedTemplates() }, input);
  },
});

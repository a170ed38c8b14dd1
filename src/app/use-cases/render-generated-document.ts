import { z } from 'zod';
import type { GeneratedDocument } from '../../core/documents/model.js';
import { DocumentIdSchema } from '../../core/documents/templates.js';
import { AppError, invalidInput } from '../../core/errors.js';
import { sha256Bytes } from '../../core/hashing.js';
import type { Deps } from '../../core/ports.js';
import { DocumentsInputSchema, generateBaselineDocuments, type DocumentSources } from '../services/baseline-documents.js';
import { defineUseCase, type RenderedBody } from '../use-case.js';

/** The file formats one generated document is offered in (the HTML site is the CLI's `docs build`). */
export const DOCUMENT_FILE_FORMATS = ['pdf', 'docx', 'xlsx'] as const;

const CONTENT_TYPES: Record<(typeof DOCUMENT_FILE_FORMATS)[number], string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export const RenderGeneratedDocumentInputSchema = DocumentsInputSchema.omit({ only: true }).extend({
  /** The document's ID (`software-requirements`). */
  document: DocumentIdSchema,
  format: z.enum(DOCUMENT_FILE_FORMATS),
});
export type RenderGeneratedDocumentInput = z.output<typeof RenderGeneratedDocumentInputSchema>;

export const RenderedDocumentSchema = z.object({
  document: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  /** SHA-256 (hex) of the file's bytes. */
  sha256: z.string(),
  bytes: z.number().int(),
  /** The document model's content hash (the same for the same baseline whatever the format). */
  contentHash: z.string(),
  /** The file, base64-encoded (the HTTP API sends the bytes themselves, as a download). */
  base64: z.string(),
});
export type RenderedDocument = z.infer<typeof RenderedDocumentSchema>;

/** What renders a document to one format (the renderers, loaded when first used). */
export type DocumentRenderer = (doc: GeneratedDocument, format: RenderGeneratedDocumentInput['format']) => Promise<Uint8Array | undefined>;

/** The shipped renderers of `export/documents` (PDF, DOCX, XLSX), loaded on first use. */
export const shippedRenderer: DocumentRenderer = async (doc, format) => {
  if (format === 'pdf') return (await import('../../export/documents/pdf.js')).renderPdf(doc);
  if (format === 'docx') return (await import('../../export/documents/docx.js')).renderDocx(doc);
  return (await import('../../export/documents/xlsx.js')).renderXlsx(doc);
};

/**
 * One generated document of a baseline rendered to a file (PDF, DOCX, or XLSX for a document with sheet tables),
 * for a browser to download: what `dossier docs build` writes for that document, without the whole technical file.
 * @throws AppError NOT_FOUND for the product or release; INVALID_INPUT for an unknown document ID (field `document`)
 *   or an XLSX of a document without tables
 */
export async function renderGeneratedDocument(
  deps: Pick<Deps, 'store' | 'catalog' | 'clock'>,
  sources: DocumentSources,
  input: RenderGeneratedDocumentInput,
  render: DocumentRenderer = shippedRenderer,
): Promise<RenderedDocument> {
  const { document: id, format, ...rest } = input;
  let docs: GeneratedDocument[];
  try {
    ({ documents: docs } = await generateBaselineDocuments(deps, sources, { ...rest, only: [id] }));
  } catch (e) {
    if (e instanceof AppError && e.code === 'INVALID_INPUT' && e.details.field === 'only') throw invalidInput(e.userMessage, { field: 'document', item: id });
    throw e;
  }
  const doc = docs[0];
  if (doc === undefined) throw invalidInput(`unknown document ${id}`, { field: 'document', item: id });
  const bytes = await render(doc, format);
  if (bytes === undefined) throw invalidInput(`${doc.title} has no tables for a spreadsheet: download it as PDF or DOCX`, { field: 'format', item: id });
  const base = `${doc.product.key}-${doc.id}-${doc.baseline.kind === 'release' ? doc.baseline.label : 'current'}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return {
    document: doc.id,
    fileName: `${base}.${format}`,
    contentType: CONTENT_TYPES[format],
    sha256: sha256Bytes(bytes),
    bytes: bytes.byteLength,
    contentHash: doc.contentHash,
    base64: Buffer.from(bytes).toString('base64'),
  };
}

/** The output as the file itself. */
function asFile(output: unknown): RenderedBody {
  const o = output as RenderedDocument;
  return { contentType: o.contentType, fileName: o.fileName, body: new Uint8Array(Buffer.from(o.base64, 'base64')) };
}

export const renderGeneratedDocumentUseCase = defineUseCase({
  name: 'docs.file',
  // Reads the whole baseline and lays one document out: the server runs it on its read pool.
  heavy: true,
  summary: 'One generated document of a baseline as a PDF, DOCX or XLSX file (a download).',
  kind: 'read',
  what: 'document file',
  input: RenderGeneratedDocumentInputSchema,
  output: RenderedDocumentSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/generated-documents/:document/file', render: () => asFile },
  run: async ({ deps, services }, input) => {
    const { shippedTemplates } = await import('../../ingest/document-templates.js');
    return renderGeneratedDocument(deps, { builtinPacks: services.builtinPacks(), shippedTemplates: shippedTemplates() }, input);
  },
});

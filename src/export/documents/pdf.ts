import type { GeneratedDocument } from '../../core/documents/model.js';

/** One document as PDF: cover page, table of contents, page numbers, headers and footers. */
// eslint-disable-next-line @typescript-eslint/require-await -- a stub until its format is written
export async function renderPdf(_doc: GeneratedDocument): Promise<Uint8Array> {
  throw new Error('renderPdf is not written yet');
}

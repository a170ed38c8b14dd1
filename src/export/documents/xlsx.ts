import type { GeneratedDocument } from '../../core/documents/model.js';

/**
 * A document's sheet tables (the blocks of kind `table` that have a `sheet` name) as one XLSX workbook, with frozen
 * headers, filters and conditional colours; undefined when the document has no such table.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- a stub until its format is written
export async function renderXlsx(_doc: GeneratedDocument): Promise<Uint8Array | undefined> {
  throw new Error('renderXlsx is not written yet');
}

import type { GeneratedDocument } from '../../core/documents/model.js';

/** One document as DOCX with real Word headings and tables. */
// eslint-disable-next-line @typescript-eslint/require-await -- a stub until its format is written
export async function renderDocx(_doc: GeneratedDocument): Promise<Uint8Array> {
  throw new Error('renderDocx is not written yet');
}

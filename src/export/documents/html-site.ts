import type { TechnicalFile } from '../../core/documents/model.js';

/**
 * The static HTML site of a technical file: an index, one page per document and one per record, links both ways,
 * an offline search, print styles. Pages are handed to `emit` one by one (path relative to the site's root), so a
 * large file is never held twice in memory. Byte-identical for the same technical file.
 */
export function renderHtmlSite(_file: TechnicalFile, _emit: (path: string, content: string) => void): void {
  throw new Error('renderHtmlSite is not written yet');
}

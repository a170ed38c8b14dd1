import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AppError, invalidInput } from '../../core/errors.js';
import { sha256Bytes } from '../../core/hashing.js';
import type { TechnicalFile } from '../../core/documents/model.js';
import { renderDocx } from './docx.js';
import { renderHtmlSite } from './html-site.js';
import { renderPdf } from './pdf.js';
import { renderXlsx } from './xlsx.js';

/** The formats `dossier docs build` writes. */
export const DOCUMENT_FORMATS = ['html', 'pdf', 'docx', 'xlsx'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** One file written, as the manifest lists it. */
export interface WrittenFile {
  /** Relative to the output folder, with `/`. */
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** What `manifest.json` holds: what was built from which baseline, and every file with its SHA-256. */
export interface BuildManifest {
  readonly product: string;
  readonly baseline: TechnicalFile['baseline'];
  readonly generatedAt: string;
  readonly documents: readonly { readonly id: string; readonly title: string; readonly contentHash: string; readonly gaps: number }[];
  readonly files: readonly WrittenFile[];
}

/**
 * Writes a technical file into a folder: `html/` (the static site), `pdf/<id>.pdf`, `docx/<id>.docx`,
 * `xlsx/<id>.xlsx` (documents with sheet tables only), and `manifest.json` with every file's SHA-256. Each file is
 * written to a temporary name beside it and renamed into place, so a file is never seen half-written.
 * @param onProgress - called after each file
 * @throws AppError INVALID_INPUT naming the file that cannot be written
 */
export async function writeTechnicalFile(
  file: TechnicalFile,
  outDir: string,
  formats: ReadonlySet<DocumentFormat>,
  onProgress?: (done: number, total: number, phase: string) => void,
): Promise<BuildManifest> {
  const root = resolve(outDir);
  const written: WrittenFile[] = [];
  const total = (formats.has('html') ? 1 : 0) + file.documents.length * ['pdf', 'docx', 'xlsx'].filter((f) => formats.has(f as DocumentFormat)).length;
  let done = 0;
  const tick = (phase: string): void => onProgress?.(++done, total, phase);
  /** Writes one file under `folder` (html, pdf …); a name that would leave that folder is a renderer's bug. */
  const put = (folder: string, name: string, content: string | Uint8Array): void => {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const base = resolve(root, folder);
    const path = resolve(base, name);
    if (!path.startsWith(base + sep)) throw new AppError('INTERNAL', `a renderer asked to write outside ${folder}/: ${name}`);
    writeAtomic(path, bytes);
    written.push({ path: relative(root, path).split(sep).join('/'), sha256: sha256Bytes(bytes), bytes: bytes.byteLength });
  };

  if (formats.has('html')) {
    renderHtmlSite(file, (path, content) => put('html', path, content));
    tick('html site');
  }
  for (const doc of file.documents) {
    if (formats.has('pdf')) {
      put('pdf', `${doc.id}.pdf`, await renderPdf(doc));
      tick(`pdf ${doc.id}`);
    }
    if (formats.has('docx')) {
      put('docx', `${doc.id}.docx`, await renderDocx(doc));
      tick(`docx ${doc.id}`);
    }
    if (formats.has('xlsx')) {
      const x = await renderXlsx(doc);
      if (x !== undefined) put('xlsx', `${doc.id}.xlsx`, x);
      tick(`xlsx ${doc.id}`);
    }
  }
  const manifest: BuildManifest = {
    product: file.product.key,
    baseline: file.baseline,
    generatedAt: file.generatedAt,
    documents: file.documents.map((d) => ({ id: d.id, title: d.title, contentHash: d.contentHash, gaps: d.gaps.length })),
    files: written.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
  writeAtomic(join(root, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  return manifest;
}

/** Writes to a temporary file beside `path`, then renames it into place (folders made as needed). */
function writeAtomic(path: string, bytes: Uint8Array): void {
  const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, bytes, { flag: 'wx' });
    renameSync(temp, path);
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // Not created, or already renamed.
    }
    const code = (e as NodeJS.ErrnoException).code;
    throw invalidInput(`cannot write ${path}: ${code ?? (e as Error).message}`, { file: path });
  }
}

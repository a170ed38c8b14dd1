import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { invalidInput } from '../core/errors.js';
import { designFromPlan, DESIGN_PRODUCT, type DesignFile } from '../core/validation/design.js';
import type { FolderFile } from '../ingest/markdown-folder.js';
import { readMarkdownFolder } from '../ingest/markdown-folder.js';

/** The package's root: where `dist`, `validation` and the lockfile are (this file is `dist/validation/…`). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Dossier's own design file, shipped with the package. */
export const DESIGN_DIR = join(PACKAGE_ROOT, 'validation', 'design');

/**
 * Reads a design folder (Dossier's own, or a previous version's for a comparison) with the Markdown-folder reader.
 * @throws AppError INVALID_INPUT naming every file, line and field the reader or the record types refuse
 */
export function readDesignFolder(dir: string = DESIGN_DIR): DesignFile {
  const files: FolderFile[] = [];
  let types;
  try {
    types = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  } catch (e) {
    throw invalidInput(`cannot read the design folder ${dir}: ${(e as Error).message}`, { file: dir });
  }
  for (const t of types) {
    for (const f of readdirSync(join(dir, t.name), { withFileTypes: true })) {
      if (f.isFile() && f.name.endsWith('.md')) files.push({ path: `${t.name}/${f.name}`, bytes: readFileSync(join(dir, t.name, f.name)) });
    }
  }
  // Messages name files as a reader finds them: below the package for Dossier's own folder, else as given.
  const shown = dir === DESIGN_DIR ? relative(PACKAGE_ROOT, dir) : dir;
  const prefix = shown.endsWith('/') ? shown : `${shown}/`;
  const read = readMarkdownFolder(files, { productKey: DESIGN_PRODUCT, catalog: DEFAULT_CATALOG, prefix });
  const { design, problems } = designFromPlan(read.plan, DEFAULT_CATALOG);
  const all = [...read.problems, ...problems];
  if (all.length > 0) {
    throw invalidInput(`the design folder has ${all.length} problem(s):\n${all.map((p) => `  ${p.where}: ${p.message}`).join('\n')}`, { file: dir });
  }
  return design;
}

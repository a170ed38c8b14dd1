import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Catalog } from '../core/catalog/catalog.js';
import { invalidInput } from '../core/errors.js';
import type { TreeFile } from './doorstop.js';
import { checkToolMap, EMPTY_TOOL_MAP, ToolImportMapSchema, type ToolImportMap } from './tool-import-map.js';
import { parseYamlAs, readTextFile } from './yaml-file.js';

/**
 * The file side of the doorstop and strictdoc importers: reading a tree's files, `.sdoc` files and the map file.
 * The readers themselves (`doorstop.ts`, `sdoc.ts`) are pure.
 */

/** Folders never searched for documents. */
const SKIPPED = new Set(['node_modules', '__pycache__']);

/**
 * Every `.doorstop.yml` and `*.yml` file below `dir` (hidden folders and folders with `.doorstop.skip` left out),
 * with paths relative to `dir`.
 * @throws AppError INVALID_INPUT when `dir` is not a readable folder
 */
export function readDoorstopFiles(dir: string): TreeFile[] {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    throw invalidInput(`cannot read ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message}`, { file: dir });
  }
  if (!isDir) throw invalidInput(`${dir} is not a folder: give the folder that holds the doorstop documents`, { file: dir });
  const out: TreeFile[] = [];
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.name === '.doorstop.skip')) return;
    for (const e of entries) {
      const full = join(d, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && !SKIPPED.has(e.name)) walk(full);
      } else if (e.isFile() && e.name.endsWith('.yml')) {
        out.push({ path: relative(dir, full).split(sep).join('/'), text: readTextFile(full, 'doorstop file') });
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * `.sdoc` files: each file named, and the `.sdoc` files below each folder named.
 * @throws AppError INVALID_INPUT for a path that cannot be read, or when there is no .sdoc file
 */
export function readSdocInputs(inputs: readonly string[]): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.') && !SKIPPED.has(e.name)) walk(full);
      else if (e.isFile() && e.name.endsWith('.sdoc')) out.push({ path: full, text: readTextFile(full, 'strictdoc file') });
    }
  };
  for (const p of inputs) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (e) {
      throw invalidInput(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, { file: p });
    }
    if (isDir) walk(p);
    else out.push({ path: p, text: readTextFile(p, 'strictdoc file') });
  }
  if (out.length === 0) throw invalidInput(`no .sdoc file in ${inputs.join(', ')}`, { field: 'files' });
  return out;
}

/**
 * The map file (`--map`), checked against the catalog; the empty map without one.
 * @throws AppError INVALID_INPUT naming the file, line and column, or the map entry that names an unknown type
 */
export function readToolMap(file: string | undefined, catalog: Catalog): ToolImportMap {
  if (file === undefined) return EMPTY_TOOL_MAP;
  const { value } = parseYamlAs(readTextFile(file, 'map file'), file, ToolImportMapSchema);
  const problems = checkToolMap(value, catalog, file);
  const first = problems[0];
  if (first !== undefined) throw invalidInput(`${first.where}: ${first.message}`, { file, problems });
  return value;
}

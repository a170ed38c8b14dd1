import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidInput } from '../core/errors.js';

/** Where the shipped document templates are: `templates/documents/` at the package root (two folders up). */
const SHIPPED_DIR = fileURLToPath(new URL('../../templates/documents/', import.meta.url));

let shipped: Readonly<Record<string, string>> | undefined;

/** The shipped document templates by document ID (read once per process). */
export function shippedTemplates(): Readonly<Record<string, string>> {
  shipped ??= readTemplateFolder(SHIPPED_DIR);
  return shipped;
}

/**
 * Every `<id>.md` of a folder (not its subfolders), by document ID: a team's template overrides.
 * @throws AppError INVALID_INPUT naming the folder or file that cannot be read
 */
export function readTemplateFolder(dir: string): Record<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.md'))
      .map((e) => e.name)
      .sort();
  } catch (e) {
    throw invalidInput(`cannot read the template folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: dir });
  }
  const out: Record<string, string> = {};
  for (const name of names) {
    const file = join(dir, name);
    try {
      out[name.slice(0, -3)] = readFileSync(file, 'utf8');
    } catch (e) {
      throw invalidInput(`cannot read template ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
    }
  }
  return out;
}

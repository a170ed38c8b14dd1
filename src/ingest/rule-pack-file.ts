import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../core/catalog/catalog.js';
import { parseYamlAs, readTextFile } from './yaml-file.js';
import { checkPackAgainstCatalog, RulePackSchema, type RulePack } from '../core/rules/rule-pack.js';

/** The folder of the built-in packs (`packs/` at the package root, from both `src/ingest` and `dist/ingest`). */
export const BUILTIN_PACKS_DIR = fileURLToPath(new URL('../../packs/', import.meta.url));

/**
 * Parses and checks a rule pack written in YAML. Every problem names the file, line and column: malformed YAML,
 * a value of the wrong shape, or a record type, field or link type the catalog does not know.
 * @throws AppError INVALID_INPUT with `file`, `line`, `column`
 */
export function parseRulePack(text: string, file: string, catalog: Catalog): RulePack {
  const { value, fail } = parseYamlAs(text, file, RulePackSchema);
  const first = checkPackAgainstCatalog(value, catalog)[0];
  if (first !== undefined) fail(first.path, first.message);
  return value;
}

/**
 * Reads and parses a rule pack file.
 * @throws AppError INVALID_INPUT when it cannot be read or is not a sound pack
 */
export function readRulePackFile(file: string, catalog: Catalog): RulePack {
  return parseRulePack(readTextFile(file, 'rule pack'), file, catalog);
}

/** The built-in packs: IEC 62304 (by class), ISO 14971 and design control. */
export function loadBuiltinPacks(catalog: Catalog): RulePack[] {
  return readdirSync(BUILTIN_PACKS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readRulePackFile(`${BUILTIN_PACKS_DIR}${f}`, catalog));
}

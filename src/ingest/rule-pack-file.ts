import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CATALOG, type Catalog } from '../core/catalog/catalog.js';
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

/**
 * The built-in packs as `npm run build` parsed and checked them against the default catalog (`dist/builtin-packs.json`).
 * Found only from the built package; run from the sources, the YAML is read instead.
 */
export const COMPILED_PACKS_FILE = fileURLToPath(new URL('../builtin-packs.json', import.meta.url));

/** The compiled packs' JSON text, read once per process; null when there is none. */
let compiledPacks: string | null | undefined;

function readCompiledPacks(): string | null {
  try {
    return readFileSync(COMPILED_PACKS_FILE, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The built-in packs: IEC 62304 (by class), ISO 14971 and design control. For the default catalog they come
 * pre-validated from the build (a test keeps them equal to the YAML), which spares every command parsing and checking
 * three YAML files; each call gets its own copy.
 */
export function loadBuiltinPacks(catalog: Catalog): RulePack[] {
  if (catalog === DEFAULT_CATALOG) {
    compiledPacks ??= readCompiledPacks();
    if (compiledPacks !== null) return JSON.parse(compiledPacks) as RulePack[];
  }
  return parseBuiltinPacks(catalog);
}

/** The built-in packs read from their YAML files, parsed and checked against `catalog`. */
export function parseBuiltinPacks(catalog: Catalog): RulePack[] {
  return readdirSync(BUILTIN_PACKS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readRulePackFile(`${BUILTIN_PACKS_DIR}${f}`, catalog));
}

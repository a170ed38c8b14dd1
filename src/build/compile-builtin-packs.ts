/**
 * Build step (`npm run build`): parses and checks the built-in rule packs (`packs/*.yaml`) once, against the default
 * catalog, and writes them as JSON to `dist/builtin-packs.json`, where `loadBuiltinPacks` finds them.
 */
import { realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CATALOG } from '../core/catalog/catalog.js';
import { COMPILED_PACKS_FILE, parseBuiltinPacks } from '../ingest/rule-pack-file.js';

/** The packs' JSON text: what the build writes and what the test compares with the YAML. */
export function compileBuiltinPacks(): string {
  return JSON.stringify(parseBuiltinPacks(DEFAULT_CATALOG));
}

// Run as a program (not imported by the test): write the file.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(COMPILED_PACKS_FILE, compileBuiltinPacks());
}

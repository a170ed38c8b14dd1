import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { Catalog } from '../core/catalog/catalog.js';
import { invalidInput } from '../core/errors.js';
import { checkPackAgainstCatalog, RulePackSchema, type RulePack } from '../core/rules/rule-pack.js';

/** The folder of the built-in packs (`packs/` at the package root, from both `src/ingest` and `dist/ingest`). */
export const BUILTIN_PACKS_DIR = fileURLToPath(new URL('../../packs/', import.meta.url));

/** Line and column (1-based) of the value at `path`, or of the nearest enclosing value that exists. */
function position(doc: Document, counter: LineCounter, path: readonly (string | number)[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) return counter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

/**
 * Parses and checks a rule pack written in YAML. Every problem names the file, line and column: malformed YAML,
 * a value of the wrong shape, or a record type, field or link type the catalog does not know.
 * @throws AppError INVALID_INPUT with `file`, `line`, `column`
 */
export function parseRulePack(text: string, file: string, catalog: Catalog): RulePack {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) {
    const at = counter.linePos(yamlError.pos[0]);
    throw invalidInput(`${file}:${at.line}:${at.col}: malformed YAML: ${yamlError.message.split('\n')[0] ?? ''}`, {
      file,
      line: at.line,
      column: at.col,
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    // Aliases are resolved only here: an unknown anchor, or too many aliases (an expansion bomb).
    let offset = 0;
    visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const at = counter.linePos(offset);
    throw invalidInput(`${file}:${at.line}:${at.col}: malformed YAML: ${(e as Error).message}`, { file, line: at.line, column: at.col });
  }
  const parsed = RulePackSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol');
    const at = position(doc, counter, path);
    throw invalidInput(`${file}:${at.line}:${at.col}: ${path.join('.') || 'pack'}: ${issue?.message ?? 'invalid'}`, {
      file,
      line: at.line,
      column: at.col,
      field: path.join('.'),
    });
  }
  const problems = checkPackAgainstCatalog(parsed.data, catalog);
  const first = problems[0];
  if (first !== undefined) {
    const at = position(doc, counter, first.path);
    throw invalidInput(`${file}:${at.line}:${at.col}: ${first.path.join('.')}: ${first.message}`, {
      file,
      line: at.line,
      column: at.col,
      field: first.path.join('.'),
    });
  }
  return parsed.data;
}

/**
 * Reads and parses a rule pack file.
 * @throws AppError INVALID_INPUT when it cannot be read or is not a sound pack
 */
export function readRulePackFile(file: string, catalog: Catalog): RulePack {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalidInput(`cannot read rule pack ${file}: ${(e as Error).message}`, { file });
  }
  return parseRulePack(text, file, catalog);
}

/** The built-in packs: IEC 62304 (by class), ISO 14971 and design control. */
export function loadBuiltinPacks(catalog: Catalog): RulePack[] {
  return readdirSync(BUILTIN_PACKS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readRulePackFile(`${BUILTIN_PACKS_DIR}${f}`, catalog));
}

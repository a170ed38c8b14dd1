import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { invalidInput } from '../core/errors.js';
import { MAX_JSON_DEPTH, tooDeepPath } from './nesting.js';

/**
 * Reads a text file.
 * @param what - names the kind of file in the message, e.g. `rule pack`
 * @throws AppError INVALID_INPUT naming the file when it cannot be read
 */
export function readTextFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw invalidInput(`cannot read ${what} ${file}: ${(e as Error).message}`, { file });
  }
}

/** Line and column (1-based) of the value at `path`, or of the nearest enclosing value that exists. */
function position(doc: Document, counter: LineCounter, path: readonly (string | number)[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range !== undefined && node.range !== null) return counter.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

/** The YAML parser runs out of stack on absurdly nested input: say so in the user's words. */
function tooDeepSays(message: string): string {
  return /maximum call stack/i.test(message) ? `nested too deeply (more than the parser can follow)` : message;
}

/**
 * Parses YAML (or JSON, its subset) and checks it against a schema. Every problem names the file, line and
 * column: malformed YAML, an alias bomb, or a value of the wrong shape. `fail` lets the caller report a later
 * check (against the catalog, say) at the line of the value concerned.
 * @throws AppError INVALID_INPUT with `file`, `line`, `column`
 */
export function parseYamlAs<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): { value: z.infer<S>; fail: (path: readonly (string | number)[], message: string) => never } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const failAt = (at: { line: number; col: number }, message: string, field?: string): never => {
    throw invalidInput(`${file}:${at.line}:${at.col}: ${message}`, { file, line: at.line, column: at.col, ...(field === undefined ? {} : { field }) });
  };
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) failAt(counter.linePos(yamlError.pos[0]), `malformed YAML: ${tooDeepSays(yamlError.message.split('\n')[0] ?? '')}`);
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
    failAt(counter.linePos(offset), `malformed YAML: ${tooDeepSays((e as Error).message)}`);
  }
  // The schema check below recurses per level: refuse absurd nesting first, at the value where it goes too deep.
  const deep = tooDeepPath(data);
  if (deep !== undefined) failAt(position(doc, counter, deep), `nested more than ${MAX_JSON_DEPTH} levels deep`);
  const fail = (path: readonly (string | number)[], message: string): never =>
    failAt(position(doc, counter, path), `${path.join('.') || 'document'}: ${message}`, path.join('.'));
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail((issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol'), issue?.message ?? 'invalid');
  }
  return { value: parsed.data as z.infer<S>, fail };
}

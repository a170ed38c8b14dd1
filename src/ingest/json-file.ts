import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { z } from 'zod';
import { invalidInput } from '../core/errors.js';
import { MAX_JSON_DEPTH, tooDeepAt } from './nesting.js';

/**
 * Parses JSON text strictly, and on failure names the file, line and column (1-based) of the first error.
 * The fast native parser does the work; jsonc-parser (strict mode) only locates an error. Input nested more than
 * `MAX_JSON_DEPTH` levels is refused at the line and column where it goes too deep.
 * @throws AppError INVALID_INPUT with `file`, `line`, `column`
 */
export function parseJsonText(text: string, file: string): unknown {
  refuseTooDeep(text, file);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const errors: ParseError[] = [];
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const offset = first?.offset ?? text.length;
    const { line, column } = lineAndColumn(text, offset);
    const what = first === undefined ? (e as Error).message : describe(printParseErrorCode(first.error));
    throw invalidInput(`${file}:${line}:${column}: malformed JSON: ${what}`, { file, line, column });
  }
}

/**
 * Refuses JSON text nested deeper than `MAX_JSON_DEPTH` before anything parses it (readers of the parsed value
 * recurse, and a stack overflow is no message for a user).
 * @throws AppError INVALID_INPUT naming file, line and column where it goes too deep
 */
export function refuseTooDeep(text: string, file: string): void {
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    const { line, column } = lineAndColumn(text, deep);
    throw invalidInput(`${file}:${line}:${column}: JSON nested more than ${MAX_JSON_DEPTH} levels deep`, { file, line, column });
  }
}

function describe(code: string): string {
  // 'PropertyNameExpected' → 'property name expected'
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses JSON and checks it against a schema; a shape problem names the file, the line and column of the value,
 * and its path (`[3].user.login`).
 * @throws AppError INVALID_INPUT with `file`, `line`, `column`, `field`
 */
export function parseJsonAs<S extends z.ZodType>(text: string, file: string, schema: S): z.infer<S> {
  const data = parseJsonText(text, file);
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol');
  failAtPath(text, file, path, issue?.message ?? 'invalid');
}

/** Throws an error naming the file, the line and column of the value at `path` (or its nearest parent), and the path. */
export function failAtPath(text: string, file: string, path: readonly (string | number)[], message: string): never {
  const tree = parseTree(text);
  let offset = 0;
  for (let n = path.length; n >= 0 && tree !== undefined; n--) {
    const node = findNodeAtLocation(tree, path.slice(0, n));
    if (node !== undefined) {
      offset = node.offset;
      break;
    }
  }
  const { line, column } = lineAndColumn(text, offset);
  const field = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  throw invalidInput(`${file}:${line}:${column}: ${field === '' ? '' : `${field}: `}${message}`, { file, line, column, field });
}

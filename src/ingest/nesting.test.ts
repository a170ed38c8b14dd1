import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isAppError } from '../core/errors.js';
import { parseJsonText } from './json-file.js';
import { MAX_JSON_DEPTH, tooDeepAt, tooDeepPath } from './nesting.js';
import { parseReviewFile } from './review-file.js';
import { parseSbomFile } from './sbom-file.js';
import { parseYamlAs } from './yaml-file.js';

const DEEP = 100_000;

/** Asserts that `fn` throws INVALID_INPUT (not a RangeError) whose message starts with `start`. */
function expectAppError(fn: () => unknown, code: string, start: string): void {
  let e: unknown;
  try {
    fn();
  } catch (err) {
    e = err;
  }
  expect(isAppError(e), `expected AppError ${code}, got ${String(e)}`).toBe(true);
  if (isAppError(e)) {
    expect(e.code).toBe(code);
    expect(e.message.startsWith(start), e.message).toBe(true);
  }
}

/** Nesting depth of a parsed JSON value (arrays and objects count one level each). */
function depth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  const children: unknown[] = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depth));
}

describe('tooDeepAt', () => {
  it('finds exactly the JSON that nests deeper than the limit, brackets in strings not counted', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (text, limit) => {
        expect(tooDeepAt(text, limit) >= 0).toBe(depth(JSON.parse(text)) > limit);
      }),
    );
    expect(tooDeepAt(JSON.stringify({ a: '[[[{{{\\"[[' }), 1)).toBe(-1);
  });

  it('finds the path into a parsed value that nests too deep, without recursion', () => {
    let v: unknown = 1;
    for (let i = 0; i < DEEP; i++) v = { a: v };
    expect(tooDeepPath(v, 3)).toEqual(['a', 'a', 'a']);
    expect(tooDeepPath({ a: [1, { b: 2 }] }, 3)).toBeUndefined();
  });
});

describe('input nested 100,000 deep', () => {
  const arrays = '['.repeat(DEEP) + ']'.repeat(DEEP);
  const objects = '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP);

  it('is refused at the line and column where it goes too deep, in every JSON reader', () => {
    expectAppError(() => parseJsonText(arrays, 'deep.json'), 'INVALID_INPUT', `deep.json:1:${MAX_JSON_DEPTH + 1}: JSON nested more than ${MAX_JSON_DEPTH} levels deep`);
    // Before the check these overflowed the stack: "internal error: Maximum call stack size exceeded".
    expectAppError(() => parseReviewFile(arrays, 'reviews.json'), 'INVALID_INPUT', 'reviews.json:1:257: JSON nested');
    expectAppError(() => parseSbomFile(objects, 'bom.json'), 'INVALID_INPUT', `bom.json:1:${5 * MAX_JSON_DEPTH + 1}: JSON nested`);
  });

  it('is refused in YAML with the file and position, never a stack overflow', () => {
    const schema = z.unknown();
    expectAppError(() => parseYamlAs(arrays, 'deep.yaml', schema), 'INVALID_INPUT', 'deep.yaml:1:');
    // Deep enough to parse, too deep for the checks after: refused at the value where it goes too deep.
    const blocks = Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + `\n${' '.repeat(400)}1\n`;
    expectAppError(() => parseYamlAs(blocks, 'blocks.yaml', schema), 'INVALID_INPUT', `blocks.yaml:${MAX_JSON_DEPTH + 1}:${MAX_JSON_DEPTH + 1}: nested more than ${MAX_JSON_DEPTH} levels deep`);
  });
});

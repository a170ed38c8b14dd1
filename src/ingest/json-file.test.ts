import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { parseJsonText } from './json-file.js';

describe('parseJsonText', () => {
  it('parses valid JSON', () => {
    expect(parseJsonText('{"a":[1,2]}', 'x.json')).toEqual({ a: [1, 2] });
  });

  it('names file, line and column of malformed JSON', () => {
    const text = '{\n  "products": [],\n  "records": [ 1, 2, }\n}';
    try {
      parseJsonText(text, 'store.json');
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
      if (isAppError(e)) {
        expect(e.message).toMatch(/^store\.json:3:22: malformed JSON: value expected/);
        expect(e.details).toMatchObject({ file: 'store.json', line: 3, column: 22 });
      }
    }
  });

  it('never crashes on mutated JSON: it either parses like JSON.parse or names a position', () => {
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 3 }), (json, at, junk) => {
        const pos = at % (json.length + 1);
        const text = json.slice(0, pos) + junk + json.slice(pos);
        let native: unknown;
        let nativeOk = true;
        try {
          native = JSON.parse(text);
        } catch {
          nativeOk = false;
        }
        try {
          const parsed = parseJsonText(text, 'f.json');
          expect(nativeOk).toBe(true);
          expect(parsed).toEqual(native);
        } catch (e) {
          expect(nativeOk).toBe(false);
          expect(isAppError(e, 'INVALID_INPUT')).toBe(true);
          if (isAppError(e)) expect(e.message).toMatch(/^f\.json:\d+:\d+: malformed JSON/);
        }
      }),
      { numRuns: 500 },
    );
  });
});

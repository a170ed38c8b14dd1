/** How deep JSON input may nest: far beyond any real evidence file, well within what the parsers can walk. */
export const MAX_JSON_DEPTH = 256;

/**
 * Offset of the first `[` or `{` nested deeper than `limit` in JSON text, or -1. Input nested 100,000 deep would
 * otherwise overflow the stack of the recursive steps after parsing (schema checks, locating an error).
 * One pass over the text, strings skipped.
 */
export function tooDeepAt(text: string, limit: number = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return i;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return -1;
}

/**
 * Path to the first array or object nested deeper than `limit` in a parsed value (YAML read into JS), or
 * undefined. Walks with its own stack, so it cannot overflow however deep the value goes.
 */
export function tooDeepPath(value: unknown, limit: number = MAX_JSON_DEPTH): (string | number)[] | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const v = top.value;
    if (v === null || typeof v !== 'object') continue;
    if (top.path.length >= limit) return top.path;
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, x] of entries) if (x !== null && typeof x === 'object') stack.push({ value: x, path: [...top.path, k] });
  }
  return undefined;
}

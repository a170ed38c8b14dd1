import { z } from 'zod';
import { invalidInput } from '../errors.js';
import type { RecordTypeDef } from './record-types.js';

/** How a field's value is written on a command line or in a form. */
export type FieldKind = 'text' | 'date' | 'number' | 'integer' | 'boolean' | 'choice' | 'list' | 'object';

/** One typed field of a record type, described for people and for turning text into the declared type. */
export interface FieldInfo {
  readonly name: string;
  readonly kind: FieldKind;
  /** True when a record of the type cannot be written without it (no default). */
  readonly required: boolean;
  /** The allowed values of a choice (or of each list item when the items are choices). */
  readonly values?: readonly string[];
  /** What each item of a list is. */
  readonly itemKind?: FieldKind;
  /** The value the field takes when it is left out. */
  readonly default?: unknown;
  /** An example `--set` value. */
  readonly example: string;
}

interface JsonSchemaNode {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly format?: string;
  readonly pattern?: string;
  readonly default?: unknown;
  readonly items?: JsonSchemaNode;
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly required?: readonly string[];
}

const cache = new WeakMap<RecordTypeDef, readonly FieldInfo[]>();

function kindOf(node: JsonSchemaNode | undefined): FieldKind {
  if (node === undefined) return 'text';
  if (node.enum !== undefined) return 'choice';
  const byType: Readonly<Record<string, FieldKind>> = { integer: 'integer', number: 'number', boolean: 'boolean', array: 'list', object: 'object' };
  const t = typeof node.type === 'string' ? byType[node.type] : undefined;
  return t ?? (node.format === 'date' ? 'date' : 'text');
}

function exampleOf(kind: FieldKind, values: readonly string[] | undefined, itemKind?: FieldKind): string {
  switch (kind) {
    case 'choice':
      return values?.[0] ?? 'value';
    case 'integer':
      return '30';
    case 'number':
      return '0.5';
    case 'boolean':
      return 'true';
    case 'date':
      return '2026-06-30';
    case 'list':
      return itemKind === 'object' ? '[{…}] (JSON)' : 'one item (repeat --set for more, or a JSON array)';
    case 'object':
      return '{…} (JSON)';
    case 'text':
      return 'text';
  }
}

/**
 * The typed fields of a record type, derived from its zod schema (one source of truth), in declaration order.
 */
export function describeFields(t: RecordTypeDef): readonly FieldInfo[] {
  const hit = cache.get(t);
  if (hit !== undefined) return hit;
  const schema = z.toJSONSchema(t.fields, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode;
  const required = new Set(schema.required ?? []);
  const out = Object.entries(schema.properties ?? {}).map(([name, node]): FieldInfo => {
    const kind = kindOf(node);
    const itemKind = kind === 'list' ? kindOf(node.items) : undefined;
    const enumOf = kind === 'choice' ? node.enum : itemKind === 'choice' ? node.items?.enum : undefined;
    const values = enumOf?.map(String);
    return {
      name,
      kind,
      required: required.has(name),
      ...(values === undefined ? {} : { values }),
      ...(itemKind === undefined ? {} : { itemKind }),
      ...(node.default === undefined ? {} : { default: node.default }),
      example: exampleOf(kind, values, itemKind),
    };
  });
  cache.set(t, out);
  return out;
}

/** Edit distance, for "did you mean …?" (small strings only). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest name to a mistyped one, when one is close enough to be a likely typo. */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * Finds a field of a record type by name.
 * @throws AppError INVALID_INPUT naming the unknown field, a likely intended one and the valid ones
 */
export function getField(t: RecordTypeDef, name: string, flag = '--set'): FieldInfo {
  const fields = describeFields(t);
  const f = fields.find((x) => x.name === name);
  if (f !== undefined) return f;
  const names = fields.map((x) => x.name);
  const guess = closestName(name, names);
  throw invalidInput(
    `${flag} ${name}: ${t.key} records have no field '${name}'${guess === undefined ? '' : ` (did you mean ${guess}?)`}; ` +
      (names.length === 0 ? `${t.key} records have no typed fields` : `its fields are ${names.join(', ')}`),
    { field: `fields.${name}` },
  );
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function parseJson(flag: string, name: string, raw: string, what: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw invalidInput(`${flag} ${name}=…: ${name} takes ${what} written as JSON, and this is not valid JSON`, { field: `fields.${name}` });
  }
}

/** One text value as the declared kind (a list item uses its item kind). */
function scalar(flag: string, name: string, kind: FieldKind, raw: string, values?: readonly string[]): unknown {
  switch (kind) {
    case 'integer':
    case 'number': {
      const s = raw.trim();
      if (!NUMBER.test(s) || (kind === 'integer' && !Number.isInteger(Number(s)))) {
        throw invalidInput(`${flag} ${name}=${raw}: ${name} is a ${kind === 'integer' ? 'whole number' : 'number'}`, { field: `fields.${name}` });
      }
      return Number(s);
    }
    case 'boolean':
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw invalidInput(`${flag} ${name}=${raw}: ${name} is true or false`, { field: `fields.${name}` });
    case 'choice':
      if (values !== undefined && !values.includes(raw)) {
        const guess = closestName(raw, values);
        throw invalidInput(
          `${flag} ${name}=${raw}: ${name} is one of ${values.join(', ')}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`,
          { field: `fields.${name}` },
        );
      }
      return raw;
    case 'object':
    case 'list':
      return parseJson(flag, name, raw, kind === 'object' ? 'an object' : 'a list');
    case 'text':
    case 'date':
      return raw;
  }
}

/**
 * Turns `--set key=value` pairs into fields of the declared types: numbers, booleans, choices and lists parse as
 * such; a text field keeps its value as written (`[TBD] …` and `true` stay text). A list field takes one item per
 * `--set` (repeat it) or a whole JSON array. The record type's schema still checks the result when it is written.
 * @param unset - fields to remove (an edit's merge patch sets them to null)
 * @throws AppError INVALID_INPUT naming the pair: malformed, unknown field (with a suggestion), wrong type
 */
export function fieldsFromText(
  t: RecordTypeDef,
  pairs: readonly string[],
  unset: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw invalidInput(`--set expects key=value, got '${pair}'`, { field: 'set' });
    const name = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1);
    const f = getField(t, name);
    if (f.kind !== 'list') {
      if (name in out) throw invalidInput(`--set ${name} is given twice; ${name} takes one value`, { field: `fields.${name}` });
      out[name] = scalar('--set', name, f.kind, raw, f.values);
      continue;
    }
    const items = (out[name] ?? []) as unknown[];
    const whole = raw.trimStart().startsWith('[') && (f.itemKind !== 'text' || isJsonArray(raw));
    if (whole) items.push(...(parseJson('--set', name, raw, 'a list') as unknown[]));
    else items.push(scalar('--set', name, f.itemKind ?? 'text', raw, f.values));
    out[name] = items;
  }
  for (const name of unset) {
    getField(t, name, '--unset');
    if (name in out) throw invalidInput(`${name} is both set and unset`, { field: `fields.${name}` });
    out[name] = null;
  }
  return out;
}

function isJsonArray(raw: string): boolean {
  try {
    return Array.isArray(JSON.parse(raw));
  } catch {
    return false;
  }
}

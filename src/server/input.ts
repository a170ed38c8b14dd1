import { z } from 'zod';
import { invalidInput } from '../core/errors.js';
import type { AnyUseCase, HttpBinding } from '../app/use-case.js';

/** A JSON Schema node, as far as coercion looks at it. */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly items?: SchemaNode;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
}

/** The JSON Schema of a use-case's input (as a caller writes it), computed once per use-case. */
const inputSchemas = new WeakMap<AnyUseCase, SchemaNode>();

/** A use-case's input as JSON Schema 2020-12 (what the caller sends, before defaults and transforms). */
export function inputJsonSchema(uc: AnyUseCase): Record<string, unknown> {
  return z.toJSONSchema(uc.input, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
}

function schemaOf(uc: AnyUseCase): SchemaNode {
  let s = inputSchemas.get(uc);
  if (s === undefined) {
    try {
      s = inputJsonSchema(uc);
    } catch {
      // A schema JSON Schema cannot express: no coercion, the values reach the schema as text.
      s = {};
    }
    inputSchemas.set(uc, s);
  }
  return s;
}

function typesOf(node: SchemaNode | undefined): Set<string> {
  const out = new Set<string>();
  if (node === undefined) return out;
  if (typeof node.type === 'string') out.add(node.type);
  else if (Array.isArray(node.type)) for (const t of node.type as readonly string[]) out.add(t);
  for (const alt of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) for (const t of typesOf(alt)) out.add(t);
  return out;
}

/**
 * True when the node takes free text (a string without a fixed set of values): then `12` stays the text "12".
 * A number-or-`all` field (`limit`) has only a fixed string, so `12` becomes a number there.
 */
function takesFreeText(node: SchemaNode | undefined): boolean {
  if (node === undefined) return false;
  const own = node.type === 'string' || (Array.isArray(node.type) && (node.type as readonly string[]).includes('string'));
  if (own && node.const === undefined && node.enum === undefined) return true;
  return [...(node.anyOf ?? []), ...(node.oneOf ?? [])].some(takesFreeText);
}

function itemsOf(node: SchemaNode | undefined): SchemaNode | undefined {
  if (node === undefined) return undefined;
  if (node.items !== undefined) return node.items;
  for (const alt of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) if (alt.items !== undefined) return alt.items;
  return undefined;
}

/**
 * One query-string or path value turned into what the input schema expects: a number for a number field, a
 * boolean for `true`/`false`, an array for an array field (a repeated key, or one value). Anything that does not
 * fit is left as text, so the schema refuses it with a message naming the field.
 */
function coerce(value: unknown, node: SchemaNode | undefined): unknown {
  const types = typesOf(node);
  if (types.has('array')) {
    const items = itemsOf(node);
    return (Array.isArray(value) ? value : [value]).map((v) => coerce(v, items));
  }
  if (typeof value !== 'string') return value;
  const text = takesFreeText(node);
  if ((types.has('integer') || types.has('number')) && !text && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (types.has('boolean') && !text && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function coerceAll(uc: AnyUseCase, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const props = schemaOf(uc).properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[k] = coerce(v, props[k]);
  return out;
}

/** What a request carried, as the server hands it over. */
export interface RequestParts {
  readonly params: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
  /** The `If-Match` header, when sent. */
  readonly ifMatch: string | undefined;
}

/**
 * A use-case's raw input from a request: path parameters fill the fields of the same name; a GET takes the rest
 * from the query string (coerced by the input schema), other methods from the JSON body (an object); `If-Match:
 * "N"` fills the binding's `ifMatch` field. `execute` parses the result, so nothing here decides what is valid.
 * @throws AppError INVALID_INPUT when the body is not a JSON object or If-Match is not a revision number
 */
export function assembleInput(uc: AnyUseCase, binding: HttpBinding, req: RequestParts): Record<string, unknown> {
  let rest: Record<string, unknown>;
  if (binding.method === 'GET') {
    rest = coerceAll(uc, req.query);
  } else if (req.body === undefined || req.body === null) {
    rest = {};
  } else if (typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw invalidInput(`invalid ${uc.what}: the request body must be a JSON object`, { field: 'body' });
  } else {
    rest = { ...(req.body as Record<string, unknown>) };
  }
  // Path parameters win over the body: the permission is checked on the product the URL names.
  const input = { ...rest, ...coerceAll(uc, req.params) };
  if (binding.ifMatch !== undefined && req.ifMatch !== undefined) {
    const m = /^(?:W\/)?"(\d{1,9})"$/.exec(req.ifMatch.trim());
    if (m?.[1] === undefined) {
      throw invalidInput(`If-Match must name one revision as an entity tag, e.g. If-Match: "3", not '${req.ifMatch.slice(0, 40)}'`, {
        field: 'If-Match',
      });
    }
    input[binding.ifMatch] = Number(m[1]);
  }
  return input;
}

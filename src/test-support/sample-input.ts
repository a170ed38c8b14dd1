import { z } from 'zod';
import type { AnyUseCase } from '../app/use-case.js';

/** A JSON Schema node, as far as sample generation looks at it. */
interface Node {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly Node[];
  readonly oneOf?: readonly Node[];
  readonly properties?: Readonly<Record<string, Node>>;
  readonly required?: readonly string[];
  readonly items?: Node;
  readonly minItems?: number;
  readonly minimum?: number;
  readonly exclusiveMinimum?: number;
  readonly minLength?: number;
  readonly format?: string;
}

/**
 * Values for input fields by name, for the fixtures the server tests set up (product RPM with SRS-1 and TC-1):
 * what a generator cannot guess from a type alone.
 */
export const FIELD_SAMPLES: Readonly<Record<string, unknown>> = {
  productKey: 'RPM',
  key: 'NEWP',
  record: 'SRS-1',
  from: 'SRS-1',
  to: 'TC-1',
  type: 'SRS',
  title: 'A sample title',
  name: 'A sample name',
  reason: 'for the permission matrix',
  intendedUse: 'Sample intended use.',
  safetyClass: 'B',
  username: 'sample',
  password: 'a sample password 123',
  version: '1.0.0',
  currentPassword: 'a sample password 123',
  newPassword: 'another sample password 456',
  source: 'sample.json',
  contentHash: '0'.repeat(64),
  cases: [],
  reviews: [],
  advisories: [],
};

/**
 * A minimal input a use-case's schema accepts: required fields only, filled from {@link FIELD_SAMPLES} by name,
 * else the first enum value, the minimum number, a short text. Undefined when the result does not parse (the
 * caller then needs a hand-written sample).
 */
export function sampleInput(uc: AnyUseCase): unknown {
  const schema = z.toJSONSchema(uc.input, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Node;
  const value = sample(schema, '');
  return (uc.input as z.ZodType).safeParse(value).success ? value : undefined;
}

function sample(node: Node, name: string): unknown {
  // A field's own values come first: `to` is a record ID in a link but a status in a status change.
  if (node.const !== undefined) return node.const;
  if (node.enum !== undefined && node.enum.length > 0) return node.enum.includes(FIELD_SAMPLES[name]) ? FIELD_SAMPLES[name] : node.enum[0];
  if (name in FIELD_SAMPLES) return FIELD_SAMPLES[name];
  const alt = node.anyOf?.[0] ?? node.oneOf?.[0];
  if (alt !== undefined) return sample(alt, name);
  const type = Array.isArray(node.type) ? (node.type as readonly string[])[0] : (node.type as string | undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of node.required ?? []) out[k] = sample(node.properties?.[k] ?? {}, k);
      return out;
    }
    case 'array':
      return Array.from({ length: node.minItems ?? 0 }, () => sample(node.items ?? {}, ''));
    case 'integer':
    case 'number':
      return Math.max(1, node.minimum ?? 1, (node.exclusiveMinimum ?? 0) + 1);
    case 'boolean':
      return false;
    case 'string':
      if (node.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (node.format === 'date') return '2026-01-01';
      return 'x'.repeat(Math.max(1, node.minLength ?? 1));
    case undefined:
    default:
      return {};
  }
}

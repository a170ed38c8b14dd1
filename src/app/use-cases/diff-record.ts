import { diffLines } from 'diff';
import { z } from 'zod';
import { canonicalJson } from '../../core/hashing.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct, getRecord, getRevision } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { defineUseCase } from '../use-case.js';

/** One changed part of a record between two revisions. */
export type RecordChange =
  | { readonly part: 'title'; readonly from: string; readonly to: string }
  | { readonly part: 'field'; readonly field: string; readonly from: unknown; readonly to: unknown }
  | {
      readonly part: 'body';
      /** Line hunks: `+` added, `-` removed, ` ` unchanged. */
      readonly lines: readonly { readonly op: '+' | '-' | ' '; readonly text: string }[];
    };

/** The differences between two revisions of a record. */
export interface RecordDiff {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  readonly changes: readonly RecordChange[];
}

/**
 * Compares two revisions of a record: title, each typed field, and the body line by line.
 * Defaults: from the previous revision to the latest.
 * @throws AppError NOT_FOUND for an unknown product, record or revision
 */
export async function diffRecord(
  deps: Pick<Deps, 'store'>,
  input: { readonly productKey: string; readonly record: string; readonly from?: number; readonly to?: number },
): Promise<RecordDiff> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const head = await getRecord(r, product, input.record);
    const toN = input.to ?? head.latestRevision;
    const fromN = input.from ?? Math.max(1, toN - 1);
    const a = await getRevision(r, product, head, fromN);
    const b = await getRevision(r, product, head, toN);
    const changes: RecordChange[] = [];
    if (a.title !== b.title) changes.push({ part: 'title', from: a.title, to: b.title });
    const names = [...new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])].sort();
    for (const f of names) {
      const x = a.fields[f];
      const y = b.fields[f];
      if (canonicalJson(x ?? null) !== canonicalJson(y ?? null)) changes.push({ part: 'field', field: f, from: x, to: y });
    }
    if (a.body !== b.body) {
      const lines: { op: '+' | '-' | ' '; text: string }[] = [];
      for (const part of diffLines(a.body, b.body)) {
        const op = part.added ? '+' : part.removed ? '-' : ' ';
        for (const text of part.value.replace(/\n$/, '').split('\n')) lines.push({ op, text });
      }
      changes.push({ part: 'body', lines });
    }
    return { key: recordKey(head.type, head.number), from: fromN, to: toN, changes };
  });
}

/** One changed part, as the API serves it (a field's value is absent where the field was not set). */
export const RecordChangeSchema = z.discriminatedUnion('part', [
  z.object({ part: z.literal('title'), from: z.string(), to: z.string() }),
  z.object({ part: z.literal('field'), field: z.string(), from: z.unknown(), to: z.unknown() }),
  z.object({
    part: z.literal('body'),
    lines: z.array(z.object({ op: z.enum(['+', '-', ' ']), text: z.string() })),
  }),
]);

export const RecordDiffSchema = z.object({
  key: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  changes: z.array(RecordChangeSchema),
});

export const diffRecordUseCase = defineUseCase({
  name: 'record.diff',
  summary: 'Show what changed between two revisions of a record.',
  kind: 'read',
  what: 'record diff query',
  input: z.strictObject({
    productKey: ProductKeySchema,
    record: z.string().min(1),
    /** The older revision (default: the one before `to`). */
    from: z.number().int().positive().optional(),
    /** The newer revision (default: the latest). */
    to: z.number().int().positive().optional(),
  }),
  output: RecordDiffSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/records/:record/diff' },
  run: async ({ deps }, input) => {
    const d = await diffRecord(deps, input);
    return { ...d, changes: d.changes.map((c) => (c.part === 'body' ? { ...c, lines: [...c.lines] } : c)) };
  },
});

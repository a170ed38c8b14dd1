import { z } from 'zod';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { PROCESS_KIND_NAMES, PROCESS_KINDS, processRows, type ProcessRecord } from '../../core/qms/process-list.js';
import { processOf } from '../../core/qms/processes.js';
import { invalidInput } from '../../core/errors.js';
import { defineUseCase } from '../use-case.js';

/** A yes/no from a query string or JSON: `true`, `false` (a plain boolean too). */
const Flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);

export const ListProcessRecordsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  kind: z.enum(PROCESS_KIND_NAMES),
  /** Only records in this state, as the list shows it (`investigation`, `closed`, `cancelled`). */
  state: z.string().trim().min(1).max(60).optional(),
  /** Only overdue records. */
  overdue: Flag.optional(),
  /** The day the list is as of (default: today, UTC). */
  asOf: z.iso.date().optional(),
});

export const ProcessRowSchema = z.strictObject({
  key: z.string(),
  title: z.string(),
  state: z.string(),
  owner: z.string().nullable(),
  due: z.string().nullable(),
  overdue: z.boolean(),
  ageDays: z.number().int().nullable(),
});

export const ProcessListSchema = z.strictObject({
  product: z.string(),
  kind: z.string(),
  asOf: z.string(),
  /** The process's states, in order (what a record moves through with `qms.advance`). */
  states: z.array(z.string()),
  /** Every state a row may show: the process's, then the one its closing signature gives, then `cancelled`. */
  listStates: z.array(z.string()),
  /** The moves `qms.advance` allows, as [from, to]. */
  moves: z.array(z.tuple([z.string(), z.string()])),
  records: z.array(ProcessRowSchema),
});
export type ProcessList = z.output<typeof ProcessListSchema>;

/**
 * A process's records with where each stands, its owner, due day, whether it is overdue and its age in days.
 * @throws AppError NOT_FOUND for the product; INVALID_INPUT for a state the process does not have
 */
export async function listProcessRecords(deps: Pick<Deps, 'store' | 'clock'>, input: z.output<typeof ListProcessRecordsInputSchema>): Promise<ProcessList> {
  const type = PROCESS_KINDS[input.kind];
  const def = processOf(type);
  const shown = [...(def?.states ?? []), def?.approval.label ?? 'closed', 'cancelled'];
  if (input.state !== undefined && !shown.includes(input.state)) {
    throw invalidInput(`--state ${input.state} is not a state of a ${def?.name ?? input.kind}: one of ${shown.join(', ')}`, { field: 'state' });
  }
  const asOf = input.asOf ?? deps.clock.now().slice(0, 10);
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const [heads, contents] = await Promise.all([r.listRecords({ productId: product.id, type }), r.loadTraceRecords(product.id, type)]);
    const createdAt = new Map(heads.map((h) => [h.id, h.createdAt]));
    const records: ProcessRecord[] = contents.map((c) => ({
      key: recordKey(c.type, c.number),
      title: c.title,
      status: c.status,
      createdAt: createdAt.get(c.id) ?? c.revisedAt,
      fields: c.fields,
    }));
    return {
      product: product.key,
      kind: input.kind,
      asOf,
      states: [...(def?.states ?? [])],
      listStates: [...new Set(shown)],
      moves: (def?.moves ?? []).map(([from, to]) => [from, to] as [string, string]),
      records: processRows(type, records, asOf, { state: input.state, overdue: input.overdue }),
    };
  });
}

/** `qms.list`: the records of one quality process. */
export const listProcessRecordsUseCase = defineUseCase({
  name: 'qms.list',
  summary: 'List the records of a quality process (CAPA, complaints, nonconformance, audits, findings, reviews, suppliers, changes).',
  kind: 'read',
  what: 'process list',
  input: ListProcessRecordsInputSchema,
  output: ProcessListSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/qms/processes/:kind' },
  run: ({ deps }, input) => listProcessRecords(deps, input),
});

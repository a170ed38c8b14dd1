import { z } from 'zod';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { invalidInput } from '../../core/errors.js';
import { ProductKeySchema, recordKey, RecordSummarySchema, type Product, type RecordHead } from '../../core/entities.js';
import { checkBaseRevision, getProduct, getRecord, getRevision } from '../../core/lookups.js';
import type { Deps, StoreWriter } from '../../core/ports.js';
import { processOf, processState, stateOf } from '../../core/qms/processes.js';
import { prepareRecords, writeNewLinks, writeNewRecords, writeRevision } from '../../core/record-writes.js';
import { parseInput, ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

export const AdvanceProcessInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** A process record: `CAPA-3`, `CMP-2`, `NC-1`, `CR-4` … */
  record: z.string().trim().min(1).max(100),
  /** The state it moves to (or stays in, with new fields). */
  state: z.string().trim().min(1).max(60),
  /** The revision the move was decided on; a newer one means someone else changed the record (CONFLICT). */
  baseRevision: z.number().int().positive(),
  /** Fields written with the move (a merge patch: null removes a field). */
  fields: z.record(z.string(), z.unknown()).optional(),
  reason: ReasonSchema.optional(),
});
export type AdvanceProcessInput = z.input<typeof AdvanceProcessInputSchema>;

export const AdvanceProcessOutputSchema = z.strictObject({
  record: RecordSummarySchema,
  /** The state before and after the move. */
  from: z.string(),
  to: z.string(),
  /** Where the process stands now, as people say it (`investigation`, `closed`). */
  processState: z.string(),
  /** Records written with the move (a complaint's post-production information record), as `PPI-4`. */
  created: z.array(z.string()),
});
export type AdvanceProcessOutput = z.output<typeof AdvanceProcessOutputSchema>;

/**
 * Moves a process record (CAPA, complaint, nonconformance, audit, finding, review, supplier, change request) to a
 * state by writing a new revision with the state and the given fields, through the generic record edit, so the QMS
 * hooks check the move and what the new state needs. A complaint that enters investigation gets, in the same
 * transaction, a post-production information record it `feeds` (ISO 14971 10, ISO 13485 8.2.1), unless it feeds one.
 * @throws AppError INVALID_INPUT when the record is not a process record, the state is not one of its states, or the
 *   state needs fields it lacks (named)
 * @throws AppError INVALID_STATE when the process cannot move there (the allowed moves named)
 * @throws AppError CONFLICT when `baseRevision` is older than the latest
 */
export async function advanceProcess(deps: Deps, input: AdvanceProcessInput): Promise<AdvanceProcessOutput> {
  const i = parseInput(AdvanceProcessInputSchema, input, 'process move');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const head = await getRecord(w, product, i.record);
    const key = recordKey(head.type, head.number);
    const item = `${product.key}/${key}`;
    const def = processOf(head.type);
    if (def === undefined) {
      throw invalidInput(`${item} is not a process record: qms advance moves CAPA, CMP, NC, AUD, AF, MREV, SUP and CR records`, { item, field: 'record' });
    }
    if (!def.states.includes(i.state)) {
      throw invalidInput(`${i.state} is not a state of a ${def.name}: its states are ${def.states.join(', ')}`, { item, field: 'state' });
    }
    checkBaseRevision(item, head, i.baseRevision, 'the move is based on');
    const before = await getRevision(w, product, head, head.latestRevision);
    const from = stateOf(def, before.fields);
    const record = await writeRevision(w, deps, product, head, { fields: { ...i.fields, state: i.state } }, deps.clock.now(), i.reason ?? null);
    const created: string[] = [];
    if (head.type === RECORD_TYPE.CMP && i.state === 'investigation' && from !== 'investigation') {
      const ppi = await feedPostProduction(w, deps, product, record, i.reason ?? null);
      if (ppi !== undefined) created.push(ppi);
    }
    const after = await getRevision(w, product, record, record.latestRevision);
    return { record, from, to: i.state, processState: processState(def, after.fields, record.status), created };
  });
}

/** A complaint under investigation is post-production information: a PPI record it feeds, unless one exists. */
async function feedPostProduction(
  w: StoreWriter,
  deps: Pick<Deps, 'actor' | 'catalog' | 'clock'>,
  product: Product,
  complaint: RecordHead & { readonly title: string },
  reason: string | null,
): Promise<string | undefined> {
  const links = await w.listActiveLinkEnds([complaint.id]);
  if (links.some((l) => l.type === 'feeds')) return undefined;
  const rev = await getRevision(w, product, complaint, complaint.latestRevision);
  const key = recordKey(complaint.type, complaint.number);
  const receivedOn = rev.fields['receivedOn'];
  const [prepared] = prepareRecords(
    deps.catalog,
    [
      {
        type: RECORD_TYPE.PPI,
        title: `Complaint ${key}: ${complaint.title}`.slice(0, 200),
        body: `Post-production information from complaint ${key}, under investigation.`,
        fields: { kind: 'complaint', ...(typeof receivedOn === 'string' ? { receivedOn } : {}), source: `complaint ${key}` },
      },
    ],
    () => `the post-production information record of ${key}`,
  );
  if (prepared === undefined) return undefined;
  const at = deps.clock.now();
  const [ppi] = await writeNewRecords(w, deps, product, [prepared], at, reason);
  if (ppi === undefined) return undefined;
  await writeNewLinks(w, deps, product, [{ type: 'feeds', from: complaint, to: ppi }], at, reason);
  return ppi.key;
}

/** `qms.advance`: move a process record to a state. */
export const advanceProcessUseCase = defineUseCase({
  name: 'qms.advance',
  summary: 'Move a CAPA, complaint, nonconformance, audit, finding, review, supplier or change request to a state.',
  kind: 'write',
  what: 'process move',
  input: AdvanceProcessInputSchema,
  output: AdvanceProcessOutputSchema,
  permission: 'record.edit',
  http: { method: 'POST', path: '/api/v1/products/:productKey/qms/records/:record/advance', ifMatch: 'baseRevision' },
  run: ({ deps }, input) => advanceProcess(deps, input),
});

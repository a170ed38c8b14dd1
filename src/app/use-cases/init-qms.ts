import { z } from 'zod';
import { assertLinkAllowed, getLinkType } from '../../core/catalog/catalog.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { invalidState } from '../../core/errors.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { DOCUMENT_KINDS } from '../../core/qms/fields.js';
import { STARTER_NUMBERS, starterRecords } from '../../core/qms/starter/index.js';
import { prepareRecords, writeNewLinks, writeNewRecords } from '../../core/record-writes.js';
import { parseInput, ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

export const InitQmsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** A username set as the owner of every starter document (who keeps it current). */
  owner: z.string().trim().min(1).max(100).optional(),
  reason: ReasonSchema.optional(),
});
export type InitQmsInput = z.input<typeof InitQmsInputSchema>;

export const InitQmsOutputSchema = z.strictObject({
  productKey: z.string(),
  /** The documents written, as drafts: the quality manual, the SOPs, the forms. */
  documents: z.array(z.strictObject({ key: z.string(), number: z.string(), title: z.string(), docType: z.enum(DOCUMENT_KINDS) })),
  /** The job roles written, each with how many documents it requires training on. */
  roles: z.array(z.strictObject({ key: z.string(), title: z.string(), trainedOn: z.number().int() })),
  /** `requires_training` links written (the training matrix). */
  links: z.number().int(),
});
export type InitQmsOutput = z.output<typeof InitQmsOutputSchema>;

const REQUIRES_TRAINING = 'requires_training';
type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * Writes the starter quality system into a product, in one transaction: the quality manual, the SOPs and the forms
 * as draft documents (version 1.0), the job roles, and the training matrix as `requires_training` links from each
 * role to its documents. Each record and link gets its own audit event. Nothing is approved or made effective: the
 * team reviews, edits and signs each document first.
 * @throws AppError INVALID_STATE when the product already has a document with a starter number (nothing written)
 * @throws AppError NOT_FOUND when the product does not exist
 */
export async function initQms(deps: Deps, input: InitQmsInput): Promise<InitQmsOutput> {
  const { productKey, owner, reason } = parseInput(InitQmsInputSchema, input, 'qms init');
  const { records, trainings } = starterRecords(owner);
  const prepared = prepareRecords(deps.catalog, records, (i) => `starter ${records[i]?.type ?? ''} ${records[i]?.title ?? ''}`);
  getLinkType(deps.catalog, REQUIRES_TRAINING);

  return deps.store.write(async (w) => {
    const product = await getProduct(w, productKey);
    const starter = new Set(STARTER_NUMBERS);
    const clash = (await w.loadTraceRecords(product.id, 'DOC'))
      .map((d) => ({ key: recordKey(d.type, d.number), number: d.fields['number'] }))
      .filter((d): d is { key: string; number: string } => typeof d.number === 'string' && starter.has(d.number));
    const first = clash[0];
    if (first !== undefined) {
      throw invalidState(
        `the starter QMS is already in ${product.key}: ${first.number} is ${first.key}` +
          (clash.length > 1 ? ` (and ${clash.length - 1} more starter numbers are taken)` : '') +
          '; nothing was written',
        { item: first.key, field: 'number' },
      );
    }
    const at = deps.clock.now();
    const written = await writeNewRecords(w, deps, product, prepared, at, reason ?? null);
    const ends = trainings.map((t) => {
      const from = written[t.from];
      const to = written[t.to];
      if (from === undefined || to === undefined) throw invalidState(`starter training link ${t.from} → ${t.to} names no record`);
      assertLinkAllowed(deps.catalog, REQUIRES_TRAINING, { key: from.key, type: from.type }, { key: to.key, type: to.type });
      return { type: REQUIRES_TRAINING, from, to };
    });
    await writeNewLinks(w, deps, product, ends, at, reason ?? null);

    return {
      productKey: product.key,
      documents: written.flatMap((r, i) => {
        const fields = prepared[i]?.fields ?? {};
        return r.type === 'DOC'
          ? [{ key: r.key, number: String(fields['number']), title: r.title, docType: fields['docType'] as DocumentKind }]
          : [];
      }),
      roles: written
        .filter((r) => r.type === 'JOB')
        .map((r) => ({ key: r.key, title: r.title, trainedOn: ends.filter((e) => e.from.id === r.id).length })),
      links: ends.length,
    };
  });
}

export const initQmsUseCase = defineUseCase({
  name: 'qms.init',
  summary:
    'Write the starter quality system into a product: quality manual, SOPs, forms and job roles as drafts, with the training matrix.',
  kind: 'write',
  what: 'qms init',
  input: InitQmsInputSchema,
  output: InitQmsOutputSchema,
  permission: 'record.create',
  http: { method: 'POST', path: '/api/v1/products/:productKey/qms/init', status: 201 },
  run: ({ deps }, input) => initQms(deps, input),
});

import { z } from 'zod';
import { assertLinkAllowed, getLinkType } from '../../core/catalog/catalog.js';
import { conflict, invalidInput, invalidState, notFound } from '../../core/errors.js';
import { LinkViewSchema, parseRecordRef, ProductKeySchema, recordKey, type LinkView, type RecordHead } from '../../core/entities.js';
import { assertNoCycles } from '../../core/link-cycles.js';
import { writeNewLinks } from '../../core/record-writes.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput, ReasonSchema } from '../../core/validation.js';
import { defineUseCase } from '../use-case.js';

/** A new link, read "<from> <type> <to>": `{ from: 'TC-4', type: 'verifies', to: 'SRS-12' }`. */
export const NewLinkSchema = z.strictObject({
  from: z.string().min(1),
  type: z.string().min(1),
  to: z.string().min(1),
});
export type NewLink = z.infer<typeof NewLinkSchema>;

export const AddLinksInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  links: z.array(NewLinkSchema).min(1),
  reason: ReasonSchema.optional(),
});
export type AddLinksInput = z.input<typeof AddLinksInputSchema>;

/**
 * Adds typed links in one transaction. Each link records the current revision of both ends (the suspect-link
 * engine compares against them) and gets a LINK_CREATED audit event. All or nothing.
 * @throws AppError INVALID_INPUT when a link breaks the catalog's rules (names both records and the allowed types) or
 *   closes a cycle of an acyclic link type
 * @throws AppError NOT_FOUND when an end does not exist; INVALID_STATE when an end is obsolete
 * @throws AppError CONFLICT when the same link already exists
 */
export async function addLinks(deps: Deps, input: AddLinksInput): Promise<LinkView[]> {
  const { productKey, links, reason } = parseInput(AddLinksInputSchema, input, 'links');
  const parsed = links.map((l, i) => {
    const where = links.length === 1 ? '' : ` (links[${i}])`;
    getLinkType(deps.catalog, l.type);
    const from = parseRecordRef(l.from);
    const to = parseRecordRef(l.to);
    for (const [ref, text] of [[from, l.from], [to, l.to]] as const) {
      if (ref.productKey !== undefined && ref.productKey !== productKey) {
        throw invalidInput(`${text}${where} belongs to product ${ref.productKey}; links stay within ${productKey}`, {
          item: text,
        });
      }
    }
    if (from.type === to.type && from.number === to.number) {
      throw invalidInput(`a record cannot link to itself: ${l.from} ${l.type} ${l.to}${where}`, { item: l.from });
    }
    return { type: l.type, from, to, where };
  });

  return deps.store.write(async (w) => {
    const product = await getProduct(w, productKey);
    const found = await w.findRecords(product.id, parsed.flatMap((p) => [p.from, p.to]));
    const byKey = new Map<string, RecordHead>(found.map((r) => [recordKey(r.type, r.number), r]));
    const resolve = (ref: { type: string; number: number }, where: string): RecordHead => {
      const key = recordKey(ref.type, ref.number);
      const rec = byKey.get(key);
      if (rec === undefined) throw notFound(`record ${product.key}/${key} does not exist${where}`, { item: key });
      if (rec.status === 'obsolete') throw invalidState(`${product.key}/${key} is obsolete and cannot be linked${where}`, { item: key });
      return rec;
    };
    const ends = parsed.map((p) => {
      const from = resolve(p.from, p.where);
      const to = resolve(p.to, p.where);
      assertLinkAllowed(
        deps.catalog,
        p.type,
        { key: recordKey(from.type, from.number), type: from.type },
        { key: recordKey(to.type, to.number), type: to.type },
      );
      return { type: p.type, from, to, where: p.where };
    });

    const existing = new Set(
      (await w.listActiveLinkEnds(ends.map((e) => e.from.id))).map((l) => `${l.type}:${l.fromId}:${l.toId}`),
    );
    for (const e of ends) {
      const sig = `${e.type}:${e.from.id}:${e.to.id}`;
      if (existing.has(sig)) {
        throw conflict(`${recordKey(e.from.type, e.from.number)} ${e.type} ${recordKey(e.to.type, e.to.number)} already exists${e.where}`, {
          item: recordKey(e.from.type, e.from.number),
        });
      }
      existing.add(sig);
    }
    await assertNoCycles(w, deps.catalog, product, ends);
    return writeNewLinks(w, deps, product, ends, deps.clock.now(), reason ?? null);
  });
}

export const addLinksUseCase = defineUseCase({
  name: 'link.add-many',
  summary: 'Add several typed links in one transaction.',
  kind: 'write',
  what: 'links',
  input: AddLinksInputSchema,
  output: z.array(LinkViewSchema),
  permission: 'link.create',
  http: { method: 'POST', path: '/api/v1/products/:productKey/links/batch', status: 201 },
  run: ({ deps }, input) => addLinks(deps, input),
});

import { z } from 'zod';
import { appendAudit } from '../audit-trail.js';
import type { AuditDraft } from '../audit.js';
import { assertLinkAllowed, getLinkType } from '../catalog/catalog.js';
import { conflict, invalidInput, invalidState, notFound } from '../errors.js';
import { parseRecordRef, ProductKeySchema, recordKey, type Link, type LinkView, type RecordHead } from '../entities.js';
import { getProduct } from '../lookups.js';
import type { Deps } from '../ports.js';
import { parseInput, storableText } from '../validation.js';

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
  reason: storableText().trim().min(1).max(2000).optional(),
});
export type AddLinksInput = z.input<typeof AddLinksInputSchema>;

/** `RPM/link/42`: a link's ID in the audit trail. */
export function linkEntityId(productKey: string, id: number): string {
  return `${productKey}/link/${id}`;
}

/**
 * Adds typed links in one transaction. Each link records the current revision of both ends (the suspect-link
 * engine compares against them) and gets a LINK_CREATED audit event. All or nothing.
 * @throws AppError INVALID_INPUT when a link breaks the catalog's rules (names both records and the allowed types)
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
    let nextId = (await w.nextIds()).link;
    const at = deps.clock.now();
    const rows: Link[] = [];
    const out: LinkView[] = [];
    const drafts: AuditDraft[] = [];
    for (const e of ends) {
      const fromKey = recordKey(e.from.type, e.from.number);
      const toKey = recordKey(e.to.type, e.to.number);
      const sig = `${e.type}:${e.from.id}:${e.to.id}`;
      if (existing.has(sig)) throw conflict(`${fromKey} ${e.type} ${toKey} already exists${e.where}`, { item: fromKey });
      existing.add(sig);
      const link: Link = {
        id: nextId++,
        productId: product.id,
        type: e.type,
        fromId: e.from.id,
        toId: e.to.id,
        fromRevision: e.from.latestRevision,
        toRevision: e.to.latestRevision,
        createdAt: at,
        createdBy: deps.actor.id,
        confirmedAt: null,
        confirmedBy: null,
        removedAt: null,
        removedBy: null,
        removalReason: null,
      };
      rows.push(link);
      out.push({ ...link, fromKey, fromType: e.from.type, toKey, toType: e.to.type });
      drafts.push({
        action: 'LINK_CREATED',
        entityType: 'link',
        entityId: linkEntityId(product.key, link.id),
        productKey: product.key,
        newValue: { type: e.type, from: fromKey, fromRevision: link.fromRevision, to: toKey, toRevision: link.toRevision },
        reason: reason ?? null,
      });
    }
    await w.insertLinks(rows);
    await appendAudit(w, deps, at, drafts);
    return out;
  });
}

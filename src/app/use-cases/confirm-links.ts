import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidInput, notFound } from '../../core/errors.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { findSuspectLinks, type SuspectLink } from '../../core/trace/suspect-links.js';
import { parseInput, storableText } from '../../core/validation.js';
import { linkEntityId } from '../../core/record-writes.js';
import { SuspectLinkSchema } from '../../core/trace/trace-schemas.js';
import { buildGraph } from '../services/trace-graph.js';
import { defineUseCase } from '../use-case.js';

export const ConfirmLinksInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** Suspect links to confirm, by link ID. */
  linkIds: z.array(z.number().int().positive()).optional(),
  /** Confirm every suspect link that has this record at either end. */
  record: z.string().min(1).optional(),
  /** Confirm every suspect link of the product. */
  all: z.boolean().optional(),
  /** What the reviewer checked; required (who and why are the point of a confirmation). */
  reason: storableText().trim().min(1, 'say what you reviewed').max(2000),
});
export type ConfirmLinksInput = z.input<typeof ConfirmLinksInputSchema>;

/**
 * Confirms suspect links after review: each link is re-pinned to the current revisions of both ends and stamped
 * with who and when, with a LINK_CONFIRMED audit event carrying the reason. Links that are not suspect are refused
 * by name, so a confirmation always means a review happened.
 * @throws AppError INVALID_INPUT when nothing is selected or a named link is not suspect; NOT_FOUND for unknown IDs
 */
export async function confirmLinks(deps: Deps, input: ConfirmLinksInput): Promise<SuspectLink[]> {
  const i = parseInput(ConfirmLinksInputSchema, input, 'confirmation');
  const chosen = [i.linkIds !== undefined, i.record !== undefined, i.all === true].filter(Boolean).length;
  if (chosen !== 1) throw invalidInput('name the links to confirm: link IDs, a record, or all', { field: 'linkIds' });
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const graph = await buildGraph(deps, w, product);
    const suspects = findSuspectLinks(graph);
    let selected: SuspectLink[];
    if (i.linkIds !== undefined) {
      const byId = new Map(suspects.map((s) => [s.linkId, s]));
      selected = i.linkIds.map((id) => {
        const s = byId.get(id);
        if (s !== undefined) return s;
        if (graph.edgeOfLink(id) === undefined) throw notFound(`link ${id} does not exist in ${product.key} (or was removed)`, { item: String(id) });
        throw invalidInput(`link ${id} is not suspect; there is nothing to confirm`, { item: String(id) });
      });
    } else if (i.record !== undefined) {
      const rec = await getRecord(w, product, i.record);
      const key = recordKey(rec.type, rec.number);
      selected = suspects.filter((s) => s.from === key || s.to === key);
      if (selected.length === 0) throw invalidInput(`${product.key}/${key} has no suspect links`, { item: key });
    } else {
      selected = suspects;
    }
    if (selected.length === 0) return [];

    const at = deps.clock.now();
    const changes = selected.map((s) => {
      const e = graph.edgeOfLink(s.linkId) ?? 0;
      const before = graph.edgeRevisions(e);
      const after = {
        from: graph.revision(graph.edgeFrom[e] ?? 0),
        to: graph.revision(graph.edgeTo(e)),
      };
      return { s, before, after };
    });
    for (const { s, after } of changes) await w.confirmLink(s.linkId, after.from, after.to, at, deps.actor.id);
    await appendAudit(
      w,
      deps,
      at,
      changes.map(({ s, before, after }) => ({
        action: 'LINK_CONFIRMED' as const,
        entityType: 'link' as const,
        entityId: linkEntityId(product.key, s.linkId),
        productKey: product.key,
        oldValue: { fromRevision: before.from, toRevision: before.to, suspect: s.reason, cause: s.cause },
        newValue: { fromRevision: after.from, toRevision: after.to, suspect: false },
        reason: i.reason,
      })),
    );
    return selected;
  });
}

/** `link.confirm`: confirm suspect links after review; who and why go into the audit trail. */
export const confirmLinksUseCase = defineUseCase({
  name: 'link.confirm',
  summary: 'Confirm suspect links after review.',
  kind: 'write',
  what: 'confirmation',
  input: ConfirmLinksInputSchema,
  output: z.array(SuspectLinkSchema),
  permission: 'link.confirm',
  http: { method: 'POST', path: '/api/v1/products/:productKey/links/confirm' },
  run: ({ deps }, input) => confirmLinks(deps, input),
});

import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidState, notFound } from '../../core/errors.js';
import { LinkViewSchema, ProductKeySchema, type LinkView } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput, storableText } from '../../core/validation.js';
import { linkEntityId } from '../../core/record-writes.js';
import { defineUseCase } from '../use-case.js';

export const RemoveLinkInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  linkId: z.number().int().positive(),
  reason: storableText().trim().min(1, 'removing a link needs a reason').max(2000),
});

/**
 * Removes a link: it is marked removed with who, when and why, and stays in the store as history.
 * @throws AppError NOT_FOUND for an unknown link; INVALID_STATE when it was removed already
 */
export async function removeLink(deps: Deps, input: z.input<typeof RemoveLinkInputSchema>): Promise<LinkView> {
  const i = parseInput(RemoveLinkInputSchema, input, 'link removal');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const link = await w.findLink(product.id, i.linkId);
    if (link === undefined) throw notFound(`link ${i.linkId} does not exist in ${product.key}`, { item: String(i.linkId) });
    if (link.removedAt !== null) {
      throw invalidState(`link ${i.linkId} (${link.fromKey} ${link.type} ${link.toKey}) was removed already`, {
        item: String(i.linkId),
      });
    }
    const at = deps.clock.now();
    await w.markLinkRemoved(link.id, at, deps.actor.id, i.reason);
    await appendAudit(w, deps, at, [
      {
        action: 'LINK_REMOVED',
        entityType: 'link',
        entityId: linkEntityId(product.key, link.id),
        productKey: product.key,
        oldValue: { type: link.type, from: link.fromKey, to: link.toKey, removed: false },
        newValue: { removed: true },
        reason: i.reason,
      },
    ]);
    return { ...link, removedAt: at, removedBy: deps.actor.id, removalReason: i.reason };
  });
}

export const removeLinkUseCase = defineUseCase({
  name: 'link.remove',
  summary: 'Remove a link (it is kept as history, marked removed).',
  kind: 'write',
  what: 'link removal',
  input: RemoveLinkInputSchema,
  output: LinkViewSchema,
  permission: 'link.remove',
  // The link is marked removed, never deleted; the reason comes in the body.
  http: { method: 'DELETE', path: '/api/v1/products/:productKey/links/:linkId' },
  run: ({ deps }, input) => removeLink(deps, input),
});

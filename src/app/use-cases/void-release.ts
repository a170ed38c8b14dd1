import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidState } from '../../core/errors.js';
import { ProductKeySchema } from '../../core/entities.js';
import { ReleaseSchema, type Release } from '../../core/evidence/model.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput, storableText } from '../../core/validation.js';
import { getRelease } from '../services/release-baseline.js';
import { defineUseCase } from '../use-case.js';
import { ReleaseVersionSchema } from './create-release.js';

export const VoidReleaseInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  version: ReleaseVersionSchema,
  /** Why the baseline was a mistake: an auditor reads it beside the release. */
  reason: storableText().trim().min(10, 'say in a sentence why the release is void (at least 10 characters)').max(2000),
});
export type VoidReleaseInput = z.input<typeof VoidReleaseInputSchema>;

/**
 * Voids the newest baseline of a version that was frozen or released by mistake: it is kept with who, when and
 * why, no longer counts, and the version may be frozen again. Nothing is deleted; RELEASE_VOIDED records it.
 * @throws AppError INVALID_STATE when it is already void; NOT_FOUND for the product or release
 */
export async function voidRelease(deps: Deps, input: VoidReleaseInput): Promise<Release> {
  const i = parseInput(VoidReleaseInputSchema, input, 'release void');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const release = await getRelease(w, product, i.version);
    const item = `${product.key} ${release.version}`;
    if (release.status === 'void') throw invalidState(`release ${item} baseline ${release.baseline} is already void`, { item });
    const at = deps.clock.now();
    await w.voidRelease(release.id, at, deps.actor.id, i.reason);
    await appendAudit(w, deps, at, [
      {
        action: 'RELEASE_VOIDED',
        entityType: 'release',
        entityId: `${product.key}/release/${release.version}`,
        productKey: product.key,
        oldValue: { status: release.status, baseline: release.baseline },
        newValue: { status: 'void', baseline: release.baseline, baselineHash: release.baselineHash },
        reason: i.reason,
      },
    ]);
    return { ...release, status: 'void', voidedAt: at, voidedBy: deps.actor.id, voidReason: i.reason };
  });
}

export const voidReleaseUseCase = defineUseCase({
  name: 'release.void',
  summary: 'Void the newest baseline of a version frozen or released by mistake.',
  kind: 'write',
  what: 'release void',
  input: VoidReleaseInputSchema,
  output: ReleaseSchema,
  permission: 'release.void',
  http: { method: 'POST', path: '/api/v1/products/:productKey/releases/:version/void' },
  run: ({ deps }, input) => voidRelease(deps, input),
});

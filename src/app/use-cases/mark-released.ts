import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidState } from '../../core/errors.js';
import { ProductKeySchema } from '../../core/entities.js';
import { ReleaseSchema, type Release } from '../../core/evidence/model.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import type { RulePack } from '../../core/rules/rule-pack.js';
import { parseInput, ReasonSchema } from '../../core/validation.js';
import { getRelease } from '../services/release-baseline.js';
import { evaluateRelease } from '../services/release-gate.js';
import { defineUseCase } from '../use-case.js';
import { ReleaseVersionSchema } from './create-release.js';

export const MarkReleasedInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  version: ReleaseVersionSchema,
  reason: ReasonSchema.optional(),
});

/**
 * Marks a release's newest baseline released, only if its gate passes at that moment (checked in the same
 * transaction, so nothing can slip in between). The electronic signature for it comes with the server.
 * @throws AppError INVALID_STATE when the gate fails (with the count) or it is already released; NOT_FOUND
 */
export async function markReleased(deps: Deps, input: z.input<typeof MarkReleasedInputSchema> & { readonly builtinPacks: readonly RulePack[] }): Promise<Release> {
  const { builtinPacks, ...rest } = input;
  const i = parseInput(MarkReleasedInputSchema, rest, 'release');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const release = await getRelease(w, product, i.version);
    const item = `${product.key} ${release.version}`;
    if (release.status === 'released') throw invalidState(`release ${item} was already released on ${release.releasedAt ?? '?'}`, { item });
    if (release.status === 'void') {
      throw invalidState(`release ${item} baseline ${release.baseline} is void (${release.voidReason ?? ''}); freeze a new baseline with dossier release create`, { item });
    }
    const check = await evaluateRelease(deps, w, product, release, builtinPacks, { unreferencedCommits: 'warning', failOn: 'error' });
    if (!check.passed) {
      const errors = check.findings.filter((f) => f.severity === 'error').length;
      throw invalidState(`release ${item} cannot be marked released: its gate has ${errors} error finding${errors === 1 ? '' : 's'} (see dossier release check ${release.version})`, { item });
    }
    const at = deps.clock.now();
    await w.markReleased(release.id, at, deps.actor.id);
    await appendAudit(w, deps, at, [
      {
        action: 'RELEASE_RELEASED',
        entityType: 'release',
        entityId: `${product.key}/release/${release.version}`,
        productKey: product.key,
        oldValue: { status: release.status, baseline: release.baseline },
        newValue: { status: 'released', baseline: release.baseline, baselineHash: release.baselineHash, findings: check.findings.length },
        reason: i.reason ?? null,
      },
    ]);
    return { ...release, status: 'released', releasedAt: at, releasedBy: deps.actor.id };
  });
}

export const markReleasedUseCase = defineUseCase({
  name: 'release.mark',
  summary: 'Mark the newest baseline of a version released, only if its gate passes.',
  kind: 'write',
  what: 'release',
  input: MarkReleasedInputSchema,
  output: ReleaseSchema,
  permission: 'release.mark',
  http: { method: 'POST', path: '/api/v1/products/:productKey/releases/:version/released' },
  // The gate runs with the shipped rule packs of the process, never with packs the caller sends.
  run: ({ deps, services }, input) => markReleased(deps, { ...input, builtinPacks: services.builtinPacks() }),
});

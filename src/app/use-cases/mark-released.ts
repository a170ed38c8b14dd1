import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidState } from '../../core/errors.js';
import { ProductKeySchema } from '../../core/entities.js';
import { ReleaseSchema, type Release } from '../../core/evidence/model.js';
import { getProduct } from '../../core/lookups.js';
import { releaseEntityKey } from '../../core/signatures/model.js';
import { checkSigning, describeSteps } from '../../core/signatures/workflow.js';
import { ReasonSchema } from '../../core/validation.js';
import { getRelease } from '../services/release-baseline.js';
import { evaluateRelease } from '../services/release-gate.js';
import { checkSignable, releaseItem, releaseSigningState, writeReleaseSignature } from '../services/release-signing.js';
import { asSigner, SignCredentialsShape, credentialsOf, withSigner } from '../services/signing.js';
import { defineUseCase, type UseCaseContext } from '../use-case.js';
import { ReleaseVersionSchema } from './create-release.js';

export const MarkReleasedInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  version: ReleaseVersionSchema,
  /** The baseline the signer checked (default: the newest); another than the newest is refused (412). */
  baseline: z.number().int().positive().optional(),
  reason: ReasonSchema.optional(),
  ...SignCredentialsShape,
});
export type MarkReleasedInput = z.input<typeof MarkReleasedInputSchema>;

/**
 * Marks a release's newest baseline released: the release workflow's last step, an electronic signature (by default
 * `released`, by an approver). In one transaction: the gate must pass at that moment, every earlier step of the
 * release workflow must be signed on this very baseline, then the final signature (its manifest anchoring the gate's
 * result and the audit head) and RELEASE_RELEASED are written (21 CFR 11.50, 11.70; IEC 62304 5.8).
 * @throws AppError INVALID_STATE when the gate fails (with the count), an earlier signature is missing (named), or it
 *   is already released or void; PRECONDITION_FAILED for a baseline other than the newest; FORBIDDEN for a signer
 *   without the step's role; UNAUTHENTICATED for wrong credentials; NOT_FOUND
 */
export async function markReleased(ctx: UseCaseContext, input: z.output<typeof MarkReleasedInputSchema>): Promise<Release> {
  return withSigner(
    ctx,
    credentialsOf(input),
    { action: 'release.mark', productKey: input.productKey, items: [releaseEntityKey(input.productKey, input.version)], meaning: null },
    async (w, signer, at) => {
      const deps = asSigner(ctx.deps, signer);
      const product = await getProduct(w, input.productKey);
      const release = await getRelease(w, product, input.version);
      checkSignable(product, release, input.baseline);
      const item = releaseItem(product, release);
      const check = await evaluateRelease(deps, w, product, release, ctx.services.builtinPacks(), { unreferencedCommits: 'warning', failOn: 'error' });
      if (!check.passed) {
        const errors = check.findings.filter((f) => f.severity === 'error').length;
        throw invalidState(
          `release ${product.key} ${release.version} cannot be marked released: its gate has ${errors} error finding${errors === 1 ? '' : 's'} (see dossier release check ${release.version})`,
          { item },
        );
      }
      const { workflow, signatures } = await releaseSigningState(w, product, release);
      const last = workflow.steps.length - 1;
      const missing = workflow.steps.findIndex((_, k) => k < last && !signatures.some((s) => s.step === k));
      if (missing !== -1) {
        // 21 CFR 11.10(f): the workflow's order is enforced; releasing needs every earlier signature on this baseline.
        throw invalidState(
          `${item} cannot be marked released yet: it first needs the signature${last - missing === 1 ? '' : 's'} ${describeSteps({ ...workflow, steps: workflow.steps.slice(0, last) }, missing)} on baseline ${release.baseline} ` +
            `(dossier release sign ${product.key} ${release.version} --meaning ${workflow.steps[missing]?.meaning ?? ''})`,
          { item },
        );
      }
      const meaning = workflow.steps[last]?.meaning ?? 'released';
      const step = checkSigning(workflow, { item, productKey: product.key, author: null, signatures }, { userId: signer.user.id, username: signer.user.username, grants: signer.grants }, meaning);
      const signature = await writeReleaseSignature(w, deps, { product, release, signer, meaning, step, check, at, reason: input.reason ?? null });
      await w.markReleased(release.id, at, deps.actor.id);
      await appendAudit(w, deps, at, [
        {
          action: 'RELEASE_RELEASED',
          entityType: 'release',
          entityId: releaseEntityKey(product.key, release.version),
          productKey: product.key,
          oldValue: { status: release.status, baseline: release.baseline },
          newValue: { status: 'released', baseline: release.baseline, baselineHash: release.baselineHash, findings: check.findings.length, signature: signature.id },
          reason: input.reason ?? null,
        },
      ]);
      return { ...release, status: 'released', releasedAt: at, releasedBy: deps.actor.id };
    },
  );
}

export const markReleasedUseCase = defineUseCase({
  name: 'release.mark',
  summary: "Mark the newest baseline of a version released with the release workflow's last signature, only if its gate passes and the earlier signatures are given.",
  kind: 'write',
  what: 'release',
  input: MarkReleasedInputSchema,
  output: ReleaseSchema,
  permission: 'release.mark',
  http: { method: 'POST', path: '/api/v1/products/:productKey/releases/:version/released' },
  // The gate runs with the shipped rule packs of the process, never with packs the caller sends.
  run: (ctx, input) => markReleased(ctx, input),
});

import { z } from 'zod';
import { invalidState } from '../../core/errors.js';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import { releaseEntityKey, WorkflowMeaningSchema, SignatureViewSchema, toSignatureView } from '../../core/signatures/model.js';
import { checkSigning, describeSteps } from '../../core/signatures/workflow.js';
import { ReasonSchema } from '../../core/validation.js';
import { getRelease } from '../services/release-baseline.js';
import { evaluateRelease } from '../services/release-gate.js';
import { checkSignable, releaseItem, releaseSigningState, writeReleaseSignature } from '../services/release-signing.js';
import { asSigner, SignCredentialsShape, credentialsOf, withSigner } from '../services/signing.js';
import { defineUseCase } from '../use-case.js';
import { ReleaseVersionSchema } from './create-release.js';

export const SignReleaseInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  version: ReleaseVersionSchema,
  /** The baseline the signer checked: signing is refused (412) when a newer one was frozen since. */
  baseline: z.number().int().positive(),
  meaning: WorkflowMeaningSchema,
  reason: ReasonSchema.optional(),
  ...SignCredentialsShape,
});
export type SignReleaseInput = z.input<typeof SignReleaseInputSchema>;

/**
 * Signs a release's newest baseline electronically with a meaning its release workflow asks for before the last
 * step (by default: approved, by quality). The signature covers the release record: product, version, baseline and
 * its hash, the meaning, the release gate's result at that moment and the audit trail's head, read in the same
 * transaction (21 CFR 11.50, 11.70). The last step is given by marking the release released (`release.mark`).
 * @throws AppError PRECONDITION_FAILED when the baseline named is not the newest; INVALID_STATE for a released or
 *   void release, a signature out of order or already given, or the last step; FORBIDDEN for a signer without the
 *   step's role; UNAUTHENTICATED for wrong credentials
 */
export const signReleaseUseCase = defineUseCase({
  name: 'release.sign',
  summary: 'Sign a release baseline electronically (re-entering your password), as the release workflow asks.',
  kind: 'write',
  what: 'release signature',
  input: SignReleaseInputSchema,
  output: SignatureViewSchema,
  permission: 'signature.sign',
  http: { method: 'POST', path: '/api/v1/products/:productKey/releases/:version/signatures' },
  run: (ctx, input) => {
    return withSigner(
      ctx,
      credentialsOf(input),
      { action: 'release.sign', productKey: input.productKey, items: [releaseEntityKey(input.productKey, input.version)], meaning: input.meaning },
      async (w, signer, at) => {
        const deps = asSigner(ctx.deps, signer);
        const product = await getProduct(w, input.productKey);
        const release = await getRelease(w, product, input.version);
        checkSignable(product, release, input.baseline);
        const { workflow, signatures } = await releaseSigningState(w, product, release);
        const item = releaseItem(product, release);
        const step = checkSigning(
          workflow,
          { item, productKey: product.key, author: null, signatures },
          { userId: signer.user.id, username: signer.user.username, grants: signer.grants },
          input.meaning,
        );
        const last = workflow.steps.length - 1;
        if (step === last) {
          throw invalidState(
            `${item}: its last step (${describeSteps(workflow, last)}) is signed by marking it released: dossier release mark-released ${release.version} --product ${product.key}`,
            { item },
          );
        }
        const check = await evaluateRelease(deps, w, product, release, ctx.services.builtinPacks(), { unreferencedCommits: 'warning', failOn: 'error' });
        const row = await writeReleaseSignature(w, deps, { product, release, signer, meaning: input.meaning, step, check, at, reason: input.reason ?? null });
        return toSignatureView(row, release.baseline);
      },
    );
  },
});

import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { ReleaseSchema } from '../../core/evidence/model.js';
import { getProduct } from '../../core/lookups.js';
import { SignatureViewSchema, toSignatureView } from '../../core/signatures/model.js';
import { describeSteps, nextStep } from '../../core/signatures/workflow.js';
import { getRelease } from '../services/release-baseline.js';
import { releaseSigningState } from '../services/release-signing.js';
import { defineUseCase } from '../use-case.js';
import { ReleaseVersionSchema } from './create-release.js';

export const ShowReleaseInputSchema = z.strictObject({ productKey: ProductKeySchema, version: ReleaseVersionSchema });

export const ShowReleaseOutputSchema = z.object({
  /** The newest baseline of the version. */
  release: ReleaseSchema,
  /** Every signature on any baseline of the version, oldest first; those on an older baseline are superseded. */
  signatures: z.array(SignatureViewSchema),
  /** What the release workflow still asks for on the newest baseline, in words (empty when complete). */
  waitingFor: z.string(),
});
export type ShowRelease = z.infer<typeof ShowReleaseOutputSchema>;

/**
 * A release version's newest baseline with its electronic signatures as people read them (21 CFR 11.50: printed
 * name, UTC time with its zone, meaning, the baseline signed), and what its workflow still asks for.
 * @throws AppError NOT_FOUND for the product or version
 */
export const showReleaseUseCase = defineUseCase({
  name: 'release.show',
  summary: "Show a release's newest baseline with its electronic signatures.",
  kind: 'read',
  what: 'release',
  input: ShowReleaseInputSchema,
  output: ShowReleaseOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/releases/:version' },
  run: ({ deps }, input) =>
    deps.store.read(async (r) => {
      const product = await getProduct(r, input.productKey);
      const release = await getRelease(r, product, input.version);
      const ids = (await r.listReleases(product.id)).filter((x) => x.version === release.version).map((x) => x.id);
      const all = await r.listSignatures('release', ids);
      const { workflow, signatures } = await releaseSigningState(r, product, release);
      const at = nextStep(workflow, signatures);
      return {
        release,
        signatures: all.map((s) => toSignatureView(s, release.baseline)),
        waitingFor: release.status !== 'draft' || at === undefined ? '' : describeSteps(workflow, at),
      };
    }),
});

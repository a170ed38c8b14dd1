import { z } from 'zod';
import { ProductKeySchema } from '../../core/entities.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { SeveritySchema, type RulePack } from '../../core/rules/rule-pack.js';
import { parseInput } from '../../core/validation.js';
import { getRelease } from '../services/release-baseline.js';
import { evaluateRelease, plainFinding, ReleaseCheckSchema, type ReleaseCheck } from '../services/release-gate.js';
import { defineUseCase } from '../use-case.js';
import { ReleaseVersionSchema } from './create-release.js';

export type { ReleaseCheck } from '../services/release-gate.js';

export const CheckReleaseInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  version: ReleaseVersionSchema,
  unreferencedCommits: SeveritySchema.default('warning'),
  failOn: SeveritySchema.default('error'),
});
export type CheckReleaseInput = z.input<typeof CheckReleaseInputSchema>;

/**
 * Runs the release gate on the newest baseline of a version (see `evaluateRelease`).
 * @throws AppError NOT_FOUND for the product or release
 */
export async function checkRelease(
  deps: Pick<Deps, 'store' | 'catalog' | 'clock'>,
  input: CheckReleaseInput & { readonly builtinPacks: readonly RulePack[] },
): Promise<ReleaseCheck> {
  const { builtinPacks, ...rest } = input;
  const i = parseInput(CheckReleaseInputSchema, rest, 'release check');
  return deps.store.read(async (r) => {
    const product = await getProduct(r, i.productKey);
    const release = await getRelease(r, product, i.version);
    return evaluateRelease(deps, r, product, release, builtinPacks, i);
  });
}

export const checkReleaseUseCase = defineUseCase({
  name: 'release.check',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: 'Run the release gate on the newest baseline of a version.',
  kind: 'read',
  what: 'release check',
  input: CheckReleaseInputSchema,
  output: ReleaseCheckSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/releases/:version/check' },
  // The shipped rule packs come from the process, never from the caller.
  run: async ({ deps, services }, input) => {
    const c = await checkRelease(deps, { ...input, builtinPacks: services.builtinPacks() });
    return { ...c, findings: c.findings.map(plainFinding) };
  },
});

import { z } from 'zod';
import type { Deps } from '../../core/ports.js';
import type { RulePack } from '../../core/rules/rule-pack.js';
import { parseInput } from '../../core/validation.js';
import { loadRiskFile, RiskFileViewSchema, RiskViewInputSchema, type RiskFileView } from '../services/risk-file.js';
import { defineUseCase } from '../use-case.js';

export const GetRiskFileInputSchema = RiskViewInputSchema;
export type GetRiskFileInput = z.input<typeof GetRiskFileInputSchema>;

/**
 * The risk file of a product or release (see `loadRiskFile`).
 * @throws AppError INVALID_INPUT for a bad input; NOT_FOUND for the product or release
 */
export async function getRiskFile(
  deps: Pick<Deps, 'store' | 'catalog' | 'clock'>,
  input: GetRiskFileInput & { readonly builtinPacks?: readonly RulePack[] },
): Promise<RiskFileView> {
  const { builtinPacks, ...rest } = input;
  return loadRiskFile(deps, parseInput(GetRiskFileInputSchema, rest, 'risk file'), builtinPacks);
}

/** `risk.file`: the whole risk file (the report's data); `openItems: true` adds the ISO 14971 rule findings. */
export const getRiskFileUseCase = defineUseCase({
  name: 'risk.file',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: 'Read the risk file of a product or release, optionally with its ISO 14971 open items.',
  kind: 'read',
  what: 'risk file',
  input: RiskViewInputSchema.extend({ openItems: z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]).optional() }),
  output: RiskFileViewSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/risk/file' },
  run: ({ deps, services }, { openItems, ...input }) => loadRiskFile(deps, input, openItems === true ? services.builtinPacks() : undefined),
});

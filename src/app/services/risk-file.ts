import { z } from 'zod';
import { ProductKeySchema, ProductSchema, type Product } from '../../core/entities.js';
import { loadReleaseEvidence } from '../../core/evidence/release-evidence.js';
import { testVerdicts, type Verdict } from '../../core/evidence/verdicts.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import type { Finding } from '../../core/rules/evaluate-rules.js';
import { FindingSchema } from '../../core/rules/finding-schema.js';
import type { RulePack } from '../../core/rules/rule-pack.js';
import { policyFromGraph } from '../../core/risk/current-policy.js';
import { RiskFileSchema } from '../../core/risk/risk-file-schema.js';
import { analyseRisks, type RiskFile } from '../../core/risk/risk-file.js';
import type { TraceGraph } from '../../core/trace/trace-graph.js';
import { baselineGraph, getRelease } from './release-baseline.js';
import { ReleaseVersionSchema } from '../use-cases/create-release.js';
import { checkGraph } from './check-graph.js';
import { productVerdicts } from './product-verdicts.js';
import { buildGraph } from './trace-graph.js';

/** What every view of the risk file is asked for: a product now, or a release baseline, judged at a date. */
export const RiskViewInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** A release's frozen baseline and its test runs instead of the product now. */
  release: ReleaseVersionSchema.optional(),
  /** Judge review state at this date (ISO date or date-time) instead of now, e.g. to plan ahead. */
  asOf: z.union([z.iso.datetime(), z.iso.date()]).optional(),
});
export type RiskViewInput = z.output<typeof RiskViewInputSchema>;

/** Overall residual risk evaluations, benefit-risk analyses and threats, as the risk management report lists them. */
export const RiskFileExtrasSchema = z.strictObject({
  overall: z
    .array(
      z.strictObject({
        key: z.string(),
        title: z.string(),
        status: z.string(),
        release: z.string(),
        acceptable: z.boolean(),
        disclosures: z.array(z.string()).readonly(),
      }),
    )
    .readonly(),
  benefitRisk: z
    .array(z.strictObject({ key: z.string(), title: z.string(), status: z.string(), conclusion: z.string(), benefits: z.string() }))
    .readonly(),
  threats: z
    .array(z.strictObject({ key: z.string(), title: z.string(), asset: z.string(), attackVector: z.string(), cvss: z.string().nullable() }))
    .readonly(),
});
export type RiskFileExtras = z.output<typeof RiskFileExtrasSchema>;

/** The risk file of a product or release, with what the report adds (see `loadRiskFile`). */
export const RiskFileViewSchema = z.strictObject({
  product: ProductSchema,
  release: z.string().nullable(),
  file: RiskFileSchema,
  extras: RiskFileExtrasSchema,
  /** ISO 14971 rule findings (open items), when they were asked for. */
  openItems: z.array(FindingSchema).readonly().nullable(),
});

export interface RiskFileView {
  readonly product: Product;
  readonly release: string | null;
  readonly file: Omit<RiskFile, 'computed'>;
  readonly extras: RiskFileExtras;
  /** ISO 14971 rule findings (open items), when the packs were given. */
  readonly openItems: readonly Finding[] | null;
}

function extras(graph: TraceGraph): RiskFileExtras {
  const of = (type: string): number[] => graph.nodesOfType(type);
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  return {
    overall: of('ORR').map((i) => {
      const f = graph.fields(i);
      return { key: graph.key(i), title: graph.title(i), status: graph.status(i), release: str(f['release']), acceptable: f['acceptable'] === true, disclosures: Array.isArray(f['disclosures']) ? f['disclosures'].map(String) : [] };
    }),
    benefitRisk: of('BRA').map((i) => {
      const f = graph.fields(i);
      return { key: graph.key(i), title: graph.title(i), status: graph.status(i), conclusion: str(f['conclusion']), benefits: str(f['benefits']) };
    }),
    threats: of('THREAT').map((i) => {
      const f = graph.fields(i);
      return { key: graph.key(i), title: graph.title(i), asset: str(f['asset']), attackVector: str(f['attackVector']), cvss: typeof f['cvss'] === 'string' ? f['cvss'] : null };
    }),
  };
}

/**
 * The risk file of a product (or of a release baseline, judged by that release's test runs): every risk estimate
 * with its chain, zones, controls and their verification, review state, plus overall evaluations, benefit-risk
 * analyses and threats. With the rule packs, also the ISO 14971 open items. Every risk view reads it.
 * @param builtinPacks - the shipped packs, to work out the open items (left out: `openItems` is null)
 * @throws AppError NOT_FOUND for the product or release
 */
export async function loadRiskFile(
  deps: Pick<Deps, 'store' | 'catalog' | 'clock'>,
  i: RiskViewInput,
  builtinPacks?: readonly RulePack[],
): Promise<RiskFileView> {
  const asOf = i.asOf === undefined ? deps.clock.now() : new Date(i.asOf.length === 10 ? `${i.asOf}T00:00:00.000Z` : i.asOf).toISOString();
  return deps.store.read(async (r: StoreReader) => {
    const product = await getProduct(r, i.productKey);
    let graph: TraceGraph;
    let verdicts: ReadonlyMap<number, Verdict>;
    if (i.release === undefined) {
      graph = await buildGraph(deps, r, product);
      verdicts = await productVerdicts(r, product);
    } else {
      const release = await getRelease(r, product, i.release);
      graph = await baselineGraph(deps, r, release);
      verdicts = testVerdicts((await loadReleaseEvidence(r, product, release)).results).byRecord;
    }
    const { computed: _computed, ...file } = analyseRisks(graph, policyFromGraph(graph), verdicts, asOf);
    let openItems: Finding[] | null = null;
    if (builtinPacks !== undefined) {
      const check = await checkGraph({ ...deps, clock: { now: () => asOf } }, r, product, graph, builtinPacks, verdicts);
      openItems = check.findings.filter((f) => f.pack === 'iso14971');
    }
    return { product, release: i.release ?? null, file, extras: extras(graph), openItems };
  });
}

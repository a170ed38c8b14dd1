import type { Product } from '../../core/entities.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import { RECORD_TYPE } from '../../core/catalog/record-type-keys.js';
import { canonicalJson, sha256Hex } from '../../core/hashing.js';
import { reviewInputs, type Period, type ReviewInputs, type RiskForReview } from '../../core/qms/management-review.js';
import { dueRisks } from '../../core/risk/risk-file.js';
import { loadQmsFacts } from './qms-facts.js';
import { loadQmsLinks, loadQmsRecords } from './qms-records.js';
import { loadRiskFile } from './risk-file.js';

/** The record types the management review reads, and the links between them it follows. */
const REVIEW_TYPES = [
  RECORD_TYPE.CMP,
  RECORD_TYPE.PPI,
  RECORD_TYPE.AUD,
  RECORD_TYPE.AF,
  RECORD_TYPE.CAPA,
  RECORD_TYPE.NC,
  RECORD_TYPE.ANOM,
  RECORD_TYPE.CR,
  RECORD_TYPE.MREV,
  RECORD_TYPE.SUP,
  RECORD_TYPE.SOUP,
  RECORD_TYPE.DOC,
];
const REVIEW_LINKS = ['found_in', 'addresses', 'supplied_by'];

/** The risks the risk file says need review (flagged by new information, or overdue) as of a day. */
export async function risksForReview(deps: Pick<Deps, 'store' | 'catalog' | 'clock'>, productKey: string, asOf: string): Promise<RiskForReview[]> {
  const v = await loadRiskFile(deps, { productKey, asOf });
  return dueRisks(v.file)
    .filter((r) => r.review.state !== 'current')
    .map((r) => ({ key: r.key, title: r.title, state: r.review.state }));
}

/** Assembles the management review inputs of a period from one snapshot (`r`), with the risks already judged. */
export async function assembleReviewInputs(
  r: StoreReader,
  product: Product,
  period: Period,
  asOf: string,
  risks: readonly RiskForReview[],
  review?: string,
): Promise<ReviewInputs> {
  const records = await loadQmsRecords(r, product, REVIEW_TYPES);
  const links = await loadQmsLinks(r, records, REVIEW_LINKS);
  const facts = await loadQmsFacts(r, product, asOf);
  const releases = (await r.listReleases(product.id))
    .filter((x) => x.releasedAt !== null && x.voidedAt === null)
    .map((x) => ({ version: x.version, releasedAt: x.releasedAt ?? '' }));
  return reviewInputs(records, links, { period, asOf, facts, risksForReview: risks, releases, ...(review === undefined ? {} : { review }) });
}

/** `sha256:<hex>` of the inputs' canonical JSON: what a compiled review records. */
export function reviewInputsDigest(inputs: ReviewInputs): string {
  return `sha256:${sha256Hex(canonicalJson(inputs))}`;
}

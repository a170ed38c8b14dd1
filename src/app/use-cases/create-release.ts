import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { GENESIS_HASH } from '../../core/audit.js';
import { conflict, invalidInput } from '../../core/errors.js';
import { ProductKeySchema } from '../../core/entities.js';
import { baselineHash } from '../../core/evidence/baseline-hash.js';
import { ReleaseSchema, type Release, type ReleaseEvidence, type ReleaseLink, type ReleaseRecord } from '../../core/evidence/model.js';
import { defineUseCase } from '../use-case.js';
import { newestReviewVersions } from '../../core/evidence/reviews.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { parseInput, ReasonSchema } from '../../core/validation.js';

export const ReleaseVersionSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,99}$/, 'a version is letters, digits, dots, dashes, plus or underscores, like 1.2.0 or 1.2.0-rc.1');

export const CreateReleaseInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  version: ReleaseVersionSchema,
  /** Test runs to include by import ID; default: the runs recorded for this version (`--version` at import). */
  testRuns: z.array(z.number().int().positive()).optional(),
  reason: ReasonSchema.optional(),
});
export type CreateReleaseInput = z.input<typeof CreateReleaseInputSchema>;

/** A frozen baseline and what it holds. */
export const CreatedReleaseSchema = z.object({
  release: ReleaseSchema,
  records: z.number().int(),
  links: z.number().int(),
  testRuns: z.array(z.number().int()),
  commits: z.number().int(),
  reviews: z.number().int(),
  sboms: z.array(z.number().int()),
});
export type CreatedRelease = z.infer<typeof CreatedReleaseSchema>;

/**
 * Freezes a release baseline (IEC 62304 5.8.4, 8.1.3; ISO 13485 7.3.10): the exact revision and status of every
 * record, every active link with the revisions it was checked against, and the evidence that belongs to it: the
 * test runs of this version, the commits and reviews not in an earlier release, and the newest SBOM of each source.
 * The baseline's SHA-256 covers all of it and the audit head at that moment, so the baseline also anchors the
 * trail up to it. The release starts as a draft; it is marked released only when its gate passes. Freezing a draft
 * version again (after fixing what its gate found) writes a new baseline beside the old one, which stays readable.
 * @throws AppError CONFLICT when the version was already released; INVALID_INPUT for an unknown or foreign test run
 */
export async function createRelease(deps: Deps, input: CreateReleaseInput): Promise<CreatedRelease> {
  const i = parseInput(CreateReleaseInputSchema, input, 'release');
  return deps.store.write(async (w) => {
    const product = await getProduct(w, i.productKey);
    const prior = await w.findRelease(product.id, i.version);
    if (prior?.status === 'released') {
      throw conflict(`release ${product.key} ${i.version} was released on ${prior.releasedAt ?? '?'}; its baseline is final (create a new version)`, { item: i.version });
    }
    const imports = await w.listEvidenceImports(product.id);
    const runs = imports.filter((x) => x.kind === 'test_run');
    let testRuns: number[];
    if (i.testRuns !== undefined) {
      for (const id of i.testRuns) {
        const run = runs.find((r) => r.id === id);
        if (run === undefined) throw invalidInput(`test run ${id} is not a test run of ${product.key} (see dossier evidence list)`, { item: String(id), field: 'testRuns' });
        if (run.voidedAt !== null) throw invalidInput(`test run ${id} was voided on ${run.voidedAt}: ${run.voidReason ?? ''}`, { item: String(id), field: 'testRuns' });
      }
      testRuns = [...new Set(i.testRuns)].sort((a, b) => a - b);
    } else testRuns = runs.filter((r) => r.version === i.version && r.voidedAt === null).map((r) => r.id);
    // Newest SBOM of each source.
    const sboms = [...new Map(imports.filter((x) => x.kind === 'sbom').map((x) => [x.source, x.id])).values()].sort((a, b) => a - b);

    // Commits and reviews that no earlier release holds (reviews by key: a later state of the same request counts as held).
    const earlier = (await w.listReleases(product.id)).filter((r) => r.version !== i.version);
    const claimedItems = new Set<number>();
    for (const r of earlier) for (const e of await w.listReleaseEvidence(r.id)) if (e.itemId !== null) claimedItems.add(e.itemId);
    const commits = (await w.listEvidenceItems({ productId: product.id, kind: 'commit' })).filter((c) => !claimedItems.has(c.id));
    const allReviews = await w.listEvidenceItems({ productId: product.id, kind: 'review' });
    const claimedKeys = new Set(allReviews.filter((r) => claimedItems.has(r.id)).map((r) => r.key));
    // The newest state of each request by the forge's updated_at, not the last file imported.
    const reviews = newestReviewVersions(allReviews.filter((r) => !claimedKeys.has(r.key)));

    const id = (await w.nextIds()).release;
    const states = await w.listRecordStates(product.id);
    const links = await w.listLinks({ productId: product.id });
    const records: ReleaseRecord[] = states.map((s) => ({ releaseId: id, ...s }));
    const frozenLinks: ReleaseLink[] = links.map((l) => ({
      releaseId: id,
      linkId: l.id,
      type: l.type,
      fromId: l.fromId,
      toId: l.toId,
      fromRevision: l.fromRevision,
      toRevision: l.toRevision,
      checkedAt: l.confirmedAt ?? l.createdAt,
    }));
    const evidence: ReleaseEvidence[] = [
      ...[...testRuns, ...sboms].map((importId) => ({ releaseId: id, importId, itemId: null })),
      ...[...commits, ...reviews].map((item) => ({ releaseId: id, importId: null, itemId: item.id })),
    ];
    const head = await w.auditHead();
    const baseline = (prior?.baseline ?? 0) + 1;
    const hash = baselineHash(
      { productKey: product.key, version: i.version, baseline, auditSeq: head?.seq ?? 0, auditHash: head?.hash ?? GENESIS_HASH },
      { records, links: frozenLinks, imports: imports.filter((x) => testRuns.includes(x.id) || sboms.includes(x.id)), items: [...commits, ...reviews] },
    );
    const at = deps.clock.now();
    const release: Release = {
      id,
      productId: product.id,
      version: i.version,
      baseline,
      status: 'draft',
      baselineHash: hash,
      auditSeq: head?.seq ?? 0,
      auditHash: head?.hash ?? GENESIS_HASH,
      createdAt: at,
      createdBy: deps.actor.id,
      releasedAt: null,
      releasedBy: null,
      voidedAt: null,
      voidedBy: null,
      voidReason: null,
    };
    await w.insertReleases([release]);
    await w.insertReleaseRecords(records);
    await w.insertReleaseLinks(frozenLinks);
    await w.insertReleaseEvidence(evidence);
    await appendAudit(w, deps, at, [
      {
        action: 'RELEASE_CREATED',
        entityType: 'release',
        entityId: `${product.key}/release/${i.version}`,
        productKey: product.key,
        newValue: {
          version: i.version,
          baseline: release.baseline,
          baselineHash: release.baselineHash,
          auditSeq: release.auditSeq,
          auditHash: release.auditHash,
          records: records.length,
          links: frozenLinks.length,
          testRuns,
          sboms,
          commits: commits.length,
          reviews: reviews.length,
        },
        reason: i.reason ?? null,
      },
    ]);
    return { release, records: records.length, links: frozenLinks.length, testRuns, commits: commits.length, reviews: reviews.length, sboms };
  });
}

export const createReleaseUseCase = defineUseCase({
  name: 'release.create',
  summary: 'Freeze a release baseline of a version.',
  kind: 'write',
  what: 'release',
  input: CreateReleaseInputSchema,
  output: CreatedReleaseSchema,
  permission: 'release.create',
  http: { method: 'POST', path: '/api/v1/products/:productKey/releases', status: 201 },
  run: ({ deps }, input) => createRelease(deps, input),
});

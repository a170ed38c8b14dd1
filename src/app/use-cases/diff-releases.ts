import { z } from 'zod';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { loadReleaseEvidence } from '../../core/evidence/release-evidence.js';
import { testVerdicts } from '../../core/evidence/verdicts.js';
import { getProduct } from '../../core/lookups.js';
import type { Deps, StoreReader } from '../../core/ports.js';
import { naturalCompare } from '../../core/natural-order.js';
import { parseInput } from '../../core/validation.js';
import { sha256Hex } from '../../core/hashing.js';
import type { Finding } from '../../core/rules/evaluate-rules.js';
import type { Product } from '../../core/entities.js';
import type { Release } from '../../core/evidence/model.js';
import { getRelease } from '../services/release-baseline.js';
import { FindingSchema } from '../../core/rules/finding-schema.js';
import { defineUseCase } from '../use-case.js';
import { ReleaseVersionSchema } from './create-release.js';

export const DiffReleasesInputSchema = z.strictObject({ productKey: ProductKeySchema, from: ReleaseVersionSchema, to: ReleaseVersionSchema });

/** What changed between two release baselines. */
export const ReleaseDiffSchema = z.object({
  from: z.string(),
  to: z.string(),
  records: z.object({
    added: z.array(z.string()),
    removed: z.array(z.string()),
    /** Record, revisions and statuses on both sides. */
    changed: z.array(z.object({ record: z.string(), from: z.string(), to: z.string() })),
  }),
  links: z.object({ added: z.array(z.string()), removed: z.array(z.string()) }),
  soup: z.array(z.object({ record: z.string(), package: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
  /**
   * Verdicts that differ between the two releases' runs: per record the results name (by its key), and per test
   * that names no record (by its name); `none` when it did not run on one side.
   */
  results: z.array(z.object({ test: z.string(), from: z.string(), to: z.string() })),
  /**
   * Records approved in the older baseline that are not in the newer one (an edit after approval, frozen as a draft):
   * an error when the newer baseline is released, a warning while it is a draft.
   */
  findings: z.array(FindingSchema),
});
export type ReleaseDiff = z.infer<typeof ReleaseDiffSchema>;

/** The diff's own finding (ISO 13485 4.2.4): what was approved is released only approved. */
export const APPROVAL_LOST = { id: 'RELEASE-DIFF-APPROVAL-LOST', clause: 'ISO 13485 4.2.4', title: 'A record approved in the older baseline is approved in the newer one' } as const;

interface Side {
  readonly records: Map<number, { key: string; revision: number; status: string; type: string; fields: Readonly<Record<string, unknown>> }>;
  readonly links: Map<number, string>;
  readonly results: Map<string, string>;
}

async function side(r: StoreReader, product: Product, release: Release): Promise<Side> {
  const records = new Map((await r.loadReleaseTraceRecords(release.id)).map((x) => [x.id, { key: recordKey(x.type, x.number), revision: x.latestRevision, status: x.status, type: x.type, fields: x.fields }]));
  const links = new Map<number, string>();
  for (const l of await r.listReleaseLinks(release.id)) links.set(l.linkId, `${records.get(l.fromId)?.key ?? l.fromId} ${l.type} ${records.get(l.toId)?.key ?? l.toId}`);
  // Verdicts, not JUnit names: a test renamed or parameterised between releases is the same test case.
  const verdicts = testVerdicts((await loadReleaseEvidence(r, product, release)).results);
  const results = new Map<string, string>();
  for (const [id, v] of verdicts.byRecord) results.set(`r${id}`, v);
  for (const [key, v] of verdicts.byTest) results.set(`t${key}`, v);
  return { records, links, results };
}

/**
 * What changed between two release baselines: records added, removed and revised (or with another status), links
 * added and removed, SOUP versions, and test outcomes.
 * @throws AppError NOT_FOUND for the product or either release
 */
export async function diffReleases(deps: Pick<Deps, 'store'>, input: z.input<typeof DiffReleasesInputSchema>): Promise<ReleaseDiff> {
  const i = parseInput(DiffReleasesInputSchema, input, 'release diff');
  return deps.store.read(async (r) => {
    const product = await getProduct(r, i.productKey);
    const a = await side(r, product, await getRelease(r, product, i.from));
    const b = await side(r, product, await getRelease(r, product, i.to));
    const sort = (xs: string[]): string[] => xs.sort(naturalCompare);
    const changed: { record: string; from: string; to: string }[] = [];
    const soup: { record: string; package: string; from: string | null; to: string | null }[] = [];
    const version = (f: Readonly<Record<string, unknown>> | undefined): string | null => (f === undefined ? null : typeof f['version'] === 'string' ? f['version'] : '(no version)');
    for (const [id, x] of b.records) {
      const y = a.records.get(id);
      if (y !== undefined && (y.revision !== x.revision || y.status !== x.status)) {
        changed.push({ record: x.key, from: `rev ${y.revision} ${y.status}`, to: `rev ${x.revision} ${x.status}` });
      }
      if (x.type === 'SOUP' && (version(y?.fields) !== version(x.fields) || (y !== undefined && y.status !== 'obsolete' && x.status === 'obsolete'))) {
        soup.push({ record: x.key, package: String(x.fields['package']), from: y === undefined || y.status === 'obsolete' ? null : version(y.fields), to: x.status === 'obsolete' ? null : version(x.fields) });
      }
    }
    const toRelease = await getRelease(r, product, i.to);
    const findings: Finding[] = [];
    for (const [id, x] of b.records) {
      const y = a.records.get(id);
      if (y?.status !== 'approved' || x.status === 'approved' || x.status === 'obsolete') continue;
      findings.push({
        id: sha256Hex(`${APPROVAL_LOST.id}|${product.key}|${i.from}|${i.to}|${x.key}`).slice(0, 16),
        ruleId: APPROVAL_LOST.id,
        pack: 'release-gate',
        clause: APPROVAL_LOST.clause,
        severity: toRelease.status === 'released' ? 'error' : 'warning',
        title: APPROVAL_LOST.title,
        record: x.key,
        message: `${x.key} was approved (rev ${y.revision}) in ${i.from} but is ${x.status.replace('_', ' ')} (rev ${x.revision}) in ${toRelease.status === 'released' ? 'released' : 'draft'} ${i.to}`,
        hint: `Review and approve revision ${x.revision} of ${x.key}, then freeze ${i.to} again${toRelease.status === 'released' ? ' as a new version (a released baseline is final)' : ''}.`,
      });
    }
    const results: { test: string; from: string; to: string }[] = [];
    const testName = (k: string): string => {
      if (k.startsWith('t')) return k.slice(1);
      const id = Number(k.slice(1));
      return b.records.get(id)?.key ?? a.records.get(id)?.key ?? `record ${id}`;
    };
    for (const k of new Set([...a.results.keys(), ...b.results.keys()])) {
      const from = a.results.get(k) ?? 'none';
      const to = b.results.get(k) ?? 'none';
      if (from !== to) results.push({ test: testName(k), from, to });
    }
    return {
      from: i.from,
      to: i.to,
      records: {
        added: sort([...b.records].filter(([id]) => !a.records.has(id)).map(([, x]) => x.key)),
        removed: sort([...a.records].filter(([id]) => !b.records.has(id)).map(([, x]) => x.key)),
        changed: changed.sort((p, q) => naturalCompare(p.record, q.record)),
      },
      links: {
        added: sort([...b.links].filter(([id]) => !a.links.has(id)).map(([, t]) => t)),
        removed: sort([...a.links].filter(([id]) => !b.links.has(id)).map(([, t]) => t)),
      },
      soup: soup.sort((p, q) => naturalCompare(p.record, q.record)),
      results: results.sort((p, q) => naturalCompare(p.test, q.test)),
      findings: findings.sort((p, q) => naturalCompare(p.record ?? '', q.record ?? '')),
    };
  });
}

export const diffReleasesUseCase = defineUseCase({
  name: 'release.diff',
  // Can take long on a large product: the server runs it on its read pool.
  heavy: true,
  summary: 'Show what changed between two release baselines.',
  kind: 'read',
  what: 'release diff',
  input: DiffReleasesInputSchema,
  output: ReleaseDiffSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/releases/:from/diff/:to' },
  run: ({ deps }, input) => diffReleases(deps, input),
});

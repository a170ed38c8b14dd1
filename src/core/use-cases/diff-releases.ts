import { z } from 'zod';
import { ProductKeySchema, recordKey } from '../entities.js';
import { loadReleaseEvidence } from '../evidence/release-evidence.js';
import { getProduct } from '../lookups.js';
import type { Deps, StoreReader } from '../ports.js';
import { naturalCompare } from '../natural-order.js';
import { parseInput } from '../validation.js';
import type { Product } from '../entities.js';
import type { Release } from '../evidence/model.js';
import { getRelease } from './check-release.js';
import { ReleaseVersionSchema } from './create-release.js';

export const DiffReleasesInputSchema = z.strictObject({ productKey: ProductKeySchema, from: ReleaseVersionSchema, to: ReleaseVersionSchema });

export interface ReleaseDiff {
  readonly from: string;
  readonly to: string;
  readonly records: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    /** Record, revisions and statuses on both sides. */
    readonly changed: readonly { readonly record: string; readonly from: string; readonly to: string }[];
  };
  readonly links: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly soup: readonly { readonly record: string; readonly package: string; readonly from: string | null; readonly to: string | null }[];
  /** Tests whose outcome differs between the two releases' runs (`none` when absent on one side). */
  readonly results: readonly { readonly test: string; readonly from: string; readonly to: string }[];
}

interface Side {
  readonly records: Map<number, { key: string; revision: number; status: string; type: string; fields: Readonly<Record<string, unknown>> }>;
  readonly links: Map<number, string>;
  readonly results: Map<string, string>;
}

async function side(r: StoreReader, product: Product, release: Release): Promise<Side> {
  const records = new Map((await r.loadReleaseTraceRecords(release.id)).map((x) => [x.id, { key: recordKey(x.type, x.number), revision: x.latestRevision, status: x.status, type: x.type, fields: x.fields }]));
  const links = new Map<number, string>();
  for (const l of await r.listReleaseLinks(release.id)) links.set(l.linkId, `${records.get(l.fromId)?.key ?? l.fromId} ${l.type} ${records.get(l.toId)?.key ?? l.toId}`);
  const results = new Map<string, string>();
  for (const item of (await loadReleaseEvidence(r, product, release)).results) {
    const prev = results.get(item.key);
    // Worst outcome wins when the same test ran more than once.
    results.set(item.key, prev === 'failed' || prev === 'error' ? prev : (item.outcome ?? 'skipped'));
  }
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
    const results: { test: string; from: string; to: string }[] = [];
    for (const k of new Set([...a.results.keys(), ...b.results.keys()])) {
      const from = a.results.get(k) ?? 'none';
      const to = b.results.get(k) ?? 'none';
      if (from !== to) results.push({ test: k, from, to });
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
    };
  });
}

import { SequenceDigest } from '../hashing.js';
import type { ReleaseLink, ReleaseRecord } from './model.js';

/** What a baseline's hash covers besides its rows: the product, version, baseline number and the audit head. */
export interface BaselineHeader {
  readonly productKey: string;
  readonly version: string;
  readonly baseline: number;
  readonly auditSeq: number;
  readonly auditHash: string;
}

/** The rows a baseline freezes, in any order (the hash takes them in a fixed order). */
export interface BaselineRows {
  readonly records: readonly Pick<ReleaseRecord, 'recordId' | 'revision' | 'status' | 'hash'>[];
  readonly links: readonly Omit<ReleaseLink, 'releaseId'>[];
  /** Test runs and SBOMs of the baseline, with their items digest. */
  readonly imports: readonly { readonly id: number; readonly itemsDigest: string }[];
  /** Commits and reviews of the baseline. */
  readonly items: readonly { readonly id: number; readonly kind: string; readonly key: string }[];
}

/** Commits come before reviews in the hash, each kind in ID order (as `createRelease` gathers them). */
const ITEM_RANK: Readonly<Record<string, number>> = { commit: 0, review: 1 };

/**
 * The SHA-256 of a release baseline: a header, then records by record ID, links by link ID, imports by ID and
 * items (commits, then reviews) by ID. `createRelease` stores it and its RELEASE_CREATED event records it;
 * `audit verify` recomputes it from the frozen rows, so a baseline row changed afterwards is found.
 */
export function baselineHash(header: BaselineHeader, rows: BaselineRows): string {
  const digest = new SequenceDigest();
  digest.add(['dossier-baseline-v1', header.productKey, header.version, header.baseline, header.auditSeq, header.auditHash]);
  for (const r of [...rows.records].sort((a, b) => a.recordId - b.recordId)) digest.add(['record', r.recordId, r.revision, r.status, r.hash]);
  for (const l of [...rows.links].sort((a, b) => a.linkId - b.linkId)) {
    digest.add(['link', l.linkId, l.type, l.fromId, l.toId, l.fromRevision, l.toRevision, l.checkedAt]);
  }
  for (const imp of [...rows.imports].sort((a, b) => a.id - b.id)) digest.add(['import', imp.id, imp.itemsDigest]);
  const rank = (kind: string): number => ITEM_RANK[kind] ?? 2;
  for (const it of [...rows.items].sort((a, b) => rank(a.kind) - rank(b.kind) || a.id - b.id)) digest.add(['item', it.id, it.kind, it.key]);
  return digest.hex();
}

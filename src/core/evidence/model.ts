import { valueText } from '../value-text.js';
import { canonicalJson } from '../hashing.js';

/**
 * Evidence from where developers work (IEC 62304 5.5–5.8, 8.1.2; ISO 13485 7.3.6): test runs, commits, code
 * reviews and SBOM snapshots, imported from files, and release baselines that freeze them with the records.
 *
 * Evidence is fact, not a controlled document: an import is written once, never changed, and recorded by one
 * EVIDENCE_IMPORTED audit event that holds the digest of everything it wrote. SOUP components and vulnerabilities
 * become records (they are reviewed and approved like any other); the SBOM snapshot is kept as evidence so the next
 * import can say what changed.
 */

/** What an import brought in. */
export type EvidenceKind = 'test_run' | 'commits' | 'reviews' | 'sbom' | 'vulnerabilities';
export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['test_run', 'commits', 'reviews', 'sbom', 'vulnerabilities'];

/** One item of an import. */
export type EvidenceItemKind = 'test_result' | 'commit' | 'review' | 'component' | 'advisory';

/** One import of one file (or git range), recognised again by its content hash. */
export interface EvidenceImport {
  readonly id: number;
  readonly productId: number;
  readonly kind: EvidenceKind;
  /** The file name or range it came from, as given. */
  readonly source: string;
  /** SHA-256 of the input: re-importing the same content is recognised and changes nothing. */
  readonly contentHash: string;
  /** Facts about the whole import (a test run's version, commit, environment, times, totals …). */
  readonly meta: Readonly<Record<string, unknown>>;
  readonly itemCount: number;
  /** SHA-256 over the import's items and their record references, in order (see `evidenceDigest`). */
  readonly itemsDigest: string;
  readonly importedAt: string;
  readonly importedBy: string;
  /**
   * A test run's product version: the one stated at import (`meta.version`), or the one a relabel set since
   * (EVIDENCE_RELABELLED). A release takes the runs of its version. Null: none.
   */
  readonly version: string | null;
  /** Set when the import was voided (EVIDENCE_VOIDED): it counts for no verdict and no release, and is kept. */
  readonly voidedAt: string | null;
  readonly voidedBy: string | null;
  readonly voidReason: string | null;
}

/** How an evidence item relates to a record. */
export type EvidenceRole = 'result_of' | 'verifies' | 'implements' | 'fixes' | 'refs' | 'component_of';

export interface EvidenceRef {
  readonly recordId: number;
  readonly role: EvidenceRole;
}

/** One test result, commit, review or SBOM component. */
export interface EvidenceItem {
  readonly id: number;
  readonly importId: number;
  readonly productId: number;
  readonly kind: EvidenceItemKind;
  /** Natural key: the test's full name, a commit SHA, `github:owner/repo#12`, a component's purl. */
  readonly key: string;
  /** passed/failed/error/skipped/flaky for tests; for reviews a `ReviewOutcome` (`approved`, `approved_earlier_commit` …). */
  readonly outcome: string | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly refs: readonly EvidenceRef[];
  /** `data` as canonical JSON, when the writer has it already (storage writes it instead of serializing again). */
  readonly dataJson?: string;
}

/** A void release was made by mistake: it stays in the store, marked, and no longer counts. */
export type ReleaseStatus = 'draft' | 'released' | 'void';

/** A release: the baseline frozen for one version of a product. */
export interface Release {
  readonly id: number;
  readonly productId: number;
  readonly version: string;
  /** 1 for the first freeze of a version; a draft frozen again gets the next number, and the newest counts. */
  readonly baseline: number;
  readonly status: ReleaseStatus;
  /** SHA-256 over the frozen baseline (records, links, evidence) and the audit head when it was frozen. */
  readonly baselineHash: string;
  /** The audit chain head when the baseline was frozen: anchors the trail up to that point. */
  readonly auditSeq: number;
  readonly auditHash: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly releasedAt: string | null;
  readonly releasedBy: string | null;
  /** When, by whom and why the baseline was voided (null while it counts). */
  readonly voidedAt: string | null;
  readonly voidedBy: string | null;
  readonly voidReason: string | null;
}

/** A record as frozen in a baseline. */
export interface ReleaseRecord {
  readonly releaseId: number;
  readonly recordId: number;
  readonly revision: number;
  readonly status: string;
  readonly hash: string;
}

/** A link as frozen in a baseline, with the revisions it was last checked against. */
export interface ReleaseLink {
  readonly releaseId: number;
  readonly linkId: number;
  readonly type: string;
  readonly fromId: number;
  readonly toId: number;
  readonly fromRevision: number;
  readonly toRevision: number;
  readonly checkedAt: string;
}

/** Evidence that belongs to a release: whole imports (test runs, an SBOM) or single items (commits, reviews). */
export interface ReleaseEvidence {
  readonly releaseId: number;
  readonly importId: number | null;
  readonly itemId: number | null;
}

/** The content of an item that its import's digest covers (`SequenceDigest` over these, in item order). */
export function evidenceDigestEntry(i: Pick<EvidenceItem, 'kind' | 'key' | 'outcome' | 'data' | 'refs'>): unknown {
  return [i.kind, i.key, i.outcome, i.data, i.refs.map((r) => [r.recordId, r.role])];
}

/**
 * `canonicalJson(evidenceDigestEntry(i))`, built from the data's canonical JSON already at hand (an array's
 * canonical form is its elements' canonical forms in order), so a large import serializes each item once.
 */
export function evidenceDigestText(i: Pick<EvidenceItem, 'kind' | 'key' | 'outcome' | 'refs'>, dataJson: string): string {
  // Strings and finite numbers in canonical JSON are JSON.stringify's (RFC 8785 3.2.2); written out here because a
  // large import or its verification builds this text once per item.
  let refs = '';
  for (const r of i.refs) {
    const id = Number.isFinite(r.recordId) ? JSON.stringify(r.recordId) : canonicalJson(r.recordId);
    refs += `${refs === '' ? '' : ','}[${id},${JSON.stringify(r.role)}]`;
  }
  return `[${JSON.stringify(i.kind)},${JSON.stringify(i.key)},${i.outcome === null ? 'null' : JSON.stringify(i.outcome)},${dataJson},[${refs}]]`;
}

/** A value of an item's data as text (strings as they are, nothing as empty, anything else as JSON). */
export const dataText = valueText;

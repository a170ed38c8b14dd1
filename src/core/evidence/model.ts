import { z } from 'zod';
import { ActorSchema, TimestampSchema } from '../entities.js';
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

/** SHA-256 of an import's content, in lower-case hex: how the same content imported again is recognised. */
export const ContentHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 in lower-case hex (64 digits)');

/** What an import brought in. */
export const EvidenceKindSchema = z.enum(['test_run', 'commits', 'reviews', 'sbom', 'vulnerabilities']);
export type EvidenceKind = z.infer<typeof EvidenceKindSchema>;
export const EVIDENCE_KINDS: readonly EvidenceKind[] = EvidenceKindSchema.options;

/** One item of an import. */
export const EvidenceItemKindSchema = z.enum(['test_result', 'commit', 'review', 'component', 'advisory']);
export type EvidenceItemKind = z.infer<typeof EvidenceItemKindSchema>;

/** One import of one file (or git range), recognised again by its content hash. */
export const EvidenceImportSchema = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  kind: EvidenceKindSchema,
  /** The file name or range it came from, as given. */
  source: z.string(),
  /** SHA-256 of the input: re-importing the same content is recognised and changes nothing. */
  contentHash: z.string(),
  /** Facts about the whole import (a test run's version, commit, environment, times, totals …). */
  meta: z.record(z.string(), z.unknown()),
  itemCount: z.number().int(),
  /** SHA-256 over the import's items and their record references, in order (see `evidenceDigest`). */
  itemsDigest: z.string(),
  importedAt: TimestampSchema,
  importedBy: ActorSchema,
  /**
   * A test run's product version: the one stated at import (`meta.version`), or the one a relabel set since
   * (EVIDENCE_RELABELLED). A release takes the runs of its version. Null: none.
   */
  version: z.string().nullable(),
  /** Set when the import was voided (EVIDENCE_VOIDED): it counts for no verdict and no release, and is kept. */
  voidedAt: TimestampSchema.nullable(),
  voidedBy: ActorSchema.nullable(),
  voidReason: z.string().nullable(),
});
export type EvidenceImport = Readonly<Omit<z.infer<typeof EvidenceImportSchema>, 'meta'>> & { readonly meta: Readonly<Record<string, unknown>> };

/** How an evidence item relates to a record. */
export const EvidenceRoleSchema = z.enum(['result_of', 'verifies', 'implements', 'fixes', 'refs', 'component_of']);
export type EvidenceRole = z.infer<typeof EvidenceRoleSchema>;

export const EvidenceRefSchema = z.object({ recordId: z.number().int(), role: EvidenceRoleSchema });
export type EvidenceRef = Readonly<z.infer<typeof EvidenceRefSchema>>;

/** One test result, commit, review or SBOM component. */
export const EvidenceItemSchema = z.object({
  id: z.number().int(),
  importId: z.number().int(),
  productId: z.number().int(),
  kind: EvidenceItemKindSchema,
  /** Natural key: the test's full name, a commit SHA, `github:owner/repo#12`, a component's purl. */
  key: z.string(),
  /** passed/failed/error/skipped/flaky for tests; for reviews a `ReviewOutcome` (`approved`, `approved_earlier_commit` …). */
  outcome: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  refs: z.array(EvidenceRefSchema.readonly()).readonly(),
  /** `data` as canonical JSON, when the writer has it already (storage writes it instead of serializing again). */
  dataJson: z.string().optional(),
});
export type EvidenceItem = Readonly<Omit<z.infer<typeof EvidenceItemSchema>, 'data'>> & { readonly data: Readonly<Record<string, unknown>> };

/** A void release was made by mistake: it stays in the store, marked, and no longer counts. */
export const ReleaseStatusSchema = z.enum(['draft', 'released', 'void']);
export type ReleaseStatus = z.infer<typeof ReleaseStatusSchema>;

/** A release: the baseline frozen for one version of a product. */
export const ReleaseSchema = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  version: z.string(),
  /** 1 for the first freeze of a version; a draft frozen again gets the next number, and the newest counts. */
  baseline: z.number().int(),
  status: ReleaseStatusSchema,
  /** SHA-256 over the frozen baseline (records, links, evidence) and the audit head when it was frozen. */
  baselineHash: z.string(),
  /** The audit chain head when the baseline was frozen: anchors the trail up to that point. */
  auditSeq: z.number().int(),
  auditHash: z.string(),
  createdAt: TimestampSchema,
  createdBy: ActorSchema,
  releasedAt: TimestampSchema.nullable(),
  releasedBy: ActorSchema.nullable(),
  /** When, by whom and why the baseline was voided (null while it counts). */
  voidedAt: TimestampSchema.nullable(),
  voidedBy: ActorSchema.nullable(),
  voidReason: z.string().nullable(),
});
export type Release = Readonly<z.infer<typeof ReleaseSchema>>;

/** A record as frozen in a baseline. */
export const ReleaseRecordSchema = z.object({
  releaseId: z.number().int(),
  recordId: z.number().int(),
  revision: z.number().int(),
  status: z.string(),
  hash: z.string(),
});
export type ReleaseRecord = Readonly<z.infer<typeof ReleaseRecordSchema>>;

/** A link as frozen in a baseline, with the revisions it was last checked against. */
export const ReleaseLinkSchema = z.object({
  releaseId: z.number().int(),
  linkId: z.number().int(),
  type: z.string(),
  fromId: z.number().int(),
  toId: z.number().int(),
  fromRevision: z.number().int(),
  toRevision: z.number().int(),
  checkedAt: TimestampSchema,
});
export type ReleaseLink = Readonly<z.infer<typeof ReleaseLinkSchema>>;

/** Evidence that belongs to a release: whole imports (test runs, an SBOM) or single items (commits, reviews). */
export const ReleaseEvidenceSchema = z.object({
  releaseId: z.number().int(),
  importId: z.number().int().nullable(),
  itemId: z.number().int().nullable(),
});
export type ReleaseEvidence = Readonly<z.infer<typeof ReleaseEvidenceSchema>>;

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

import { z } from 'zod';
import { ROLES, type Role } from '../access/permissions.js';
import { TimestampSchema } from '../entities.js';
import { canonicalJson, sha256Hex } from '../hashing.js';

/**
 * Electronic signatures (21 CFR 11.50, 11.70, 11.100, 11.200): who signed which exact content, when, and what the
 * signature means. A signature row is written once with its audit event and never changed or deleted (the database
 * refuses it); an edit of the record supersedes it, and it stays shown against the revision it signed.
 */

/** What a signature means, shown with it wherever it is shown (11.50(a)(3)). */
export const SIGNATURE_MEANINGS = ['authored', 'reviewed', 'approved', 'released', 'read_and_understood'] as const;
export const SignatureMeaningSchema = z.enum(SIGNATURE_MEANINGS);
export type SignatureMeaning = z.infer<typeof SignatureMeaningSchema>;

/**
 * The meanings a record or release workflow step may have, and a record or release signature may carry:
 * `read_and_understood` signs a training completion only (21 CFR 11.10(i)) and never counts toward a workflow.
 */
export const WORKFLOW_MEANINGS = ['authored', 'reviewed', 'approved', 'released'] as const;
export const WorkflowMeaningSchema = z.enum(WORKFLOW_MEANINGS);
export type WorkflowMeaning = z.infer<typeof WorkflowMeaningSchema>;

/** How the signer proved who they are at signing: a re-entered password, or a fresh login at the SSO provider. */
export const SignatureMethodSchema = z.enum(['password', 'sso']);
export type SignatureMethod = z.infer<typeof SignatureMethodSchema>;

/**
 * What was signed: a record revision, a release record (a release baseline with the audit head it anchors), or a
 * training completion (the trained person's signature on the content hash of the document revision trained on).
 */
export const SignedEntityTypeSchema = z.enum(['record', 'release', 'training']);
export type SignedEntityType = z.infer<typeof SignedEntityTypeSchema>;

/** A signature as stored. */
export interface SignatureRow {
  readonly id: number;
  readonly productId: number;
  readonly entityType: SignedEntityType;
  /** The record's or release's internal ID. */
  readonly entityId: number;
  /** `RPM/SRS-12`, or `RPM/release/1.2.0`: the signed thing as the audit trail names it. */
  readonly entityKey: string;
  /** The record revision, or the release baseline number, that was signed. */
  readonly revision: number;
  /** SHA-256 of exactly what was signed: the revision's hash, or the hash of the release manifest. */
  readonly contentHash: string;
  /** For a release, the canonical JSON of the signed release record (its hash is `contentHash`); null for records. */
  readonly manifest: string | null;
  readonly meaning: SignatureMeaning;
  /** The workflow step it fulfils (0-based). */
  readonly step: number;
  readonly userId: number;
  readonly username: string;
  /** The signer's full name as printed with the signature (11.50(a)(1)). */
  readonly printedName: string;
  /** UTC time of signing (ISO 8601, `Z`). */
  readonly signedAt: string;
  readonly method: SignatureMethod;
}

/** Audit entity ID of a signature: `RPM/SRS-12/signature/17`. */
export const signatureEntityId = (entityKey: string, id: number): string => `${entityKey}/signature/${id}`;

/** What a SIGNATURE_APPLIED event records: the whole signature, so the audit trail alone proves every row. */
export function signatureEventValue(s: SignatureRow): Record<string, unknown> {
  return {
    id: s.id,
    entityType: s.entityType,
    entity: s.entityKey,
    revision: s.revision,
    contentHash: s.contentHash,
    ...(s.manifest === null ? {} : { manifest: s.manifest }),
    meaning: s.meaning,
    step: s.step,
    username: s.username,
    printedName: s.printedName,
    signedAt: s.signedAt,
    method: s.method,
  };
}

/** Audit entity key of a release: `RPM/release/1.2.0`. */
export const releaseEntityKey = (productKey: string, version: string): string => `${productKey}/release/${version}`;

/** How a signature is shown: name, time with its zone, meaning, and the revision it applies to (11.50). */
export const SignatureViewSchema = z.object({
  id: z.number().int(),
  entity: z.string(),
  revision: z.number().int(),
  meaning: SignatureMeaningSchema,
  username: z.string(),
  printedName: z.string(),
  signedAt: TimestampSchema,
  /** The time as printed: `2026-12-01 18:40:12 UTC`. */
  signedAtText: z.string(),
  contentHash: z.string(),
  method: SignatureMethodSchema,
  /** A later revision exists: the signature stays, shown against the revision it signed, and no longer counts. */
  superseded: z.boolean(),
  /** One line for people: `Approved by Avery Approver (avery.approver) on 2026-12-01 18:40:12 UTC, revision 3`. */
  manifestation: z.string(),
});
export type SignatureView = z.infer<typeof SignatureViewSchema>;

const MEANING_TEXT: Readonly<Record<SignatureMeaning, string>> = {
  authored: 'Authored',
  reviewed: 'Reviewed',
  approved: 'Approved',
  released: 'Released',
  read_and_understood: 'Read and understood',
};

/** A UTC time as printed beside a signature: `2026-12-01 18:40:12 UTC` (the zone always named). */
export function signatureTimeText(at: string): string {
  return `${at.slice(0, 10)} ${at.slice(11, 19)} UTC`;
}

/** A signature as shown. @param latestRevision - the entity's latest revision (or baseline), to mark superseded ones */
export function toSignatureView(s: SignatureRow, latestRevision: number): SignatureView {
  const what = s.entityType === 'release' ? `baseline ${s.revision}` : `revision ${s.revision}`;
  const superseded = s.revision < latestRevision;
  return {
    id: s.id,
    entity: s.entityKey,
    revision: s.revision,
    meaning: s.meaning,
    username: s.username,
    printedName: s.printedName,
    signedAt: s.signedAt,
    signedAtText: signatureTimeText(s.signedAt),
    contentHash: s.contentHash,
    method: s.method,
    superseded,
    manifestation:
      `${MEANING_TEXT[s.meaning]} by ${s.printedName} (${s.username}) on ${signatureTimeText(s.signedAt)}, ${what}` +
      (superseded ? ' (superseded by a later revision)' : ''),
  };
}

/** The manifestation's meaning word. */
export const meaningText = (m: SignatureMeaning): string => MEANING_TEXT[m];

// ---------------------------------------------------------------------------------------------------------------
// The accountability statement (11.100(c), 11.10(j))

/** Version of the accountability statement; a new wording gets a new version and must be accepted again. */
export const ACCOUNTABILITY_STATEMENT_VERSION = '1';

/** The statement a user accepts, in their name, before their first electronic signature. Dossier's own words. */
export function accountabilityStatement(printedName: string): string {
  return (
    `I, ${printedName}, accept that every electronic signature I make in Dossier is my own act and binds me as my ` +
    'handwritten signature would, with the meaning shown beside it. I will keep my password and my sign-in to myself, ' +
    'and I will report at once if I believe someone else knows them or has signed in my name.'
  );
}

/** A user's acceptance of the statement, as stored (append-only). */
export interface StatementAcceptanceRow {
  readonly id: number;
  readonly userId: number;
  readonly username: string;
  readonly printedName: string;
  readonly version: string;
  /** The statement exactly as shown and accepted. */
  readonly text: string;
  readonly acceptedAt: string;
}

/** Audit entity ID of an acceptance: `user/ada/statement/1`. */
export const statementEntityId = (username: string, version: string): string => `user/${username}/statement/${version}`;

// ---------------------------------------------------------------------------------------------------------------
// Approval workflows (11.10(f)): the signatures a record type (or a release) needs, in order.

/** One required signature: its meaning and the roles that may give it. */
export const WorkflowStepSchema = z.strictObject({
  meaning: WorkflowMeaningSchema,
  /** Roles, held on the product or on every product, that may sign this step. */
  roles: z.array(z.enum(ROLES)).min(1),
  /** The author of the signed revision may not sign this step (nobody approves their own work). */
  notAuthor: z.boolean().default(true),
});
export type WorkflowStep = z.infer<typeof WorkflowStepSchema>;

/** The signatures a record type or a release needs, in order. */
export const WorkflowSchema = z.strictObject({
  steps: z.array(WorkflowStepSchema).min(1).max(8),
  /** One person signs at most one step of the same revision (a reviewer does not also approve). */
  distinctSigners: z.boolean().default(true),
});
export type Workflow = z.infer<typeof WorkflowSchema>;

/** The subject of a workflow: a record type key (`SRS`), or `release`. */
export const RELEASE_SUBJECT = 'release';

/** A product's configured workflow, as stored (the definition as canonical JSON). */
export interface WorkflowRow {
  readonly productId: number;
  readonly subject: string;
  readonly definition: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** Audit entity ID of a workflow setting: `RPM/workflow/SRS`. */
export const workflowEntityId = (productKey: string, subject: string): string => `${productKey}/workflow/${subject}`;

const step = (meaning: WorkflowStep['meaning'], roles: readonly Role[], notAuthor = true): WorkflowStep => ({ meaning, roles: [...roles], notAuthor });

/** Every record type unless configured: a review by a reviewer (or quality), then approval by an approver. */
export const DEFAULT_RECORD_WORKFLOW: Workflow = {
  steps: [step('reviewed', ['reviewer', 'quality']), step('approved', ['approver'])],
  distinctSigners: true,
};

/** Controlled documents: a review, then approval by quality. */
export const DEFAULT_DOCUMENT_WORKFLOW: Workflow = {
  steps: [step('reviewed', ['reviewer', 'approver']), step('approved', ['quality'])],
  distinctSigners: true,
};

/** A release: quality approves the release record, then an approver releases it (`release mark-released`). */
export const DEFAULT_RELEASE_WORKFLOW: Workflow = {
  steps: [step('approved', ['quality'], false), step('released', ['approver'], false)],
  distinctSigners: true,
};

/** The workflow that applies when a product has configured none for the subject. */
export function defaultWorkflow(subject: string): Workflow {
  if (subject === RELEASE_SUBJECT) return DEFAULT_RELEASE_WORKFLOW;
  if (subject === 'DOC') return DEFAULT_DOCUMENT_WORKFLOW;
  return DEFAULT_RECORD_WORKFLOW;
}

/** The workflow in force: the product's stored one for the subject, or the default. */
export function workflowFor(rows: readonly WorkflowRow[], productId: number, subject: string): Workflow {
  const row = rows.find((r) => r.productId === productId && r.subject === subject);
  return row === undefined ? defaultWorkflow(subject) : WorkflowSchema.parse(JSON.parse(row.definition));
}

/** A workflow's stored form. */
export const workflowDefinition = (w: Workflow): string => canonicalJson(w);

// ---------------------------------------------------------------------------------------------------------------
// The signed release record: what a release signature covers, anchoring the audit head at signing.

/** The release record a release signature signs. Its canonical JSON is the signature's `manifest`. */
export interface ReleaseManifest {
  readonly product: string;
  readonly version: string;
  readonly baseline: number;
  readonly baselineHash: string;
  readonly meaning: SignatureMeaning;
  /** The release gate at signing. */
  readonly gate: { readonly passed: boolean; readonly errors: number; readonly warnings: number };
  /** The audit trail's head when the release was signed: a later truncation of the trail below it is detected. */
  readonly auditHead: { readonly seq: number; readonly hash: string };
}

/** The manifest's canonical JSON and its SHA-256. */
export function sealReleaseManifest(m: ReleaseManifest): { manifest: string; contentHash: string } {
  const manifest = canonicalJson(m);
  return { manifest, contentHash: sha256Hex(manifest) };
}

export const ReleaseManifestSchema = z.object({
  product: z.string(),
  version: z.string(),
  baseline: z.number().int(),
  baselineHash: z.string(),
  meaning: SignatureMeaningSchema,
  gate: z.object({ passed: z.boolean(), errors: z.number().int(), warnings: z.number().int() }),
  auditHead: z.object({ seq: z.number().int(), hash: z.string() }),
});

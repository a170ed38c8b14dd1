import { z } from 'zod';
import { ProductKeySchema } from './entities.js';
import { storableText } from './validation.js';
import { RecordStatusSchema } from './catalog/lifecycle.js';
import { SafetyClassSchema } from './catalog/record-types.js';
import { PermissionSchema, RoleSchema } from './identity/model.js';
import { SignatureMeaningSchema, SignatureMethodSchema, SignedEntityTypeSchema } from './signatures/model.js';
import { ReviewOutcomeSchema, TrainingMethodSchema } from './qms/document-control.js';

/**
 * The whole store as one JSON document: products, records, revisions, links, evidence, releases, users, signatures
 * and the audit trail, verbatim.
 */
const Id = z.number().int().positive();
const Time = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'expected an ISO 8601 UTC time like 2026-01-31T12:00:00.000Z');
const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex hash');
const Text = storableText();

export const ExportedProductSchema = z.strictObject({
  id: Id,
  key: ProductKeySchema,
  name: Text,
  intendedUse: Text,
  safetyClass: SafetyClassSchema,
  createdAt: Time,
  createdBy: Text,
});

export const ExportedRecordSchema = z.strictObject({
  id: Id,
  productId: Id,
  type: z.string().min(1),
  number: Id,
  status: RecordStatusSchema,
  latestRevision: Id,
  approvedRevision: Id.nullable(),
  /** Absent in exports made before approvers were recorded. */
  approvedBy: Text.nullable().default(null),
  createdAt: Time,
  createdBy: Text,
  updatedAt: Time,
  updatedBy: Text,
});

export const ExportedRevisionSchema = z.strictObject({
  recordId: Id,
  revision: Id,
  title: Text,
  body: Text,
  fields: z.record(z.string(), z.unknown()),
  hash: Hash,
  createdAt: Time,
  createdBy: Text,
});

export const ExportedLinkSchema = z.strictObject({
  id: Id,
  productId: Id,
  type: z.string().min(1),
  fromId: Id,
  toId: Id,
  fromRevision: Id,
  toRevision: Id,
  createdAt: Time,
  createdBy: Text,
  confirmedAt: Time.nullable(),
  confirmedBy: Text.nullable(),
  removedAt: Time.nullable(),
  removedBy: Text.nullable(),
  removalReason: Text.nullable(),
});

export const ExportedAuditEventSchema = z.strictObject({
  seq: Id,
  occurredAt: Time,
  actor: Text,
  action: z.string().min(1),
  entityType: z.string().min(1),
  entityId: z.string().min(1),
  productKey: Text.nullable(),
  oldValue: Text.nullable(),
  newValue: Text.nullable(),
  reason: Text.nullable(),
  prevHash: Hash,
  hash: Hash,
});

export const ExportedRuleSettingSchema = z.strictObject({
  productId: Id,
  ruleId: z.string().min(1),
  enabled: z.boolean(),
  severity: z.enum(['error', 'warning', 'info']).nullable(),
  justification: Text,
  updatedAt: Time,
  updatedBy: Text,
});

export const ExportedRulePackSchema = z.strictObject({
  productId: Id,
  pack: z.string().min(1),
  definition: Text,
  hash: Hash,
  addedAt: Time,
  addedBy: Text,
});

const Json = z.record(z.string(), z.unknown());

export const ExportedEvidenceImportSchema = z.strictObject({
  id: Id,
  productId: Id,
  kind: z.enum(['test_run', 'commits', 'reviews', 'sbom', 'vulnerabilities']),
  source: Text,
  contentHash: Hash,
  meta: Json,
  itemCount: z.number().int().nonnegative(),
  itemsDigest: Hash,
  importedAt: Time,
  importedBy: Text,
  // Documents written before relabel and void have none of these: the version is the one the import stated.
  version: Text.nullable().optional(),
  voidedAt: Time.nullable().default(null),
  voidedBy: Text.nullable().default(null),
  voidReason: Text.nullable().default(null),
}).transform((i) => ({ ...i, version: i.version !== undefined ? i.version : i.kind === 'test_run' && typeof i.meta['version'] === 'string' ? i.meta['version'] : null }));

export const ExportedEvidenceItemSchema = z.strictObject({
  id: Id,
  importId: Id,
  productId: Id,
  kind: z.enum(['test_result', 'commit', 'review', 'component', 'advisory']),
  key: Text,
  outcome: Text.nullable(),
  data: Json,
  refs: z.array(z.strictObject({ recordId: Id, role: z.enum(['result_of', 'verifies', 'implements', 'fixes', 'refs', 'component_of']) })),
});

export const ExportedReleaseSchema = z.strictObject({
  id: Id,
  productId: Id,
  version: Text,
  baseline: Id,
  status: z.enum(['draft', 'released', 'void']),
  baselineHash: Hash,
  auditSeq: z.number().int().nonnegative(),
  auditHash: Hash,
  createdAt: Time,
  createdBy: Text,
  releasedAt: Time.nullable(),
  releasedBy: Text.nullable(),
  /** Absent in exports written before releases could be voided. */
  voidedAt: Time.nullable().default(null),
  voidedBy: Text.nullable().default(null),
  voidReason: Text.nullable().default(null),
});

export const ExportedReleaseRecordSchema = z.strictObject({ releaseId: Id, recordId: Id, revision: Id, status: z.string().min(1), hash: Hash });
export const ExportedReleaseLinkSchema = z.strictObject({
  releaseId: Id,
  linkId: Id,
  type: z.string().min(1),
  fromId: Id,
  toId: Id,
  fromRevision: Id,
  toRevision: Id,
  checkedAt: Time,
});
export const ExportedReleaseEvidenceSchema = z.strictObject({ releaseId: Id, importId: Id.nullable(), itemId: Id.nullable() });

/**
 * A user as exported: everything but the operational counters (failed attempts, lockout), which an import starts
 * afresh. The password is only its argon2id hash, so a restored store keeps its logins.
 */
export const ExportedUserSchema = z.strictObject({
  id: Id,
  username: Text,
  printedName: Text,
  passwordHash: Text.nullable(),
  passwordSetAt: Time.nullable(),
  mustChangePassword: z.boolean(),
  createdAt: Time,
  createdBy: Text,
  deactivatedAt: Time.nullable(),
  deactivatedBy: Text.nullable(),
  /** The single sign-on account the user is linked to (absent in exports written before single sign-on). */
  ssoIssuer: Text.nullable().default(null),
  ssoSubject: Text.nullable().default(null),
});

export const ExportedRoleGrantSchema = z.strictObject({
  id: Id,
  userId: Id,
  productKey: Text,
  role: RoleSchema,
  grantedAt: Time,
  grantedBy: Text,
  revokedAt: Time.nullable(),
  revokedBy: Text.nullable(),
});

/** An API token as exported: the SHA-256 of its secret (never the secret), without its last use. */
export const ExportedApiTokenSchema = z.strictObject({
  id: Id,
  secretHash: Hash,
  name: Text,
  userId: Id,
  productKey: Text,
  permissions: z.array(PermissionSchema),
  createdAt: Time,
  createdBy: Text,
  revokedAt: Time.nullable(),
  revokedBy: Text.nullable(),
});

/** An electronic signature as stored (21 CFR 11.70: a copy keeps what was signed, by whom, when and meaning what). */
export const ExportedSignatureSchema = z.strictObject({
  id: Id,
  productId: Id,
  entityType: SignedEntityTypeSchema,
  entityId: Id,
  entityKey: Text,
  revision: Id,
  contentHash: Hash,
  manifest: Text.nullable(),
  meaning: SignatureMeaningSchema,
  step: z.number().int().nonnegative(),
  userId: Id,
  username: Text,
  printedName: Text,
  signedAt: Time,
  method: SignatureMethodSchema,
});

/** A user's acceptance of the accountability statement, with the text accepted. */
export const ExportedStatementAcceptanceSchema = z.strictObject({
  id: Id,
  userId: Id,
  username: Text,
  printedName: Text,
  version: Text,
  text: Text,
  acceptedAt: Time,
});

/** A product's configured workflow for a subject (its definition as canonical JSON). */
export const ExportedWorkflowSchema = z.strictObject({
  productId: Id,
  subject: z.string().min(1),
  definition: Text,
  updatedAt: Time,
  updatedBy: Text,
});

/** A file attached to a record, as stored. */
export const ExportedAttachmentSchema = z.strictObject({
  id: Id,
  productId: Id,
  recordId: Id,
  revision: Id,
  name: Text,
  mediaType: Text,
  size: z.number().int().nonnegative(),
  sha256: Hash,
  attachedAt: Time,
  attachedBy: Text,
});

/** The bytes of attached files, once per SHA-256, as base64 (checked against the SHA-256 on import). */
export const ExportedAttachmentContentSchema = z.strictObject({
  sha256: Hash,
  size: z.number().int().nonnegative(),
  base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64'),
});

const Day = z.iso.date();

/** A document version made effective (document control, append-only). */
export const ExportedEffectivitySchema = z.strictObject({
  id: Id,
  productId: Id,
  recordId: Id,
  revision: Id,
  version: Text,
  effectiveOn: Day,
  madeAt: Time,
  madeBy: Text,
});

/** A periodic review of a document version. */
export const ExportedDocumentReviewSchema = z.strictObject({
  id: Id,
  productId: Id,
  recordId: Id,
  revision: Id,
  reviewedOn: Day,
  outcome: ReviewOutcomeSchema,
  note: Text.nullable(),
  reviewedAt: Time,
  reviewedBy: Text,
});

/** A training assignment. */
export const ExportedTrainingAssignmentSchema = z.strictObject({
  id: Id,
  productId: Id,
  recordId: Id,
  revision: Id,
  version: Text,
  username: Text,
  roleRecordId: Id.nullable(),
  assignedOn: Day,
  dueOn: Day,
  assignedAt: Time,
  assignedBy: Text,
});

/** A training completion, or a failed quiz attempt. */
export const ExportedTrainingCompletionSchema = z.strictObject({
  id: Id,
  assignmentId: Id,
  method: TrainingMethodSchema,
  score: z.number().int().min(0).max(100).nullable(),
  passMark: z.number().int().min(0).max(100).nullable(),
  passed: z.boolean(),
  signatureId: Id.nullable(),
  completedAt: Time,
});

export const STORE_EXPORT_FORMAT = 'dossier-store';
export const STORE_EXPORT_VERSION = 1;

export const StoreExportSchema = z.strictObject({
  format: z.literal(STORE_EXPORT_FORMAT),
  version: z.literal(STORE_EXPORT_VERSION),
  products: z.array(ExportedProductSchema),
  records: z.array(ExportedRecordSchema),
  revisions: z.array(ExportedRevisionSchema),
  links: z.array(ExportedLinkSchema),
  ruleSettings: z.array(ExportedRuleSettingSchema),
  rulePacks: z.array(ExportedRulePackSchema),
  /** Evidence and releases (absent in exports written before they existed). */
  evidenceImports: z.array(ExportedEvidenceImportSchema).default([]),
  evidenceItems: z.array(ExportedEvidenceItemSchema).default([]),
  releases: z.array(ExportedReleaseSchema).default([]),
  releaseRecords: z.array(ExportedReleaseRecordSchema).default([]),
  releaseLinks: z.array(ExportedReleaseLinkSchema).default([]),
  releaseEvidence: z.array(ExportedReleaseEvidenceSchema).default([]),
  /** Users, role grants and API tokens (absent in exports written before Dossier had users). */
  users: z.array(ExportedUserSchema).default([]),
  roleGrants: z.array(ExportedRoleGrantSchema).default([]),
  apiTokens: z.array(ExportedApiTokenSchema).default([]),
  /** Signatures, statement acceptances and workflows (absent in exports written before electronic signatures). */
  signatures: z.array(ExportedSignatureSchema).default([]),
  statementAcceptances: z.array(ExportedStatementAcceptanceSchema).default([]),
  workflows: z.array(ExportedWorkflowSchema).default([]),
  /** Attachments and their bytes (absent in exports written before attachments). */
  attachments: z.array(ExportedAttachmentSchema).default([]),
  attachmentContents: z.array(ExportedAttachmentContentSchema).default([]),
  /** Document control and training (absent in exports written before them). */
  documentEffectivities: z.array(ExportedEffectivitySchema).default([]),
  documentReviews: z.array(ExportedDocumentReviewSchema).default([]),
  trainingAssignments: z.array(ExportedTrainingAssignmentSchema).default([]),
  trainingCompletions: z.array(ExportedTrainingCompletionSchema).default([]),
  audit: z.array(ExportedAuditEventSchema),
});
export type StoreExport = z.infer<typeof StoreExportSchema>;

/**
 * Kysely table types: the database rows, kept apart from the domain types and joined to them by one column map per
 * entity (`entityColumns` in the repositories under `repositories/`, typed against both). Times are ISO 8601 UTC text
 * in both databases so that hashes and exports are identical on SQLite and PostgreSQL; JSON is stored as canonical
 * JSON text.
 */
export interface DossierMetaRow {
  key: string;
  value: string;
}

export interface ProductRow {
  id: number;
  key: string;
  name: string;
  intended_use: string;
  safety_class: string;
  created_at: string;
  created_by: string;
}

export interface RecordRow {
  id: number;
  product_id: number;
  type: string;
  number: number;
  status: string;
  latest_revision: number;
  approved_revision: number | null;
  /** Who moved the approved revision to approved (null: unknown, approved before this was recorded). */
  approved_by: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface RevisionRow {
  record_id: number;
  revision: number;
  title: string;
  body: string;
  fields: string;
  hash: string;
  created_at: string;
  created_by: string;
}

export interface LinkRow {
  id: number;
  product_id: number;
  type: string;
  from_id: number;
  to_id: number;
  from_revision: number;
  to_revision: number;
  created_at: string;
  created_by: string;
  confirmed_at: string | null;
  confirmed_by: string | null;
  removed_at: string | null;
  removed_by: string | null;
  removal_reason: string | null;
}

export interface AuditEventRow {
  seq: number;
  occurred_at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  product_key: string | null;
  old_value: string | null;
  new_value: string | null;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

export interface RuleSettingRow {
  product_id: number;
  rule_id: string;
  enabled: number;
  severity: string | null;
  justification: string;
  updated_at: string;
  updated_by: string;
}

export interface ProductRulePackRow {
  product_id: number;
  pack: string;
  /** The parsed pack as canonical JSON. */
  definition: string;
  hash: string;
  added_at: string;
  added_by: string;
}

export interface EvidenceImportRow {
  id: number;
  product_id: number;
  kind: string;
  source: string;
  content_hash: string;
  meta: string;
  item_count: number;
  items_digest: string;
  imported_at: string;
  imported_by: string;
  /** A test run's version; changed only by a relabel (audit-trailed). */
  version: string | null;
  /** Set once when the import is voided; never cleared. */
  voided_at: string | null;
  voided_by: string | null;
  void_reason: string | null;
}

export interface EvidenceItemRow {
  id: number;
  import_id: number;
  product_id: number;
  kind: string;
  key: string;
  outcome: string | null;
  data: string;
}

export interface EvidenceRefRow {
  item_id: number;
  record_id: number;
  role: string;
}

export interface ReleaseRow {
  id: number;
  product_id: number;
  version: string;
  baseline: number;
  status: string;
  baseline_hash: string;
  audit_seq: number;
  audit_hash: string;
  created_at: string;
  created_by: string;
  released_at: string | null;
  released_by: string | null;
  voided_at: string | null;
  voided_by: string | null;
  void_reason: string | null;
}

export interface ReleaseRecordRow {
  release_id: number;
  record_id: number;
  revision: number;
  status: string;
  hash: string;
}

export interface ReleaseLinkRow {
  release_id: number;
  link_id: number;
  type: string;
  from_id: number;
  to_id: number;
  from_revision: number;
  to_revision: number;
  checked_at: string;
}

export interface ReleaseEvidenceRow {
  release_id: number;
  import_id: number | null;
  item_id: number | null;
}

/** The whole database as Kysely sees it. */
/** Identity rows (migration 0013). Booleans are integers (0/1) on both databases. */
export interface UserTableRow {
  id: number;
  username: string;
  printed_name: string;
  password_hash: string | null;
  password_set_at: string | null;
  must_change_password: number;
  created_at: string;
  created_by: string;
  deactivated_at: string | null;
  deactivated_by: string | null;
  failed_attempts: number;
  locked_until: string | null;
  /** The single sign-on account the user is linked to (migration 0016): both set, or both null. */
  sso_issuer: string | null;
  sso_subject: string | null;
}

export interface RoleGrantTableRow {
  id: number;
  user_id: number;
  product_key: string;
  role: string;
  granted_at: string;
  granted_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

export interface SessionTableRow {
  id: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  ended_at: string | null;
  /** When the session made its first electronic signature (later signings in it need only the password). */
  signed_at: string | null;
}

export interface ApiTokenTableRow {
  id: number;
  secret_hash: string;
  name: string;
  user_id: number;
  product_key: string;
  /** Canonical JSON array of permission names. */
  permissions: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
  last_used_at: string | null;
}

export interface PasswordResetTableRow {
  secret_hash: string;
  user_id: number;
  created_at: string;
  created_by: string;
  expires_at: string;
  used_at: string | null;
}

export interface SignatureTableRow {
  id: number;
  product_id: number;
  entity_type: string;
  entity_id: number;
  entity_key: string;
  revision: number;
  content_hash: string;
  manifest: string | null;
  meaning: string;
  step: number;
  user_id: number;
  username: string;
  printed_name: string;
  signed_at: string;
  method: string;
}

export interface SignatureStatementTableRow {
  id: number;
  user_id: number;
  username: string;
  printed_name: string;
  version: string;
  text: string;
  accepted_at: string;
}

export interface WorkflowTableRow {
  product_id: number;
  subject: string;
  definition: string;
  updated_at: string;
  updated_by: string;
}

/** A login or re-authentication request sent to the OpenID provider (migration 0016; operational). */
export interface SsoRequestTableRow {
  state_hash: string;
  purpose: string;
  code_verifier: string;
  nonce: string;
  user_id: number | null;
  session_id: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A one-time ticket for signing, given by a fresh re-authentication at the provider (migration 0016). */
export interface SignTicketTableRow {
  secret_hash: string;
  user_id: number;
  session_id: string;
  auth_time: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Bytes of an attached file, stored once under their SHA-256 (migration 0018; append-only). */
export interface AttachmentContentTableRow {
  sha256: string;
  size: number;
  bytes: Uint8Array;
}

/** A file attached to a record (migration 0018; append-only). */
export interface AttachmentTableRow {
  id: number;
  product_id: number;
  record_id: number;
  revision: number;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  attached_at: string;
  attached_by: string;
}

/** A document version made effective (0017, append-only). */
export interface DocumentEffectivityTableRow {
  id: number;
  product_id: number;
  record_id: number;
  revision: number;
  version: string;
  effective_on: string;
  made_at: string;
  made_by: string;
}

/** A periodic review of a document version (0017, append-only). */
export interface DocumentReviewTableRow {
  id: number;
  product_id: number;
  record_id: number;
  revision: number;
  reviewed_on: string;
  outcome: string;
  note: string | null;
  reviewed_at: string;
  reviewed_by: string;
}

/** A training assignment (0017, append-only). */
export interface TrainingAssignmentTableRow {
  id: number;
  product_id: number;
  record_id: number;
  revision: number;
  version: string;
  username: string;
  role_record_id: number | null;
  assigned_on: string;
  due_on: string;
  assigned_at: string;
  assigned_by: string;
}

/** A training completion or failed quiz attempt (0017, append-only); passed as 0/1. */
export interface TrainingCompletionTableRow {
  id: number;
  assignment_id: number;
  method: string;
  score: number | null;
  pass_mark: number | null;
  passed: number;
  signature_id: number | null;
  completed_at: string;
}

export interface Database {
  dossier_meta: DossierMetaRow;
  products: ProductRow;
  records: RecordRow;
  revisions: RevisionRow;
  links: LinkRow;
  audit_events: AuditEventRow;
  rule_settings: RuleSettingRow;
  product_rule_packs: ProductRulePackRow;
  evidence_imports: EvidenceImportRow;
  evidence_items: EvidenceItemRow;
  evidence_refs: EvidenceRefRow;
  releases: ReleaseRow;
  release_records: ReleaseRecordRow;
  release_links: ReleaseLinkRow;
  release_evidence: ReleaseEvidenceRow;
  users: UserTableRow;
  role_grants: RoleGrantTableRow;
  sessions: SessionTableRow;
  api_tokens: ApiTokenTableRow;
  password_resets: PasswordResetTableRow;
  signatures: SignatureTableRow;
  signature_statements: SignatureStatementTableRow;
  workflows: WorkflowTableRow;
  sso_requests: SsoRequestTableRow;
  sign_tickets: SignTicketTableRow;
  attachment_contents: AttachmentContentTableRow;
  attachments: AttachmentTableRow;
  document_effectivities: DocumentEffectivityTableRow;
  document_reviews: DocumentReviewTableRow;
  training_assignments: TrainingAssignmentTableRow;
  training_completions: TrainingCompletionTableRow;
}

/** Which SQL engine a store runs on. */
export type Dialect = 'sqlite' | 'postgres';

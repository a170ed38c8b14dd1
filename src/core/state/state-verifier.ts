import { qualifiedKey, type Link, type Product, type ProductRulePack, type RecordHead, type RuleSetting } from '../entities.js';
import { canonicalJson, sha256Bytes, sha256Hex } from '../hashing.js';
import type { IntegrityProblem, IntegrityReport } from '../integrity.js';
import { baselineHash, type BaselineRows } from '../evidence/baseline-hash.js';
import type { EvidenceImport, Release } from '../evidence/model.js';
import { linkEntityId } from '../record-writes.js';
import {
  releaseStateKey,
  StateReplayer,
  type ExpectedEvidenceImport,
  type ExpectedLink,
  type ExpectedProduct,
  type ExpectedRecord,
  type ExpectedRelease,
  type ExpectedRulePack,
  type ExpectedRuleSetting,
  type ExpectedApiToken,
  type ExpectedRoleGrant,
  type ExpectedUser,
  type ExpectedSignature,
  type ExpectedStatementAcceptance,
  type ExpectedWorkflow,
  type ExpectedAttachment,
} from './expected-state.js';
import { attachmentEntityId, type AttachmentRow } from '../attachments/model.js';
import type { AttachmentContent } from '../attachments/ports.js';
import {
  ReleaseManifestSchema,
  signatureEntityId,
  statementEntityId,
  workflowEntityId,
  type StatementAcceptanceRow,
  type WorkflowRow,
} from '../signatures/model.js';
import type { SignatureCheckRow } from '../signatures/ports.js';
import {
  assignmentEntityId,
  assignmentEventValue,
  completionEntityId,
  completionEventValue,
  documentReviewEntityId,
  documentReviewEventValue,
  effectivityEntityId,
  effectivityEventValue,
  type DocumentControlTable,
  type DocumentReviewRow,
  type EffectivityRow,
  type TrainingAssignmentRow,
  type TrainingCompletionRow,
} from '../qms/document-control.js';
import type { StateEvent } from '../ports.js';
import { grantEntityId, tokenEntityId, userEntityId, type ApiTokenRow, type RoleGrantRow, type UserRow } from '../identity/model.js';

/** What the current-state check found, to add to an `IntegrityReport`. */
export interface StateCheckResult {
  readonly rowsChecked: number;
  readonly baselinesChecked: number;
  readonly problems: readonly IntegrityProblem[];
}

/** One compared column: its name in messages, the stored value and the value the audit trail proves. */
interface Column<S, E> {
  readonly name: string;
  readonly stored: (s: S) => unknown;
  readonly expected: (e: E) => unknown;
}

// The tables of compared columns, one per kind of row. A new mutable column is one more line here (and its reducer
// in expected-state.ts). The columns that identify a row (product key, record type and number, link ID, rule ID,
// pack name, release version and baseline) are the key it is looked up by.
const PRODUCT_COLUMNS: readonly Column<Product, ExpectedProduct>[] = [
  { name: 'name', stored: (s) => s.name, expected: (e) => e.name },
  { name: 'intended use', stored: (s) => s.intendedUse, expected: (e) => e.intendedUse },
  { name: 'safety class', stored: (s) => s.safetyClass, expected: (e) => e.safetyClass },
  { name: 'created at', stored: (s) => s.createdAt, expected: (e) => e.created.at },
  { name: 'created by', stored: (s) => s.createdBy, expected: (e) => e.created.by },
];

const RECORD_COLUMNS: readonly Column<RecordHead, ExpectedRecord>[] = [
  { name: 'status', stored: (s) => s.status, expected: (e) => e.status },
  { name: 'latest revision', stored: (s) => s.latestRevision, expected: (e) => e.latestRevision },
  { name: 'approved revision', stored: (s) => s.approvedRevision, expected: (e) => e.approvedRevision },
  { name: 'approved by', stored: (s) => s.approvedBy, expected: (e) => e.approvedBy },
  { name: 'created at', stored: (s) => s.createdAt, expected: (e) => e.created.at },
  { name: 'created by', stored: (s) => s.createdBy, expected: (e) => e.created.by },
  { name: 'updated at', stored: (s) => s.updatedAt, expected: (e) => e.updated.at },
  { name: 'updated by', stored: (s) => s.updatedBy, expected: (e) => e.updated.by },
];

/** A stored link with its ends and product named as the audit trail names them. */
interface NamedLink {
  readonly link: Link;
  readonly productKey: string | undefined;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

const LINK_COLUMNS: readonly Column<NamedLink, ExpectedLink>[] = [
  { name: 'product', stored: (s) => s.productKey, expected: (e) => e.productKey },
  { name: 'type', stored: (s) => s.link.type, expected: (e) => e.type },
  { name: 'from', stored: (s) => s.from, expected: (e) => e.from },
  { name: 'to', stored: (s) => s.to, expected: (e) => e.to },
  { name: 'from revision', stored: (s) => s.link.fromRevision, expected: (e) => e.fromRevision },
  { name: 'to revision', stored: (s) => s.link.toRevision, expected: (e) => e.toRevision },
  { name: 'created at', stored: (s) => s.link.createdAt, expected: (e) => e.created.at },
  { name: 'created by', stored: (s) => s.link.createdBy, expected: (e) => e.created.by },
  { name: 'confirmed at', stored: (s) => s.link.confirmedAt, expected: (e) => e.confirmed?.at ?? null },
  { name: 'confirmed by', stored: (s) => s.link.confirmedBy, expected: (e) => e.confirmed?.by ?? null },
  { name: 'removed at', stored: (s) => s.link.removedAt, expected: (e) => e.removed?.at ?? null },
  { name: 'removed by', stored: (s) => s.link.removedBy, expected: (e) => e.removed?.by ?? null },
  { name: 'removal reason', stored: (s) => s.link.removalReason, expected: (e) => e.removed?.reason ?? null },
];

const RULE_SETTING_COLUMNS: readonly Column<RuleSetting, ExpectedRuleSetting>[] = [
  { name: 'enabled', stored: (s) => s.enabled, expected: (e) => e.enabled },
  { name: 'severity', stored: (s) => s.severity, expected: (e) => e.severity },
  { name: 'justification', stored: (s) => s.justification, expected: (e) => e.justification },
  { name: 'updated at', stored: (s) => s.updatedAt, expected: (e) => e.updated.at },
  { name: 'updated by', stored: (s) => s.updatedBy, expected: (e) => e.updated.by },
];

const RULE_PACK_COLUMNS: readonly Column<ProductRulePack, ExpectedRulePack>[] = [
  { name: 'hash', stored: (s) => s.hash, expected: (e) => e.hash },
  // The definition is what is in force: it must hash to the recorded hash.
  { name: 'definition hash', stored: (s) => sha256Hex(s.definition), expected: (e) => e.hash },
  { name: 'added at', stored: (s) => s.addedAt, expected: (e) => e.added.at },
  { name: 'added by', stored: (s) => s.addedBy, expected: (e) => e.added.by },
];

const RELEASE_COLUMNS: readonly Column<Release, ExpectedRelease>[] = [
  { name: 'status', stored: (s) => s.status, expected: (e) => e.status },
  { name: 'baseline hash', stored: (s) => s.baselineHash, expected: (e) => e.baselineHash },
  { name: 'audit head', stored: (s) => `${s.auditSeq} ${s.auditHash}`, expected: (e) => `${e.auditSeq} ${e.auditHash}` },
  { name: 'created at', stored: (s) => s.createdAt, expected: (e) => e.created.at },
  { name: 'created by', stored: (s) => s.createdBy, expected: (e) => e.created.by },
  { name: 'released at', stored: (s) => s.releasedAt, expected: (e) => e.released?.at ?? null },
  { name: 'released by', stored: (s) => s.releasedBy, expected: (e) => e.released?.by ?? null },
  { name: 'voided at', stored: (s) => s.voidedAt, expected: (e) => e.voided?.at ?? null },
  { name: 'voided by', stored: (s) => s.voidedBy, expected: (e) => e.voided?.by ?? null },
  { name: 'void reason', stored: (s) => s.voidReason, expected: (e) => e.voided?.reason ?? null },
];

// Item count and digest are compared with the event by `IntegrityVerifier.checkEvidence`, with the items.
const EVIDENCE_IMPORT_COLUMNS: readonly Column<EvidenceImport, ExpectedEvidenceImport>[] = [
  { name: 'kind', stored: (s) => s.kind, expected: (e) => e.kind },
  { name: 'source', stored: (s) => s.source, expected: (e) => e.source },
  { name: 'content hash', stored: (s) => s.contentHash, expected: (e) => e.contentHash },
  { name: 'facts', stored: (s) => canonicalJson(s.meta), expected: (e) => e.meta },
  { name: 'imported at', stored: (s) => s.importedAt, expected: (e) => e.imported.at },
  { name: 'imported by', stored: (s) => s.importedBy, expected: (e) => e.imported.by },
  { name: 'version', stored: (s) => s.version, expected: (e) => e.version },
  { name: 'voided at', stored: (s) => s.voidedAt, expected: (e) => e.voided?.at ?? null },
  { name: 'voided by', stored: (s) => s.voidedBy, expected: (e) => e.voided?.by ?? null },
  { name: 'void reason', stored: (s) => s.voidReason, expected: (e) => e.voided?.reason ?? null },
];

// Identity: password hashes, failed attempts, lockouts and last-use times are not in the trail (never a hash in an
// event; the rest is operational), so they are not compared.
const USER_COLUMNS: readonly Column<UserRow, ExpectedUser>[] = [
  { name: 'printed name', stored: (s) => s.printedName, expected: (e) => e.printedName },
  { name: 'created at', stored: (s) => s.createdAt, expected: (e) => e.created.at },
  { name: 'created by', stored: (s) => s.createdBy, expected: (e) => e.created.by },
  { name: 'password set at', stored: (s) => s.passwordSetAt, expected: (e) => e.passwordSetAt },
  { name: 'must change password', stored: (s) => s.mustChangePassword, expected: (e) => e.mustChangePassword },
  { name: 'deactivated at', stored: (s) => s.deactivatedAt, expected: (e) => e.deactivated?.at ?? null },
  { name: 'deactivated by', stored: (s) => s.deactivatedBy, expected: (e) => e.deactivated?.by ?? null },
  // A forged link would let someone else's provider account log in as this user.
  { name: 'single sign-on issuer', stored: (s) => s.ssoIssuer, expected: (e) => e.ssoIssuer },
  { name: 'single sign-on subject', stored: (s) => s.ssoSubject, expected: (e) => e.ssoSubject },
];

/** A stored grant with its user named as the audit trail names it. */
interface NamedGrant {
  readonly grant: RoleGrantRow;
  readonly username: string | undefined;
}

const ROLE_GRANT_COLUMNS: readonly Column<NamedGrant, ExpectedRoleGrant>[] = [
  { name: 'user', stored: (s) => s.username, expected: (e) => e.username },
  { name: 'product', stored: (s) => s.grant.productKey, expected: (e) => e.productKey },
  { name: 'role', stored: (s) => s.grant.role, expected: (e) => e.role },
  { name: 'granted at', stored: (s) => s.grant.grantedAt, expected: (e) => e.granted.at },
  { name: 'granted by', stored: (s) => s.grant.grantedBy, expected: (e) => e.granted.by },
  { name: 'revoked at', stored: (s) => s.grant.revokedAt, expected: (e) => e.revoked?.at ?? null },
  { name: 'revoked by', stored: (s) => s.grant.revokedBy, expected: (e) => e.revoked?.by ?? null },
];

interface NamedToken {
  readonly token: ApiTokenRow;
  readonly username: string | undefined;
}

const API_TOKEN_COLUMNS: readonly Column<NamedToken, ExpectedApiToken>[] = [
  { name: 'name', stored: (s) => s.token.name, expected: (e) => e.name },
  { name: 'user', stored: (s) => s.username, expected: (e) => e.username },
  { name: 'product', stored: (s) => s.token.productKey, expected: (e) => e.productKey },
  { name: 'permissions', stored: (s) => canonicalJson(s.token.permissions), expected: (e) => e.permissions },
  { name: 'created at', stored: (s) => s.token.createdAt, expected: (e) => e.created.at },
  { name: 'created by', stored: (s) => s.token.createdBy, expected: (e) => e.created.by },
  { name: 'revoked at', stored: (s) => s.token.revokedAt, expected: (e) => e.revoked?.at ?? null },
  { name: 'revoked by', stored: (s) => s.token.revokedBy, expected: (e) => e.revoked?.by ?? null },
];

/** A stored signature with its product, the entity its internal ID points at, and its user, named as the trail names them. */
interface NamedSignature {
  readonly signature: SignatureCheckRow;
  readonly productKey: string | undefined;
  /** `RPM/SRS-12`, or `RPM/release/1.2.0#2` (a release signature signs one baseline). */
  readonly signed: string | undefined;
  readonly user: string | undefined;
}

/** What the signature's event says it signed, named like `NamedSignature.signed`. */
const signedEntity = (e: ExpectedSignature): string => (e.entityType === 'release' ? `${e.entity}#${e.revision}` : e.entity);

// 21 CFR 11.70: every column, so a signature can be neither changed nor moved to another record or revision.
const SIGNATURE_COLUMNS: readonly Column<NamedSignature, ExpectedSignature>[] = [
  { name: 'product', stored: (s) => s.productKey, expected: (e) => e.productKey },
  { name: 'entity type', stored: (s) => s.signature.entityType, expected: (e) => e.entityType },
  { name: 'entity key', stored: (s) => s.signature.entityKey, expected: (e) => e.entity },
  { name: 'signed entity', stored: (s) => s.signed, expected: signedEntity },
  { name: 'revision', stored: (s) => s.signature.revision, expected: (e) => e.revision },
  { name: 'content hash', stored: (s) => s.signature.contentHash, expected: (e) => e.contentHash },
  { name: 'manifest', stored: (s) => s.signature.manifest, expected: (e) => e.manifest },
  { name: 'meaning', stored: (s) => s.signature.meaning, expected: (e) => e.meaning },
  { name: 'step', stored: (s) => s.signature.step, expected: (e) => e.step },
  { name: 'user', stored: (s) => s.user, expected: (e) => e.username },
  { name: 'username', stored: (s) => s.signature.username, expected: (e) => e.username },
  { name: 'printed name', stored: (s) => s.signature.printedName, expected: (e) => e.printedName },
  { name: 'signed at', stored: (s) => s.signature.signedAt, expected: (e) => e.signedAt },
  { name: 'method', stored: (s) => s.signature.method, expected: (e) => e.method },
];

interface NamedStatementAcceptance {
  readonly acceptance: StatementAcceptanceRow;
  readonly user: string | undefined;
}

const STATEMENT_ACCEPTANCE_COLUMNS: readonly Column<NamedStatementAcceptance, ExpectedStatementAcceptance>[] = [
  { name: 'user', stored: (s) => s.user, expected: (e) => e.username },
  { name: 'username', stored: (s) => s.acceptance.username, expected: (e) => e.username },
  { name: 'printed name', stored: (s) => s.acceptance.printedName, expected: (e) => e.printedName },
  { name: 'version', stored: (s) => s.acceptance.version, expected: (e) => e.version },
  { name: 'text', stored: (s) => s.acceptance.text, expected: (e) => e.text },
  { name: 'accepted at', stored: (s) => s.acceptance.acceptedAt, expected: (e) => e.acceptedAt },
];

const WORKFLOW_COLUMNS: readonly Column<WorkflowRow, ExpectedWorkflow>[] = [
  { name: 'definition', stored: (s) => s.definition, expected: (e) => e.definition },
  { name: 'updated at', stored: (s) => s.updatedAt, expected: (e) => e.updated.at },
  { name: 'updated by', stored: (s) => s.updatedBy, expected: (e) => e.updated.by },
];

/** A stored attachment with its product and record named as the trail names them. */
interface NamedAttachment {
  readonly attachment: AttachmentRow;
  readonly productKey: string | undefined;
  readonly record: string | undefined;
}

// Every column: an attachment can be neither changed nor moved to another record, revision or content.
const ATTACHMENT_COLUMNS: readonly Column<NamedAttachment, ExpectedAttachment>[] = [
  { name: 'product', stored: (s) => s.productKey, expected: (e) => e.productKey },
  { name: 'record', stored: (s) => s.record, expected: (e) => e.record },
  { name: 'revision', stored: (s) => s.attachment.revision, expected: (e) => e.revision },
  { name: 'name', stored: (s) => s.attachment.name, expected: (e) => e.name },
  { name: 'media type', stored: (s) => s.attachment.mediaType, expected: (e) => e.mediaType },
  { name: 'size', stored: (s) => s.attachment.size, expected: (e) => e.size },
  { name: 'sha256', stored: (s) => s.attachment.sha256, expected: (e) => e.sha256 },
  { name: 'attached at', stored: (s) => s.attachment.attachedAt, expected: (e) => e.attached.at },
  { name: 'attached by', stored: (s) => s.attachment.attachedBy, expected: (e) => e.attached.by },
];

const MAX_PROBLEMS = 100;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A compared value as a message shows it; columns hold only text, numbers, booleans or null. */
function show(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return `'${v}'`;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/**
 * Checks the store's current state against the audit trail: feed every event (`applyEvents`, in sequence order),
 * then the rows of each table (products first: the other tables name products by internal ID, records before
 * links for the same reason), then each release's baseline rows; `finish` reports what the trail has but the
 * store lacks. Pure: the caller pages rows from a store or an import file.
 */
export class StateVerifier {
  private readonly replay = new StateReplayer();
  private readonly found: IntegrityProblem[] = [];
  private rows = 0;
  private identityChecked = false;
  private baselines = 0;
  private readonly productKeys = new Map<number, string>();
  /** Record ID → `RPM/SRS-12`, to name link ends as the audit trail does. */
  private readonly recordKeys = new Map<number, string>();
  /** Release rows by ID, to name what a release signature points at and check its manifest. */
  private readonly releaseRows = new Map<number, Release>();
  /** User ID → username, to name the signer of a signature and the user of an acceptance. */
  private readonly usernames = new Map<number, string>();
  /** SHA-256 → the attachments stored under it (`RPM/SRS-12 report.pdf`), to name them when the bytes differ. */
  private readonly attachmentFiles = new Map<string, { readonly item: string; readonly label: string }[]>();
  /** SHA-256s whose stored bytes `checkAttachmentContents` has seen. */
  private readonly contentsSeen = new Set<string>();
  private contentsChecked = false;
  /** Training assignment ID → `RPM/DOC-3/training/7`, to name what a training signature signs. */
  private readonly assignmentKeys = new Map<number, string>();

  /** Feeds the next page of events, in sequence order (only `STATE_EVENT_ACTIONS` matter); call before any rows. */
  applyEvents(page: readonly StateEvent[]): void {
    this.replay.apply(page);
  }

  /** Feeds every product; call first (other rows name their product by internal ID). */
  checkProducts(rows: readonly Product[]): void {
    for (const p of rows) {
      this.productKeys.set(p.id, p.key);
      this.compare('product', p.key, this.replay.state.products, p, PRODUCT_COLUMNS);
    }
  }

  /** Feeds the next page of record heads. */
  checkRecords(page: readonly RecordHead[]): void {
    for (const r of page) {
      const key = qualifiedKey(this.productKey(r.productId), r.type, r.number);
      this.recordKeys.set(r.id, key);
      this.compare('record', key, this.replay.state.records, r, RECORD_COLUMNS);
    }
  }

  /** Feeds the next page of links (removed ones too). */
  checkLinks(page: readonly Link[]): void {
    for (const l of page) {
      const productKey = this.productKeys.get(l.productId);
      const named: NamedLink = { link: l, productKey, from: this.recordKeys.get(l.fromId), to: this.recordKeys.get(l.toId) };
      this.compare('link', linkEntityId(productKey ?? `product#${l.productId}`, l.id), this.replay.state.links, named, LINK_COLUMNS);
    }
  }

  /** Feeds every rule setting. */
  checkRuleSettings(rows: readonly RuleSetting[]): void {
    for (const s of rows) this.compare('rule setting', `${this.productKey(s.productId)}/rule/${s.ruleId}`, this.replay.state.ruleSettings, s, RULE_SETTING_COLUMNS);
  }

  /** Feeds every product rule pack: its definition must hash to the hash its RULE_PACK_ADDED event recorded. */
  checkRulePacks(rows: readonly ProductRulePack[]): void {
    for (const p of rows) this.compare('rule pack', `${this.productKey(p.productId)}/pack/${p.pack}`, this.replay.state.rulePacks, p, RULE_PACK_COLUMNS);
  }

  /** Feeds every release baseline row (status, hashes, who released it and when). */
  checkReleases(rows: readonly Release[]): void {
    for (const r of rows) {
      this.releaseRows.set(r.id, r);
      this.compare('release', releaseStateKey(this.productKey(r.productId), r.version, r.baseline), this.replay.state.releases, r, RELEASE_COLUMNS);
    }
  }

  /** Evidence import rows; one without an event is reported by `IntegrityVerifier.checkEvidence`, not here. */
  checkEvidenceImports(rows: readonly EvidenceImport[]): void {
    for (const i of rows) {
      this.compare('evidence import', `${this.productKey(i.productId)}/evidence/${i.id}`, this.replay.state.evidenceImports, i, EVIDENCE_IMPORT_COLUMNS, false);
    }
  }

  /**
   * Feeds every user, then (with them known) every role grant and API token. A store's identity rows are checked
   * only when this is called: an export document carries none, so its check leaves them out.
   */
  checkIdentity(users: readonly UserRow[], grants: readonly RoleGrantRow[], tokens: readonly ApiTokenRow[]): void {
    this.identityChecked = true;
    const names = new Map<number, string>();
    for (const u of users) {
      names.set(u.id, u.username);
      this.usernames.set(u.id, u.username);
      this.compare('user', userEntityId(u.username), this.replay.state.users, u, USER_COLUMNS);
    }
    for (const g of grants) {
      const username = names.get(g.userId);
      this.compare('role grant', grantEntityId(username ?? `user#${g.userId}`, g.id), this.replay.state.roleGrants, { grant: g, username }, ROLE_GRANT_COLUMNS);
    }
    for (const t of tokens) {
      this.compare('API token', tokenEntityId(t.id), this.replay.state.apiTokens, { token: t, username: names.get(t.userId) }, API_TOKEN_COLUMNS);
    }
  }

  /**
   * Feeds the next page of signatures; call after records, releases and identity (a signature names them by
   * internal ID). Each must be the row its SIGNATURE_APPLIED event recorded, on the entity and revision it names,
   * and must still match what was signed (21 CFR 11.70): a record signature the stored hash of the revision it
   * names (`revisionHash`; `IntegrityVerifier` checks that hash against the revision's content and its event), a
   * release signature its manifest, which must hash to its content hash and name its release's baseline.
   */
  checkSignatures(page: readonly SignatureCheckRow[]): void {
    const state = this.replay.state;
    for (const s of page) {
      const key = state.signatureIds.get(s.id) ?? signatureEntityId(s.entityKey, s.id);
      const release = s.entityType === 'release' ? this.releaseRows.get(s.entityId) : undefined;
      const signed =
        s.entityType === 'record'
          ? this.recordKeys.get(s.entityId)
          : s.entityType === 'training'
            ? this.assignmentKeys.get(s.entityId)
            : release === undefined
            ? undefined
            : releaseStateKey(this.productKey(release.productId), release.version, release.baseline);
      const productKey = this.productKeys.get(s.productId);
      const named: NamedSignature = { signature: s, productKey, signed, user: this.usernames.get(s.userId) };
      if (state.signatures.has(key)) state.signatureIds.delete(s.id);
      this.compare('signature', key, state.signatures, named, SIGNATURE_COLUMNS);
      if (s.entityType === 'record' || s.entityType === 'training') this.checkRecordSignature(key, s, signed ?? s.entityKey);
      else this.checkReleaseSignature(key, s, release);
    }
  }

  /** Feeds every acceptance of the accountability statement; call after identity. */
  checkStatementAcceptances(rows: readonly StatementAcceptanceRow[]): void {
    for (const a of rows) {
      const user = this.usernames.get(a.userId);
      const key = statementEntityId(user ?? a.username, a.version);
      this.compare('statement acceptance', key, this.replay.state.statementAcceptances, { acceptance: a, user }, STATEMENT_ACCEPTANCE_COLUMNS);
    }
  }

  /**
   * Feeds every document effectivity, periodic review, training assignment and completion (append-only rows); call
   * after records and before signatures (a training signature names its assignment). Each must be the row its event
   * recorded, column by column, named as the trail names them.
   */
  checkDocumentControl(rows: {
    readonly effectivities: readonly EffectivityRow[];
    readonly reviews: readonly DocumentReviewRow[];
    readonly assignments: readonly TrainingAssignmentRow[];
    readonly completions: readonly TrainingCompletionRow[];
  }): void {
    const recordKey = (id: number): string => this.recordKeys.get(id) ?? `record#${id}`;
    for (const r of rows.effectivities) {
      const n = { productKey: this.productKey(r.productId), recordKey: recordKey(r.recordId) };
      this.compareDocumentControl('effectivities', r.id, effectivityEntityId(n.recordKey, r.id), effectivityEventValue(r, n));
    }
    for (const r of rows.reviews) {
      const n = { productKey: this.productKey(r.productId), recordKey: recordKey(r.recordId) };
      this.compareDocumentControl('reviews', r.id, documentReviewEntityId(n.recordKey, r.id), documentReviewEventValue(r, n));
    }
    for (const r of rows.assignments) {
      const n = { productKey: this.productKey(r.productId), recordKey: recordKey(r.recordId), roleKey: r.roleRecordId === null ? null : recordKey(r.roleRecordId) };
      const key = assignmentEntityId(n.recordKey, r.id);
      this.assignmentKeys.set(r.id, key);
      this.compareDocumentControl('assignments', r.id, key, assignmentEventValue(r, n));
    }
    const assignments = new Map(rows.assignments.map((a) => [a.id, a]));
    for (const r of rows.completions) {
      const a = assignments.get(r.assignmentId);
      const assignmentKey = this.assignmentKeys.get(r.assignmentId) ?? `training#${r.assignmentId}`;
      const n = { productKey: a === undefined ? `product#?` : this.productKey(a.productId), recordKey: '', assignmentKey };
      this.compareDocumentControl('completions', r.id, completionEntityId(assignmentKey, r.id), completionEventValue(r, n));
    }
  }

  private compareDocumentControl(table: DocumentControlTable, id: number, named: string, stored: Record<string, unknown>): void {
    const state = this.replay.state;
    const key = state.documentControlIds.get(`${table}#${id}`) ?? named;
    state.documentControlIds.delete(`${table}#${id}`);
    const e = state.documentControl.get(key);
    const what = { effectivities: 'document effectivity', reviews: 'document review', assignments: 'training assignment', completions: 'training completion' }[table];
    const names = [...new Set([...Object.keys(stored), ...Object.keys(e?.value ?? {})])];
    const columns: Column<Record<string, unknown>, { readonly value: Readonly<Record<string, unknown>> }>[] = [
      { name: 'entity', stored: () => named, expected: () => key },
      ...names.map((k) => ({ name: k, stored: (x: Record<string, unknown>) => x[k] ?? null, expected: (x: { readonly value: Readonly<Record<string, unknown>> }) => x.value[k] ?? null })),
    ];
    this.compare(what, key, state.documentControl, stored, columns);
  }

  /** Feeds every configured workflow. */
  checkWorkflows(rows: readonly WorkflowRow[]): void {
    for (const w of rows) {
      this.compare('workflow', workflowEntityId(this.productKey(w.productId), w.subject), this.replay.state.workflows, w, WORKFLOW_COLUMNS);
    }
  }

  /**
   * Feeds the next page of attachments; call after products and records (an attachment names them by internal ID).
   * Each must be the row its ATTACHMENT_ADDED event recorded, on the record it names.
   */
  checkAttachments(page: readonly AttachmentRow[]): void {
    const state = this.replay.state;
    for (const a of page) {
      const productKey = this.productKeys.get(a.productId);
      const record = this.recordKeys.get(a.recordId);
      const key = state.attachmentIds.get(a.id) ?? attachmentEntityId(record ?? `record#${a.recordId}`, a.id);
      if (state.attachments.has(key)) state.attachmentIds.delete(a.id);
      this.compare('attachment', key, state.attachments, { attachment: a, productKey, record }, ATTACHMENT_COLUMNS);
      const files = this.attachmentFiles.get(a.sha256) ?? [];
      files.push({ item: key, label: `${record ?? `record#${a.recordId}`} ${a.name}` });
      this.attachmentFiles.set(a.sha256, files);
    }
  }

  /**
   * Feeds the next page of stored attachment contents; call after every attachment. Each content's bytes are
   * hashed again: bytes that no longer hash to the SHA-256 they are stored under are reported, naming every record
   * and file that attaches them.
   */
  checkAttachmentContents(page: readonly AttachmentContent[]): void {
    this.contentsChecked = true;
    for (const c of page) {
      this.rows++;
      this.contentsSeen.add(c.sha256);
      const actual = sha256Bytes(c.bytes);
      if (actual === c.sha256 && c.bytes.length === c.size) continue;
      const files = this.attachmentFiles.get(c.sha256) ?? [];
      const named = files.length === 0 ? `stored content ${c.sha256.slice(0, 12)}…` : files.map((f) => f.label).join(', ');
      const why =
        actual !== c.sha256 ? `its stored bytes hash to ${actual}, not to its sha256 ${c.sha256}` : `its stored bytes are ${c.bytes.length} long, not ${c.size}`;
      this.problem({ kind: 'attachment_altered', item: files[0]?.item ?? c.sha256, message: `attachment ${named}: ${why}: they were changed after it was attached` });
    }
  }

  private checkRecordSignature(item: string, s: SignatureCheckRow, record: string): void {
    const what = `signature ${s.id} on ${record} revision ${s.revision}`;
    if (s.revisionHash === null) {
      this.problem({ kind: 'signature_mismatch', item, message: `${what} names a revision the store does not have` });
    } else if (s.revisionHash !== s.contentHash) {
      this.problem({ kind: 'signature_mismatch', item, message: `${what} does not match that revision's content` });
    }
  }

  private checkReleaseSignature(item: string, s: SignatureCheckRow, release: Release | undefined): void {
    if (s.entityType !== 'release') {
      const message = `signature ${s.id} on ${s.entityKey} signs a '${String(s.entityType)}', which is neither a record nor a release`;
      this.problem({ kind: 'signature_mismatch', item, message });
      return;
    }
    const what = `signature ${s.id} on ${s.entityKey.replace('/release/', ' ')} baseline ${s.revision}`;
    const mismatch = (why: string): void => this.problem({ kind: 'signature_mismatch', item, message: `${what} ${why}` });
    if (release === undefined) return mismatch('names a release the store does not have');
    if (s.manifest === null) return mismatch('carries no release manifest: what it signed cannot be shown');
    if (sha256Hex(s.manifest) !== s.contentHash) {
      return mismatch('does not match its manifest: the manifest or its hash was changed after signing');
    }
    const parsed = ReleaseManifestSchema.safeParse(parseJson(s.manifest));
    if (!parsed.success) return mismatch('has a manifest that is not a release manifest');
    const m = parsed.data;
    const productKey = this.productKey(release.productId);
    const differs = [
      m.product !== productKey ? `product ${m.product} (the release's is ${productKey})` : null,
      m.version !== release.version ? `version ${m.version} (the release's is ${release.version})` : null,
      m.baseline !== release.baseline ? `baseline ${m.baseline} (the release's is ${release.baseline})` : null,
      m.baselineHash !== release.baselineHash
        ? `baseline hash ${m.baselineHash.slice(0, 12)}… (the release's is ${release.baselineHash.slice(0, 12)}…)`
        : null,
      m.meaning !== s.meaning ? `meaning '${m.meaning}' (the signature's is '${s.meaning}')` : null,
    ].filter((d) => d !== null);
    if (differs.length > 0) mismatch(`has a manifest naming ${differs.join(', ')}: it does not sign this release`);
  }

  /**
   * Recomputes a baseline's hash from its frozen rows, exactly as `createRelease` computed it, and compares it with
   * the release row (whose hash `checkReleases` compares with its RELEASE_CREATED event).
   */
  checkBaseline(release: Release, rows: BaselineRows): void {
    this.baselines++;
    const productKey = this.productKey(release.productId);
    const actual = baselineHash({ productKey, version: release.version, baseline: release.baseline, auditSeq: release.auditSeq, auditHash: release.auditHash }, rows);
    if (actual !== release.baselineHash) {
      const item = releaseStateKey(productKey, release.version, release.baseline);
      this.problem({
        kind: 'baseline_altered',
        item,
        message: `release ${productKey} ${release.version} baseline ${release.baseline}: its frozen records, links and evidence do not hash to its baseline hash: they were changed after it was frozen`,
      });
    }
  }

  /** The result; rows the audit trail proves but the store lacks are reported here. */
  finish(): StateCheckResult {
    for (const p of this.replay.problems) this.problem({ kind: 'state_unprovable', seq: p.seq, item: p.item, message: p.message });
    const s = this.replay.state;
    const missing: [string, Map<string, unknown>][] = [
      ['product', s.products],
      ['record', s.records],
      ['link', s.links],
      ['rule setting', s.ruleSettings],
      ['rule pack', s.rulePacks],
      ['release', s.releases],
      ['evidence import', s.evidenceImports],
      ['signature', s.signatures],
      ['statement acceptance', s.statementAcceptances],
      ['workflow', s.workflows],
      ['attachment', s.attachments],
      ['document control row', s.documentControl],
      ...(this.identityChecked
        ? ([
            ['user', s.users],
            ['role grant', s.roleGrants],
            ['API token', s.apiTokens],
          ] as [string, Map<string, unknown>][])
        : []),
    ];
    if (this.contentsChecked) {
      for (const [sha, files] of this.attachmentFiles) {
        if (this.contentsSeen.has(sha)) continue;
        for (const f of files) this.problem({ kind: 'attachment_altered', item: f.item, message: `attachment ${f.label}: its bytes (sha256 ${sha}) are missing from the store` });
      }
    }
    for (const [what, map] of missing) {
      for (const key of map.keys()) this.problem({ kind: 'state_missing', item: key, message: `${what} ${key} is in the audit trail but missing from the store` });
      map.clear();
    }
    return { rowsChecked: this.rows, baselinesChecked: this.baselines, problems: this.found.slice(0, MAX_PROBLEMS) };
  }

  private productKey(id: number): string {
    return this.productKeys.get(id) ?? `product#${id}`;
  }

  /** Compares one stored row with its expected state, column by column, and forgets the expected row. */
  private compare<S, E>(what: string, key: string, expected: Map<string, E>, stored: S, columns: readonly Column<S, E>[], reportUnrecorded = true): void {
    this.rows++;
    const e = expected.get(key);
    if (e === undefined) {
      if (reportUnrecorded) this.problem({ kind: 'state_unrecorded', item: key, message: `${what} ${key} has no audit event: it was written outside the application` });
      return;
    }
    expected.delete(key);
    for (const c of columns) {
      const [a, b] = [c.stored(stored), c.expected(e)];
      if (a !== b) {
        this.problem({
          kind: 'state_altered',
          item: key,
          message: `${what} ${key}: ${c.name} is ${show(a)} in the store but ${show(b)} by the audit trail`,
        });
      }
    }
  }

  private problem(p: IntegrityProblem): void {
    if (this.found.length <= MAX_PROBLEMS) this.found.push(p);
  }
}

/** Adds the current-state check to a verification report: its problems come after those of the chain. */
export function withStateCheck(report: IntegrityReport, state: StateCheckResult): IntegrityReport {
  const problems = [...report.problems, ...state.problems].slice(0, MAX_PROBLEMS);
  return {
    ...report,
    ok: report.ok && state.problems.length === 0,
    stateRowsChecked: state.rowsChecked,
    baselinesChecked: state.baselinesChecked,
    firstProblem: problems[0] ?? null,
    problems,
  };
}

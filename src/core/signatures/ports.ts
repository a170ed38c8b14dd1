import type { SignatureRow, StatementAcceptanceRow, WorkflowRow } from './model.js';

/** A record waiting in review, with what its latest revision already carries: the approvals inbox's input. */
export interface PendingRecordRow {
  readonly recordId: number;
  readonly productId: number;
  readonly type: string;
  readonly number: number;
  readonly title: string;
  readonly revision: number;
  /** The actor who wrote the latest revision. */
  readonly author: string;
  readonly updatedAt: string;
}

/** What the workflow rules read of a signature already given: which step, by whom, when, meaning what. */
export type SignatureStep = Pick<SignatureRow, 'entityId' | 'step' | 'userId' | 'meaning' | 'signedAt'>;

/**
 * A signature as verification reads it: its columns as stored (not parsed, so a value changed outside the application
 * is reported rather than thrown), with the stored hash of the record revision it names (null for a release
 * signature, or when the store has no such revision).
 */
export interface SignatureCheckRow extends SignatureRow {
  readonly revisionHash: string | null;
}

/** Reads of signatures, accountability statements and workflows. Implementation: `storage/repositories/signatures.ts`. */
export interface SignaturesReader {
  /** Signatures on these entities of one type (every revision), by ID. */
  listSignatures(entityType: SignatureRow['entityType'], entityIds: readonly number[]): Promise<SignatureRow[]>;
  /**
   * Every record signature of a product, as little as the rule check needs (which revision carries which step):
   * one query per product, whatever its size.
   */
  listRecordSignatureSteps(productId: number): Promise<RecordSignatureStep[]>;
  /** Signatures of a product (or of all), by ID; for exports and verification. */
  pageSignatures(afterId: number, limit: number): Promise<SignatureRow[]>;
  listStatementAcceptances(userId?: number): Promise<StatementAcceptanceRow[]>;
  /** Configured workflows of one product (or of all). */
  listWorkflows(productId?: number): Promise<WorkflowRow[]>;
  /**
   * Records of a product in review, with their latest revision's title and author (no content hash: the inbox reads
   * every pending record of a product, and the hash is what costs there).
   */
  listPendingRecords(productId: number): Promise<PendingRecordRow[]>;
  /** The named records' latest revisions: content hash and author, whatever their status. */
  listLatestRevisionHashes(recordIds: readonly number[]): Promise<Map<number, { readonly hash: string; readonly author: string }>>;
  /**
   * The steps already signed on the latest revisions of a product's records in review (only what the workflow
   * rules read).
   * @param recordIds - only these records
   */
  listPendingSignatures(productId: number, recordIds?: readonly number[]): Promise<SignatureStep[]>;
  /**
   * Signatures by ID, each with the stored hash of the revision it names: one query per page, for verification
   * (see `SignatureCheckRow`).
   * @param entityType - only signatures stored with this entity type
   */
  pageSignatureChecks(afterId: number, limit: number, entityType?: string): Promise<SignatureCheckRow[]>;
  /** Whether the session has signed before (a continuous session: later signings need only the password). */
  sessionHasSigned(sessionId: string): Promise<boolean>;
}

/** Signature writes: insert only (rows are never changed or deleted), and the workflow settings. */
export interface SignaturesWriter extends SignaturesReader {
  /** The next free signature ID (IDs are given in the write transaction, so rows and events agree). */
  nextSignatureId(): Promise<number>;
  insertSignatures(rows: readonly SignatureRow[]): Promise<void>;
  insertStatementAcceptance(row: Omit<StatementAcceptanceRow, 'id'>): Promise<StatementAcceptanceRow>;
  /** Sets (inserts or replaces) a product's workflow for a subject. */
  putWorkflow(row: WorkflowRow): Promise<void>;
  /** Marks that the session has made its first signature (later signings in it need only the password). */
  markSessionSigned(sessionId: string, at: string): Promise<void>;
}

/** One signature on a record revision, reduced to what the rule check reads: which workflow step it fulfils. */
export interface RecordSignatureStep {
  readonly recordId: number;
  readonly revision: number;
  readonly step: number;
}

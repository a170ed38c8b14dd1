/**
 * What the quality-system views (readiness, rules, management review, metrics) read beside the records' fields:
 * which document versions are in force, the training assignments and their completion, and signatures made by
 * people not trained on the procedure in force. Loaded once per view by `app/services/qms-facts.ts`.
 */

/** A document version in force (the newest made effective), with its periodic review. */
export interface EffectiveDocumentFact {
  readonly recordId: number;
  /** `DOC-3` */
  readonly key: string;
  readonly revision: number;
  readonly version: string | null;
  /** YYYY-MM-DD */
  readonly effectiveOn: string;
  /** The last periodic review of this version (YYYY-MM-DD), or null. */
  readonly lastReviewedOn: string | null;
  /** Months between reviews, from the version's fields (null: none set). */
  readonly reviewIntervalMonths: number | null;
}

/** One training assignment and its completion. */
export interface TrainingFact {
  readonly id: number;
  /** The document's record ID and key (`DOC-3`). */
  readonly recordId: number;
  readonly documentKey: string;
  readonly revision: number;
  readonly version: string | null;
  readonly username: string;
  /** The job role that brought the assignment (`JOB-2`), or null. */
  readonly role: string | null;
  /** YYYY-MM-DD */
  readonly assignedOn: string;
  readonly dueOn: string;
  /** YYYY-MM-DD, or null while open. */
  readonly completedOn: string | null;
  /** A newer version of the document became effective: this assignment no longer counts. */
  readonly superseded: boolean;
}

/** A signature on a record made by someone not trained on a procedure that governs the record's type then. */
export interface UntrainedSignatureFact {
  readonly recordId: number;
  /** `SRS-12` */
  readonly recordKey: string;
  readonly username: string;
  readonly signedAt: string;
  /** The procedure (`DOC-7 v2.0`) the signer was not trained on. */
  readonly document: string;
}

export interface QmsFacts {
  readonly documents: readonly EffectiveDocumentFact[];
  readonly trainings: readonly TrainingFact[];
  readonly untrainedSignatures: readonly UntrainedSignatureFact[];
}

export const NO_QMS_FACTS: QmsFacts = { documents: [], trainings: [], untrainedSignatures: [] };

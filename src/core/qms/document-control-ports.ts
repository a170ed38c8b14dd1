import type { DocumentReviewRow, EffectivityRow, TrainingAssignmentRow, TrainingCompletionRow } from './document-control.js';

/** Document control and training reads. `productId` undefined: every product (exports and verification). */
export interface DocumentControlReader {
  listEffectivities(productId?: number): Promise<EffectivityRow[]>;
  listDocumentReviews(productId?: number): Promise<DocumentReviewRow[]>;
  listTrainingAssignments(productId?: number): Promise<TrainingAssignmentRow[]>;
  /** Completions (and failed quiz attempts) of a product's assignments, or of all. */
  listTrainingCompletions(productId?: number): Promise<TrainingCompletionRow[]>;
}

/** Document control and training writes: insert only (the database refuses UPDATE and DELETE). */
export interface DocumentControlWriter extends DocumentControlReader {
  /** The next free ID of one table (IDs are given in the write transaction, so rows and events agree). */
  nextDocumentControlId(table: 'effectivities' | 'reviews' | 'assignments' | 'completions'): Promise<number>;
  insertEffectivities(rows: readonly EffectivityRow[]): Promise<void>;
  insertDocumentReviews(rows: readonly DocumentReviewRow[]): Promise<void>;
  insertTrainingAssignments(rows: readonly TrainingAssignmentRow[]): Promise<void>;
  insertTrainingCompletions(rows: readonly TrainingCompletionRow[]): Promise<void>;
}

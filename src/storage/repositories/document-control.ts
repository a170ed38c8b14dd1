import type { DocumentControlReader, DocumentControlWriter } from '../../core/qms/document-control-ports.js';
import {
  type DocumentReviewRow,
  type EffectivityRow,
  type TrainingAssignmentRow,
  type TrainingCompletionRow,
} from '../../core/qms/document-control.js';
import { entityColumns } from '../entity-columns.js';
import type { DocumentEffectivityTableRow, DocumentReviewTableRow, TrainingAssignmentTableRow, TrainingCompletionTableRow } from '../schema.js';
import { Repository } from './repository.js';

// Columns are read as stored: verification compares them with their events and reports a bad value, never throws.
const EFFECTIVITY_COLUMNS = entityColumns<EffectivityRow, DocumentEffectivityTableRow>({
  id: 'id',
  productId: 'product_id',
  recordId: 'record_id',
  revision: 'revision',
  version: 'version',
  effectiveOn: 'effective_on',
  madeAt: 'made_at',
  madeBy: 'made_by',
});

const REVIEW_COLUMNS = entityColumns<DocumentReviewRow, DocumentReviewTableRow>({
  id: 'id',
  productId: 'product_id',
  recordId: 'record_id',
  revision: 'revision',
  reviewedOn: 'reviewed_on',
  outcome: { column: 'outcome', read: (v) => v as DocumentReviewRow['outcome'] },
  note: 'note',
  reviewedAt: 'reviewed_at',
  reviewedBy: 'reviewed_by',
});

const ASSIGNMENT_COLUMNS = entityColumns<TrainingAssignmentRow, TrainingAssignmentTableRow>({
  id: 'id',
  productId: 'product_id',
  recordId: 'record_id',
  revision: 'revision',
  version: 'version',
  username: 'username',
  roleRecordId: 'role_record_id',
  assignedOn: 'assigned_on',
  dueOn: 'due_on',
  assignedAt: 'assigned_at',
  assignedBy: 'assigned_by',
});

const COMPLETION_COLUMNS = entityColumns<TrainingCompletionRow, TrainingCompletionTableRow>({
  id: 'id',
  assignmentId: 'assignment_id',
  method: { column: 'method', read: (v) => v as TrainingCompletionRow['method'] },
  score: 'score',
  passMark: 'pass_mark',
  passed: { column: 'passed', read: (v) => Number(v) === 1, write: (p) => (p ? 1 : 0) },
  signatureId: 'signature_id',
  completedAt: 'completed_at',
});

const TABLES = {
  effectivities: 'document_effectivities',
  reviews: 'document_reviews',
  assignments: 'training_assignments',
  completions: 'training_completions',
} as const;

/** Document effectivity, periodic reviews, training assignments and completions. Rows are only ever inserted. */
export class DocumentControlRepository extends Repository implements DocumentControlReader, DocumentControlWriter {
  async listEffectivities(productId?: number): Promise<EffectivityRow[]> {
    let q = this.db.selectFrom('document_effectivities').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    return (await q.orderBy('id').execute()).map((r) => EFFECTIVITY_COLUMNS.fromRow(r));
  }

  async listDocumentReviews(productId?: number): Promise<DocumentReviewRow[]> {
    let q = this.db.selectFrom('document_reviews').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    return (await q.orderBy('id').execute()).map((r) => REVIEW_COLUMNS.fromRow(r));
  }

  async listTrainingAssignments(productId?: number): Promise<TrainingAssignmentRow[]> {
    let q = this.db.selectFrom('training_assignments').selectAll();
    if (productId !== undefined) q = q.where('product_id', '=', productId);
    return (await q.orderBy('id').execute()).map((r) => ASSIGNMENT_COLUMNS.fromRow(r));
  }

  async listTrainingCompletions(productId?: number): Promise<TrainingCompletionRow[]> {
    let q = this.db.selectFrom('training_completions as c').selectAll('c');
    if (productId !== undefined) {
      q = q.innerJoin('training_assignments as a', 'a.id', 'c.assignment_id').where('a.product_id', '=', productId);
    }
    return (await q.orderBy('c.id').execute()).map((r) => COMPLETION_COLUMNS.fromRow(r));
  }

  async nextDocumentControlId(table: keyof typeof TABLES): Promise<number> {
    const row = await this.db.selectFrom(TABLES[table]).select((e) => e.fn.max('id').as('m')).executeTakeFirstOrThrow();
    return Number(row.m ?? 0) + 1;
  }

  async insertEffectivities(rows: readonly EffectivityRow[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'document_effectivities', rows.map((r) => EFFECTIVITY_COLUMNS.toRow(r)));
  }

  async insertDocumentReviews(rows: readonly DocumentReviewRow[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'document_reviews', rows.map((r) => REVIEW_COLUMNS.toRow(r)));
  }

  async insertTrainingAssignments(rows: readonly TrainingAssignmentRow[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'training_assignments', rows.map((r) => ASSIGNMENT_COLUMNS.toRow(r)));
  }

  async insertTrainingCompletions(rows: readonly TrainingCompletionRow[]): Promise<void> {
    await this.dialect.insertRows(this.db, 'training_completions', rows.map((r) => COMPLETION_COLUMNS.toRow(r)));
  }
}

import { z } from 'zod';
import { invalidState } from '../errors.js';

/** Statuses of a controlled record (ISO 13485 4.2.4/4.2.5: reviewed and approved before issue; never deleted). */
export const RecordStatusSchema = z.enum(['draft', 'in_review', 'approved', 'obsolete']);
export type RecordStatus = z.infer<typeof RecordStatusSchema>;

/** A lifecycle as data: which status changes are allowed, and what an edit does in each status. */
export interface LifecycleDef {
  readonly key: string;
  readonly initial: RecordStatus;
  /** Allowed status changes, `from → to`. */
  readonly transitions: readonly { readonly from: RecordStatus; readonly to: RecordStatus }[];
  /**
   * Status a record moves to when it is edited (a new revision is written), by current status.
   * A status missing here refuses edits.
   */
  readonly afterEdit: Readonly<Partial<Record<RecordStatus, RecordStatus>>>;
}

/**
 * The lifecycle of every design-control and risk record today: draft → in review → approved → obsolete.
 * Review can send a record back to draft; editing an approved record starts a new draft revision while the
 * approved revision stays readable; obsolete is final (records are never deleted).
 */
export const CONTROLLED_LIFECYCLE: LifecycleDef = {
  key: 'controlled',
  initial: 'draft',
  transitions: [
    { from: 'draft', to: 'in_review' },
    { from: 'in_review', to: 'draft' },
    { from: 'in_review', to: 'approved' },
    { from: 'draft', to: 'obsolete' },
    { from: 'in_review', to: 'obsolete' },
    { from: 'approved', to: 'obsolete' },
  ],
  afterEdit: { draft: 'draft', in_review: 'draft', approved: 'draft' },
};

/**
 * Checks a status change against a lifecycle.
 * @throws AppError INVALID_STATE naming the record, both statuses and what is allowed instead
 */
export function assertTransition(lifecycle: LifecycleDef, item: string, from: RecordStatus, to: RecordStatus): void {
  if (lifecycle.transitions.some((t) => t.from === from && t.to === to)) return;
  const allowed = lifecycle.transitions.filter((t) => t.from === from).map((t) => t.to);
  throw invalidState(
    `${item} is ${from}; it cannot move to ${to}` +
      (allowed.length > 0 ? ` (from ${from} it can move to: ${allowed.join(', ')})` : ` (${from} is final)`),
    { item, from, to },
  );
}

/**
 * Status after an edit of a record in `status`.
 * @throws AppError INVALID_STATE when the lifecycle refuses edits in that status
 */
export function statusAfterEdit(lifecycle: LifecycleDef, item: string, status: RecordStatus): RecordStatus {
  const next = lifecycle.afterEdit[status];
  if (next === undefined) throw invalidState(`${item} is ${status} and can no longer be edited`, { item, status });
  return next;
}

import { z } from 'zod';
import type { RecordHead } from '../entities.js';
import { toSignatureView, type SignatureRow, type SignatureView, type Workflow } from './model.js';
import { isComplete } from './workflow.js';

/**
 * How an approved record came to be approved (21 CFR 11.50, 11.70): `electronic` when its approved revision carries
 * every signature its workflow asks for; `without electronic signature` when it was approved otherwise (a local
 * operator's status change, or before signatures existed). Computed from the signatures, never stored: nothing can
 * upgrade an approval after the fact.
 */
export const ApprovalKindSchema = z.enum(['electronic', 'without electronic signature']);
export type ApprovalKind = z.infer<typeof ApprovalKindSchema>;

/** The approval of a record that is approved now; null for any other status. */
export function approvalOf(workflow: Workflow, head: Pick<RecordHead, 'status' | 'approvedRevision'>, signatures: readonly SignatureRow[]): ApprovalKind | null {
  if (head.status !== 'approved' || head.approvedRevision === null) return null;
  const on = signatures.filter((s) => s.entityType === 'record' && s.revision === head.approvedRevision);
  return isComplete(workflow, on) ? 'electronic' : 'without electronic signature';
}

/** Every signature on a record, oldest first, each marked superseded when a later revision exists. */
export function recordSignatureViews(head: Pick<RecordHead, 'latestRevision'>, signatures: readonly SignatureRow[]): SignatureView[] {
  return [...signatures].sort((a, b) => a.id - b.id).map((s) => toSignatureView(s, head.latestRevision));
}

import type { Product, RecordHead } from '../../core/entities.js';
import type { StoreReader } from '../../core/ports.js';
import { approvalOf, recordSignatureViews, type ApprovalKind } from '../../core/signatures/approval.js';
import { workflowFor, type SignatureRow, type SignatureView } from '../../core/signatures/model.js';

/** A record's signatures as shown (every revision), the raw rows, and how its approval was given. */
export interface RecordSignatures {
  readonly rows: readonly SignatureRow[];
  readonly views: SignatureView[];
  readonly approval: ApprovalKind | null;
}

/** Reads a record's signatures and judges its approval against the workflow in force (two queries). */
export async function recordSignatures(r: StoreReader, product: Product, head: RecordHead): Promise<RecordSignatures> {
  const rows = await r.listSignatures('record', [head.id]);
  const workflow = workflowFor(await r.listWorkflows(product.id), product.id, head.type);
  return { rows, views: recordSignatureViews(head, rows), approval: approvalOf(workflow, head, rows) };
}

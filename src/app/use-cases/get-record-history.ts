import { z } from 'zod';
import { AuditEventSchema, type AuditEvent } from '../../core/audit.js';
import {
  ProductKeySchema,
  qualifiedKey,
  recordKey,
  RecordHeadSchema,
  RevisionSchema,
  type RecordHead,
  type Revision,
} from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { ApprovalKindSchema, type ApprovalKind } from '../../core/signatures/approval.js';
import { signatureEntityId, SignatureViewSchema, type SignatureView } from '../../core/signatures/model.js';
import { recordSignatures } from '../services/record-signatures.js';
import { attachmentEntityId } from '../../core/attachments/model.js';
import { recordHistoryCsv } from '../../export/record-history.js';
import { defineUseCase, type RenderedBody } from '../use-case.js';

/** A revision with the signatures given on it. */
export type SignedRevision = Revision & { readonly signatures: SignatureView[] };

/** Every revision of a record (each with its signatures) and every audit event about it, oldest first. */
export interface RecordHistory {
  readonly productKey: string;
  readonly key: string;
  readonly head: RecordHead;
  readonly revisions: readonly SignedRevision[];
  readonly events: readonly AuditEvent[];
  /** How the record's current approval was given; null when it is not approved. */
  readonly approval: ApprovalKind | null;
}

/**
 * A record's full history: immutable revisions and the audit events (status changes included).
 * @throws AppError NOT_FOUND for an unknown product or record
 */
export async function getRecordHistory(
  deps: Pick<Deps, 'store'>,
  input: { readonly productKey: string; readonly record: string },
): Promise<RecordHistory> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const head = await getRecord(r, product, input.record);
    const revisions = await r.listRevisions(head.id);
    const item = qualifiedKey(product.key, head.type, head.number);
    const signed = await recordSignatures(r, product, head);
    const attachments = await r.listAttachments(head.id);
    // The signatures' and attachments' own events (`RPM/SRS-12/signature/17`, `RPM/SRS-12/attachment/3`) belong to
    // the record's history too.
    const entityIds = [item, ...signed.rows.map((s) => signatureEntityId(item, s.id)), ...attachments.map((a) => attachmentEntityId(item, a.id))];
    const events = await r.listAudit({ entityIds, limit: 100_000 });
    return {
      productKey: product.key,
      key: recordKey(head.type, head.number),
      head,
      revisions: revisions.map((v) => ({ ...v, signatures: signed.views.filter((s) => s.revision === v.revision) })),
      events,
      approval: signed.approval,
    };
  });
}

/** A record's history as the API serves it. */
export const RecordHistorySchema = z.object({
  productKey: z.string(),
  key: z.string(),
  head: RecordHeadSchema,
  /** Every revision, each with the signatures given on it (superseded when a later revision exists). */
  revisions: z.array(RevisionSchema.extend({ signatures: z.array(SignatureViewSchema) })),
  events: z.array(AuditEventSchema),
  approval: ApprovalKindSchema.nullable(),
});

export const getRecordHistoryUseCase = defineUseCase({
  name: 'record.history',
  summary: 'Show every revision and audit event of a record.',
  kind: 'read',
  what: 'record history query',
  input: z.strictObject({
    productKey: ProductKeySchema,
    record: z.string().min(1),
    /** `csv`: the HTTP API answers with a CSV file (text/csv) built from the same history; JSON by default. */
    format: z.enum(['json', 'csv']).default('json'),
  }),
  output: RecordHistorySchema,
  permission: 'product.read',
  http: {
    method: 'GET',
    path: '/api/v1/products/:productKey/records/:record/history',
    render: (input) => ((input as { format?: unknown } | null)?.format === 'csv' ? historyCsvFile : undefined),
  },
  run: async ({ deps }, input) => {
    const h = await getRecordHistory(deps, input);
    return { ...h, revisions: [...h.revisions], events: [...h.events] };
  },
});

/** A record's history as the CSV file the HTTP API offers (`history-RPM-SRS-12.csv`). */
function historyCsvFile(output: unknown): RenderedBody {
  const h = output as z.infer<typeof RecordHistorySchema>;
  return { contentType: 'text/csv; charset=utf-8', fileName: `history-${h.productKey}-${h.key}.csv`.replace(/[^A-Za-z0-9_.-]/g, '_'), body: recordHistoryCsv(h) };
}

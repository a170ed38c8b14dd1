import { z } from 'zod';
import type { Product, RecordHead, LinkView, Revision } from '../../core/entities.js';
import {
  LinkViewSchema,
  ProductKeySchema,
  ProductSchema,
  recordKey,
  RecordHeadSchema,
  RevisionSchema,
} from '../../core/entities.js';
import { notFound } from '../../core/errors.js';
import { getProduct, getRecord as lookupRecord, getRevision } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { ApprovalKindSchema, type ApprovalKind } from '../../core/signatures/approval.js';
import { SignatureViewSchema, type SignatureView } from '../../core/signatures/model.js';
import { recordSignatures } from '../services/record-signatures.js';
import { AttachmentViewSchema, type AttachmentView } from '../../core/attachments/model.js';
import { defineUseCase } from '../use-case.js';

/** A record as a reader sees it: head, one revision's content, and its active links. */
export interface RecordView {
  readonly product: Product;
  readonly head: RecordHead;
  readonly key: string;
  readonly revision: Revision;
  readonly links: readonly LinkView[];
  /** Every signature on the record (every revision; those on older revisions marked superseded). */
  readonly signatures: readonly SignatureView[];
  /** For an approved record, whether its approved revision carries every signature its workflow asks for. */
  readonly approval: ApprovalKind | null;
  /** The files attached to the record, oldest first (whichever revision is shown). */
  readonly attachments: readonly AttachmentView[];
}

/**
 * Reads a record at its latest revision, its approved revision, or a given revision number.
 * @throws AppError NOT_FOUND for an unknown product, record or revision
 */
export async function getRecord(
  deps: Pick<Deps, 'store'>,
  input: { readonly productKey: string; readonly record: string; readonly revision?: number | 'approved' },
): Promise<RecordView> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const head = await lookupRecord(r, product, input.record);
    const key = recordKey(head.type, head.number);
    let n = head.latestRevision;
    if (input.revision === 'approved') {
      if (head.approvedRevision === null) {
        throw notFound(`${product.key}/${key} has no approved revision yet`, { item: key });
      }
      n = head.approvedRevision;
    } else if (input.revision !== undefined) {
      n = input.revision;
    }
    const revision = await getRevision(r, product, head, n);
    const links = await r.listLinks({ productId: product.id, recordId: head.id });
    const signed = await recordSignatures(r, product, head);
    const attachments = (await r.listAttachments(head.id)).map((a) => ({ ...a, record: key }));
    return { product, head, key, revision, links, signatures: signed.views, approval: signed.approval, attachments };
  });
}

export const GetRecordInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** `SRS-12` or `RPM/SRS-12`. */
  record: z.string().min(1),
  /** A revision number, or `approved` for the approved revision; the latest by default. */
  revision: z.union([z.number().int().positive(), z.literal('approved')]).optional(),
});

/** A record view, with the record's latest revision on top (the HTTP API's ETag). */
export const RecordViewSchema = z.object({
  product: ProductSchema,
  head: RecordHeadSchema,
  key: z.string(),
  revision: RevisionSchema,
  links: z.array(LinkViewSchema),
  /** Every signature on the record, each with its manifestation; those on an older revision are superseded. */
  signatures: z.array(SignatureViewSchema),
  /**
   * For an approved record: `electronic` when its approved revision carries every signature its workflow asks for,
   * `without electronic signature` otherwise; null when the record is not approved.
   */
  approval: ApprovalKindSchema.nullable(),
  /** The record's latest revision, whichever revision is shown: what an edit's `baseRevision` must name. */
  latestRevision: z.number().int(),
  /** The files attached to the record (name, size, SHA-256, when, by whom), oldest first. */
  attachments: z.array(AttachmentViewSchema),
});

export const getRecordUseCase = defineUseCase({
  name: 'record.get',
  summary: 'Show a record at its latest, approved or a given revision, with its links.',
  kind: 'read',
  what: 'record query',
  input: GetRecordInputSchema,
  output: RecordViewSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/records/:record', etag: 'latestRevision' },
  run: async ({ deps }, input) => {
    const v = await getRecord(deps, input);
    return { ...v, links: [...v.links], signatures: [...v.signatures], attachments: [...v.attachments], latestRevision: v.head.latestRevision };
  },
});

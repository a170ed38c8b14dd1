import { z } from 'zod';
import { AttachmentViewSchema, type AttachmentView } from '../../core/attachments/model.js';
import { ProductKeySchema, recordKey } from '../../core/entities.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { defineUseCase } from '../use-case.js';

export const ListAttachmentsInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** `SRS-12` or `RPM/SRS-12`. */
  record: z.string().min(1),
});

/** A record's attachments, oldest first. */
export const ListAttachmentsOutputSchema = z.object({ record: z.string(), attachments: z.array(AttachmentViewSchema) });

/**
 * The files attached to a record: name, media type, size, SHA-256, the revision they were attached at, when and by
 * whom; oldest first (a name attached again with other bytes appears twice; the newest is the one `get` gives).
 * @throws AppError NOT_FOUND for the product or record
 */
export async function listAttachments(
  deps: Pick<Deps, 'store'>,
  input: z.output<typeof ListAttachmentsInputSchema>,
): Promise<{ record: string; attachments: AttachmentView[] }> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const head = await getRecord(r, product, input.record);
    const key = recordKey(head.type, head.number);
    return { record: key, attachments: (await r.listAttachments(head.id)).map((a) => ({ ...a, record: key })) };
  });
}

export const listAttachmentsUseCase = defineUseCase({
  name: 'attachment.list',
  summary: "List a record's attachments.",
  kind: 'read',
  what: 'attachment list',
  input: ListAttachmentsInputSchema,
  output: ListAttachmentsOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/records/:record/attachments' },
  run: ({ deps }, input) => listAttachments(deps, input),
});

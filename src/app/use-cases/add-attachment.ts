import { z } from 'zod';
import {
  attachmentEntityId,
  attachmentEventValue,
  AttachmentNameSchema,
  AttachmentViewSchema,
  checkAttachmentName,
  DEFAULT_MAX_ATTACHMENT_BYTES,
  DEFAULT_MEDIA_TYPE,
  MediaTypeSchema,
  type AttachmentRow,
} from '../../core/attachments/model.js';
import { appendAudit } from '../../core/audit-trail.js';
import { ProductKeySchema, qualifiedKey, recordKey } from '../../core/entities.js';
import { conflict, invalidState } from '../../core/errors.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { isContentSource, readContent, type ContentSource } from '../services/attachment-content.js';
import { defineUseCase, type AppServices } from '../use-case.js';

/** What attaching a file did. */
export const AddAttachmentOutputSchema = z.object({
  attachment: AttachmentViewSchema,
  /** False when the same bytes were stored already (for this or another record): they are kept once. */
  contentStored: z.boolean(),
});
export type AddAttachmentOutput = z.infer<typeof AddAttachmentOutputSchema>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const AddAttachmentInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** `SRS-12` or `RPM/SRS-12`. */
  record: z.string().min(1),
  /** The file's name: one path segment, no control characters. */
  name: AttachmentNameSchema,
  /** Default: `application/octet-stream`. */
  mediaType: MediaTypeSchema.optional(),
  /** The SHA-256 the sender computed: the bytes received must hash to it, or nothing is stored. */
  sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected a SHA-256 as 64 hex digits')
    .transform((s) => s.toLowerCase())
    .optional(),
  /**
   * The file's bytes: a stream (Node Readable, async iterable of chunks) from the CLI or the upload route, read as it
   * arrives; or, in a JSON body, the bytes as base64 (small files: the JSON body limit applies).
   */
  content: z.union([
    z.string().regex(BASE64, 'expected the file as base64').transform((s): ContentSource => [Buffer.from(s, 'base64')]),
    z.custom<ContentSource>(isContentSource, 'expected the file: a stream of bytes, or base64 text'),
  ]),
});
export type AddAttachmentInput = z.input<typeof AddAttachmentInputSchema>;

/**
 * Attaches a file to a record. The bytes are read as they arrive, counted against the attachment limit and hashed,
 * before the write transaction starts (a slow upload holds no lock); then, in one transaction with its
 * ATTACHMENT_ADDED event, the bytes are stored under their SHA-256 (once, however many records attach them) and the
 * attachment row names the record, its latest revision, the file name, media type, size and SHA-256.
 * @throws AppError TOO_LARGE over the limit; INVALID_INPUT for a bad name or a declared SHA-256 the bytes do not
 *   match; NOT_FOUND for the product or record; INVALID_STATE for an obsolete record; CONFLICT when the record
 *   already carries these bytes under this name. Nothing is stored on any refusal.
 */
export async function addAttachment(
  deps: Deps,
  services: Pick<AppServices, 'attachmentLimit'>,
  input: z.output<typeof AddAttachmentInputSchema>,
): Promise<AddAttachmentOutput> {
  const name = checkAttachmentName(input.name);
  const maxBytes = services.attachmentLimit?.() ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const content = await readContent(input.content, maxBytes, input.sha256);
  return deps.store.write(async (w) => {
    const product = await getProduct(w, input.productKey);
    const head = await getRecord(w, product, input.record);
    const key = recordKey(head.type, head.number);
    const qualified = qualifiedKey(product.key, head.type, head.number);
    if (head.status === 'obsolete') {
      throw invalidState(`${qualified} is obsolete: nothing more is attached to it`, { item: key });
    }
    const existing = await w.listAttachments(head.id);
    const same = existing.find((a) => a.name === name && a.sha256 === content.sha256);
    if (same !== undefined) {
      throw conflict(`${qualified} already carries ${name} with these bytes (attachment ${same.id}, ${same.attachedAt})`, { item: key, field: 'name' });
    }
    const contentStored = !(await w.hasAttachmentContent(content.sha256));
    if (contentStored) await w.insertAttachmentContent({ sha256: content.sha256, size: content.size, bytes: content.bytes });
    const at = deps.clock.now();
    const row: AttachmentRow = {
      id: await w.nextAttachmentId(),
      productId: product.id,
      recordId: head.id,
      revision: head.latestRevision,
      name,
      mediaType: input.mediaType ?? DEFAULT_MEDIA_TYPE,
      size: content.size,
      sha256: content.sha256,
      attachedAt: at,
      attachedBy: deps.actor.id,
    };
    await w.insertAttachments([row]);
    await appendAudit(w, deps, at, [
      {
        action: 'ATTACHMENT_ADDED',
        entityType: 'attachment',
        entityId: attachmentEntityId(qualified, row.id),
        productKey: product.key,
        newValue: attachmentEventValue(row, qualified),
      },
    ]);
    return { attachment: { ...row, record: key }, contentStored };
  });
}

export const addAttachmentUseCase = defineUseCase({
  name: 'attachment.add',
  summary: 'Attach a file to a record (stored once by its SHA-256).',
  kind: 'write',
  what: 'attachment',
  input: AddAttachmentInputSchema,
  output: AddAttachmentOutputSchema,
  permission: 'record.edit',
  // The API also takes the file as a streamed multipart upload (see server/attachment-routes.ts).
  http: { method: 'POST', path: '/api/v1/products/:productKey/records/:record/attachments', status: 201 },
  run: ({ deps, services }, input) => addAttachment(deps, services, input),
});

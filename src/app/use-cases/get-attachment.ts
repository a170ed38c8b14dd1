import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AttachmentNameSchema, AttachmentViewSchema, type AttachmentView } from '../../core/attachments/model.js';
import { ProductKeySchema, qualifiedKey, recordKey } from '../../core/entities.js';
import { AppError, notFound } from '../../core/errors.js';
import { getProduct, getRecord } from '../../core/lookups.js';
import type { Deps } from '../../core/ports.js';
import { defineUseCase, type RenderedBody } from '../use-case.js';

export const GetAttachmentInputSchema = z.strictObject({
  productKey: ProductKeySchema,
  /** `SRS-12` or `RPM/SRS-12`. */
  record: z.string().min(1),
  /** The file name; a name attached several times gives the newest. */
  name: AttachmentNameSchema,
});

/** An attachment with its bytes, checked against its SHA-256. */
export const GetAttachmentOutputSchema = z.object({
  attachment: AttachmentViewSchema,
  content: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes'),
});
export type GetAttachmentOutput = z.infer<typeof GetAttachmentOutputSchema>;

/**
 * A record's attached file and its bytes. The bytes are hashed before they are handed out: bytes that no longer
 * hash to the SHA-256 they were stored and attached under are refused, never served as the attachment.
 * @throws AppError NOT_FOUND for the product, record or name; INTEGRITY when the stored bytes were changed
 */
export async function getAttachment(deps: Pick<Deps, 'store'>, input: z.output<typeof GetAttachmentInputSchema>): Promise<GetAttachmentOutput> {
  return deps.store.read(async (r) => {
    const product = await getProduct(r, input.productKey);
    const head = await getRecord(r, product, input.record);
    const key = recordKey(head.type, head.number);
    const qualified = qualifiedKey(product.key, head.type, head.number);
    const found = (await r.listAttachments(head.id)).filter((a) => a.name === input.name).pop();
    if (found === undefined) throw notFound(`${qualified} has no attachment named ${input.name}`, { item: key, field: 'name' });
    const attachment: AttachmentView = { ...found, record: key };
    const content = await r.findAttachmentContent(found.sha256);
    const what = `attachment ${found.name} of ${qualified}`;
    if (content === undefined) throw new AppError('INTEGRITY', `${what}: its bytes (sha256 ${found.sha256}) are missing from the store`, { item: key });
    const actual = createHash('sha256').update(content.bytes).digest('hex');
    if (actual !== found.sha256 || content.bytes.length !== found.size) {
      throw new AppError('INTEGRITY', `${what}: the stored bytes hash to ${actual}, not to its sha256 ${found.sha256}: they were changed after it was attached`, {
        item: key,
      });
    }
    return { attachment, content: content.bytes };
  });
}

/** The answer of the download route: the file itself, under its name and media type, its SHA-256 as ETag. */
function asFile(output: unknown): RenderedBody {
  const o = output as GetAttachmentOutput;
  return { contentType: o.attachment.mediaType, fileName: o.attachment.name, body: o.content, etag: o.attachment.sha256 };
}

export const getAttachmentUseCase = defineUseCase({
  name: 'attachment.get',
  summary: "Download a record's attached file (its SHA-256 checked first; the ETag).",
  kind: 'read',
  what: 'attachment',
  input: GetAttachmentInputSchema,
  output: GetAttachmentOutputSchema,
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/products/:productKey/records/:record/attachments/:name', render: () => asFile },
  run: ({ deps }, input) => getAttachment(deps, input),
});

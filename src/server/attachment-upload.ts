import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { execute } from '../app/execute.js';
import { addAttachmentUseCase } from '../app/use-cases/add-attachment.js';
import { overLimit } from '../app/services/attachment-content.js';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../core/attachments/model.js';
import { invalidInput } from '../core/errors.js';
import type { UploadRoute } from './openapi.js';
import { ATTACHMENT_UPLOAD_PATH } from './upload-paths.js';
import type { UploadOptions } from './uploads.js';

const text = (description: string): Record<string, unknown> => ({ type: 'string', description });

/** The attachment upload route, for the OpenAPI document. */
export const ATTACHMENT_UPLOAD_ROUTE: UploadRoute = {
  path: ATTACHMENT_UPLOAD_PATH,
  operationId: 'attachment.upload',
  useCase: addAttachmentUseCase,
  summary: 'Attach a file to a record (streamed upload; stored once by its SHA-256).',
  body: {
    type: 'object',
    required: ['file'],
    properties: {
      name: text("the file's name (default: the file part's file name, without any folder)"),
      mediaType: text("the file's media type (default: the file part's content type)"),
      sha256: text("SHA-256 (hex) of the file's bytes: checked as they arrive; on a mismatch nothing is stored"),
      file: { type: 'string', format: 'binary', description: 'the file, after the text fields' },
    },
  },
};

const FIELDS: ReadonlySet<string> = new Set(['name', 'mediaType', 'sha256']);

/**
 * Registers the attachment upload in the multipart scope of `registerUploads`. The file part streams into
 * `attachment.add`, which counts and hashes it as it arrives and refuses it at the first byte over the limit; the
 * request is never held whole beyond that limit, and a refusal stores nothing.
 */
export function registerAttachmentUpload(scope: FastifyInstance, options: UploadOptions, discardRest: (req: FastifyRequest) => void): void {
  scope.post(ATTACHMENT_UPLOAD_PATH, { preHandler: options.preHandler }, async (req, reply) => {
    let output: unknown;
    try {
      output = await uploadAttachment(req, options);
    } catch (e) {
      discardRest(req);
      throw e;
    }
    void reply.header('cache-control', 'no-store');
    return reply.status(201).send(output);
  });
}

async function uploadAttachment(req: FastifyRequest, options: UploadOptions): Promise<unknown> {
  const limit = options.services.attachmentLimit?.() ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  // One byte more than the limit reaches the use-case, which refuses it naming the limit.
  const parts = req.parts({ limits: { fileSize: limit + 1, files: 1, fields: FIELDS.size, fieldSize: 4096, parts: FIELDS.size + 1 } })[Symbol.asyncIterator]();
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) if (typeof v === 'string') fields[k] = v;
  let file: MultipartFile | undefined;
  for (let next = await parts.next(); next.done !== true; next = await parts.next()) {
    const part: Multipart = next.value;
    if (part.type === 'file') {
      file = part;
      break;
    }
    fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
  }
  for (const k of Object.keys(fields)) if (!FIELDS.has(k)) throw invalidInput(`invalid attachment upload: ${k}: not a field of an attachment upload`, { field: k });
  if (file === undefined) throw invalidInput('invalid attachment upload: file: no file part (send the file as a file part after the fields)', { field: 'file' });
  const part = file;
  async function* bytes(): AsyncGenerator<Buffer> {
    for await (const chunk of part.file) yield chunk as Buffer;
    // Busboy stops a file at its limit and marks it truncated: never store the head of a file as if it were all.
    if (part.file.truncated) throw overLimit(limit);
  }
  const params = req.params as { productKey: string; record: string };
  const input = {
    productKey: params.productKey,
    record: params.record,
    name: fields['name'] ?? baseName(part.filename),
    ...(fields['mediaType'] !== undefined ? { mediaType: fields['mediaType'] } : part.mimetype !== '' ? { mediaType: part.mimetype } : {}),
    ...(fields['sha256'] === undefined ? {} : { sha256: fields['sha256'] }),
    content: bytes(),
  };
  const output = await execute(addAttachmentUseCase, { deps: options.deps, principal: options.principalOf(req), services: options.services }, input, {
    checkOutput: options.checkOutput,
  });
  // Whatever follows the one file part (nothing, from a well-made client) is read and dropped.
  for (let next = await parts.next(); next.done !== true; next = await parts.next()) {
    const extra: Multipart = next.value;
    if (extra.type === 'file') for await (const chunk of extra.file) void chunk;
  }
  return output;
}

/** The last segment of a file part's name (browsers send only the name; some clients send a path). */
function baseName(sent: string): string {
  return sent.split(/[/\\]/).pop() ?? sent;
}

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AppError, invalidInput } from '../../core/errors.js';

/** Bytes of a file as they arrive: a Node stream, or any (async) iterable of chunks. */
export type ContentSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** A file read whole, counted and hashed on the way. */
export interface ReadContent {
  readonly bytes: Buffer;
  readonly size: number;
  readonly sha256: string;
}

/** True for what `readContent` can read: a Node Readable or an (async) iterable of chunks, but not a string. */
export function isContentSource(v: unknown): v is ContentSource {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<AsyncIterable<unknown> & Iterable<unknown>>;
  return typeof o[Symbol.asyncIterator] === 'function' || typeof o[Symbol.iterator] === 'function';
}

/** The refusal of a file over the limit, naming the limit. */
export function overLimit(maxBytes: number, what = 'the file'): AppError {
  return new AppError('TOO_LARGE', `${what} is over the attachment limit of ${maxBytes} bytes (${formatBytes(maxBytes)}; DOSSIER_MAX_ATTACHMENT_BYTES)`, {
    field: 'content',
  });
}

/** `25 MiB`, `1.5 KiB`, `12 bytes`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u] ?? 'GiB'}`;
}

/**
 * Reads a file's bytes as they arrive, counting and hashing each chunk; stops at the first byte over `maxBytes`
 * (the rest is never read, the head is never kept). What it returns is at most `maxBytes`: an attachment is stored
 * as one value, so this bound is the memory an upload can take, whatever the sender sends.
 * @param declaredSha256 - the SHA-256 the sender announced: the bytes must hash to it
 * @throws AppError TOO_LARGE over the limit (naming it); INVALID_INPUT for a chunk that is not bytes, or bytes that
 *   do not hash to the declared SHA-256
 */
export async function readContent(source: ContentSource, maxBytes: number, declaredSha256?: string): Promise<ReadContent> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<unknown>) {
      let b: Buffer;
      if (chunk instanceof Uint8Array) b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      else if (typeof chunk === 'string') b = Buffer.from(chunk, 'utf8');
      else throw invalidInput('invalid attachment: content: a chunk of the file is not bytes', { field: 'content' });
      size += b.length;
      if (size > maxBytes) throw overLimit(maxBytes);
      hash.update(b);
      // A copy: the sender may reuse its buffer for the next chunk.
      chunks.push(Buffer.from(b));
    }
  } catch (e) {
    // A file on disk is closed at once; the rest of it is never read.
    if (source instanceof Readable && !source.readableEnded) source.destroy();
    throw e;
  }
  const sha256 = hash.digest('hex');
  if (declaredSha256 !== undefined && declaredSha256.toLowerCase() !== sha256) {
    throw invalidInput(`invalid attachment: sha256: the file's bytes hash to ${sha256}, not to the ${declaredSha256} declared`, { field: 'sha256' });
  }
  return { bytes: Buffer.concat(chunks, size), size, sha256 };
}

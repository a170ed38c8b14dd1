import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { invalidInput } from '../core/errors.js';

/**
 * SHA-256 over files' bytes, streamed, in the order given (each file's length is mixed in, so two files are never
 * mistaken for one): how a re-import of the same evidence is recognised.
 * @throws AppError INVALID_INPUT naming a file that cannot be read
 */
export async function hashFiles(files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const file of files) {
    let size = 0;
    const inner = createHash('sha256');
    try {
      for await (const chunk of createReadStream(file)) {
        inner.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw invalidInput(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`}`, { file });
    }
    h.update(`${size}:${inner.digest('hex')}\n`);
  }
  return h.digest('hex');
}

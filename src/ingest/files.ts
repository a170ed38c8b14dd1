import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { invalidInput } from '../core/errors.js';

/**
 * SHA-256 over files' bytes, streamed: each file is hashed with its length (so two files are never mistaken for
 * one), the per-file hashes are sorted and hashed together, so the same files in another order (a shell glob, a
 * CI job listing them differently) are recognised as the same evidence. One file hashes as before.
 * @throws AppError INVALID_INPUT naming a file that cannot be read
 */
export async function hashFiles(files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  const each: string[] = [];
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
    each.push(`${size}:${inner.digest('hex')}\n`);
  }
  for (const line of each.sort()) h.update(line);
  return h.digest('hex');
}

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
    each.push(fileHashLine(size, inner.digest('hex')));
  }
  return combineFileHashes(each);
}

/** One file's part of `hashFiles`: its length in bytes and the hex SHA-256 of its bytes. */
export function fileHashLine(size: number, sha256Hex: string): string {
  return `${size}:${sha256Hex}\n`;
}

/**
 * The content hash of several files from their `fileHashLine`s, in any order: what `hashFiles` gives for the same
 * files, so a file uploaded to a server (hashed as it streams) hashes as it does on disk.
 */
export function combineFileHashes(lines: readonly string[]): string {
  const h = createHash('sha256');
  for (const line of [...lines].sort()) h.update(line);
  return h.digest('hex');
}

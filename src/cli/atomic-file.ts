import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../core/errors.js';

/**
 * Writes a whole file or nothing: the text (or bytes) goes to a temporary file beside `path`, which is flushed to disk and
 * then renamed over `path`. A kill, a full disk or any other failure leaves an earlier file at `path` (yesterday's
 * export, say) as it was, and no temporary file behind.
 * @param path - where the file goes (`--out`)
 * @throws AppError INVALID_INPUT naming the file when it cannot be written: its folder is missing or read-only, the
 *   disk is full, or the path is a folder
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const dir = dirname(resolve(path));
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o666);
    const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text.buffer, text.byteOffset, text.byteLength);
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    keepMode(path, temp);
    renameSync(temp, path);
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Not created, or already renamed.
    }
    throw outputError(path, dir, e);
  }
  // The rename is durable only once the folder's entry is on disk too.
  try {
    const d = openSync(dir, 'r');
    try {
      fsyncSync(d);
    } finally {
      closeSync(d);
    }
  } catch {
    // Some file systems cannot sync a folder; the file itself is already on disk.
  }
}

/** A file being replaced keeps its permissions. */
function keepMode(path: string, temp: string): void {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch {
    return;
  }
  chmodSync(temp, mode);
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already failing; the first error is the one to report.
  }
}

/** One line naming the file and what is wrong, for an error from the file system. */
function outputError(path: string, dir: string, e: unknown): AppError {
  const code = (e as { code?: unknown }).code;
  const why =
    code === 'ENOENT' || code === 'ENOTDIR'
      ? `folder ${dir} does not exist`
      : code === 'EACCES' || code === 'EPERM'
        ? `permission denied in ${dir}`
        : code === 'EROFS'
          ? `${dir} is on a read-only file system`
          : code === 'ENOSPC' || code === 'EDQUOT'
            ? 'the disk is full'
            : code === 'EISDIR'
              ? 'it is a folder'
              : (e as Error).message;
  return new AppError('INVALID_INPUT', `cannot write ${path}: ${why}${typeof code === 'string' ? ` (${code})` : ''}; nothing was written there`, { file: path }, { cause: e });
}

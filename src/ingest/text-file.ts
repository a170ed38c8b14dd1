import { readFileSync } from 'node:fs';
import { invalidInput } from '../core/errors.js';

/**
 * Decodes a JSON file's bytes to text: UTF-8 (a byte order mark is dropped) or UTF-16 in either byte order, told by
 * its byte order mark or, without one, by where the zero bytes of the first ASCII characters fall (JSON starts
 * with ASCII). UTF-32 and text that is not valid in its encoding are refused with a clear message.
 * @throws AppError INVALID_INPUT naming the file
 */
export function decodeJsonBytes(bytes: Uint8Array, file: string): string {
  const [b0, b1, b2, b3] = [bytes[0], bytes[1], bytes[2], bytes[3]];
  const utf32 =
    (b0 === 0 && b1 === 0 && (b2 === 0xfe || b2 === 0)) || (b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 !== 0 && b1 === 0 && b2 === 0 && b3 === 0);
  if (bytes.length >= 4 && utf32) throw invalidInput(`${file}: UTF-32 text is not read: save the file as UTF-8`, { file });
  let encoding = 'utf-8';
  let skip = 0;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) skip = 3;
  else if (b0 === 0xff && b1 === 0xfe) [encoding, skip] = ['utf-16le', 2];
  else if (b0 === 0xfe && b1 === 0xff) [encoding, skip] = ['utf-16be', 2];
  else if (bytes.length >= 2 && b0 === 0 && b1 !== 0) encoding = 'utf-16be';
  else if (bytes.length >= 2 && b0 !== 0 && b1 === 0) encoding = 'utf-16le';
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(skip));
  } catch {
    throw invalidInput(`${file}: not valid ${encoding.toUpperCase()} text: save the file as UTF-8`, { file });
  }
}

/**
 * Reads a JSON evidence file (SBOM, OSV, VEX) as text, whatever Unicode encoding a tool wrote it in.
 * @param what - names the kind of file in the message, e.g. `SBOM`
 * @throws AppError INVALID_INPUT naming the file when it cannot be read or decoded
 */
export function readJsonTextFile(file: string, what: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw invalidInput(`cannot read ${what} ${file}: ${(e as Error).message}`, { file });
  }
  return decodeJsonBytes(bytes, file);
}

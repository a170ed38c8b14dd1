import type { FastifyReply } from 'fastify';
import type { RenderedBody } from '../app/use-case.js';

/**
 * `Content-Disposition: attachment` with the file name: a plain ASCII `filename` for every client (quotes,
 * backslashes and anything outside printable ASCII replaced), and RFC 6266 / 5987 `filename*` with the exact name
 * in UTF-8 when it differs.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  if (ascii === fileName) return `attachment; filename="${fileName}"`;
  const exact = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/** Sends a rendered output (an export's CSV, an attached file) as a file to save, never cached, instead of the JSON answer. */
export function sendFile(reply: FastifyReply, file: RenderedBody): FastifyReply {
  void reply.header('cache-control', 'no-store').header('content-disposition', contentDisposition(file.fileName)).type(file.contentType);
  if (file.etag !== undefined) void reply.header('etag', `"${file.etag}"`);
  return reply.send(typeof file.body === 'string' ? file.body : Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength));
}

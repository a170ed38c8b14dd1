import type { FastifyReply } from 'fastify';
import type { RenderedBody } from '../app/use-case.js';

/** Sends a rendered output (an export's CSV) as a file to save, never cached, instead of the JSON answer. */
export function sendFile(reply: FastifyReply, file: RenderedBody): FastifyReply {
  return reply.header('cache-control', 'no-store').header('content-disposition', `attachment; filename="${file.fileName}"`).type(file.contentType).send(file.body);
}

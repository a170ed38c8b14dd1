import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Where the built web UI is (`dist/web`, written by `npm run build`): beside this module's folder, whether it runs
 * from `dist/server/` or bundled into `dist/cli/main.js`. Undefined when the UI was not built.
 */
export function builtWebRoot(): string | undefined {
  const root = fileURLToPath(new URL('../web/', import.meta.url));
  return existsSync(join(root, 'index.html')) ? root : undefined;
}

/** A path that names a file (`/app.js`, `/logo.svg`): an extension that starts with a letter, so `/releases/1.2.0` is a page. */
const FILE_NAME = /\.[a-z][a-z0-9]*$/i;

/** Paths the single-page app never owns: the API and the probes answer their own 404s. */
const NOT_THE_APP = /^\/(api|healthz|readyz)(\/|$)/;

/**
 * Serves the web UI from `root` on the same port as the API: hashed assets (`/assets/…`) cached for a year, every
 * other GET that names no file answered with `index.html` (the app's router takes the path), so a deep link to a
 * record or a matrix opens that page. Returns the not-found handler's fallback.
 */
export async function registerWebApp(app: FastifyInstance, root: string): Promise<(req: FastifyRequest, reply: FastifyReply) => boolean> {
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: false,
    wildcard: false,
    setHeaders: (res, path) => {
      void res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_APP.test(path) || FILE_NAME.test(path)) return false;
    void reply.header('cache-control', 'no-cache').sendFile('index.html');
    return true;
  };
}

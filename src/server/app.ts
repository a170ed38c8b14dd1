import { randomBytes, randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Authenticator } from '../app/authenticator.js';
import { execute } from '../app/execute.js';
import { USE_CASES } from '../app/registry.js';
import type { AnyUseCase, AppServices } from '../app/use-case.js';
import { processServices } from '../app/process-services.js';
import { withLoginAlerts } from '../app/identity-services.js';
import { ANONYMOUS, type Principal } from '../core/access/principal.js';
import { AppError, isAppError, notFound, unauthenticated } from '../core/errors.js';
import type { Deps } from '../core/ports.js';
import { envelopeOf, errorReply } from './errors.js';
import { sendFile } from './send-file.js';
import { assembleInput } from './input.js';
import { openApiDocument } from './openapi.js';
import { bindingOf } from '../app/http-route.js';
import { CSRF_COOKIE, CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE } from './session.js';
import type { ReadPool } from './read-pool.js';
import { registerUploads, UPLOAD_PATHS } from './uploads.js';
import { builtWebRoot, registerWebApp } from './web-app.js';

/** Request limits of the API. */
export interface RateLimits {
  /** Requests per window and client address, on every route. */
  readonly max: number;
  /**
   * Requests per window and client address on a route anyone may write to without a login: logging in (a binding
   * that starts a session), asking for a password reset. Brute force meets this limit first.
   */
  readonly loginMax: number;
  /** The window, in milliseconds. */
  readonly windowMs: number;
}

/** Default limits: generous for API clients and CI, tight for logins (brute force). */
export const DEFAULT_RATE_LIMITS: RateLimits = { max: 6000, loginMax: 10, windowMs: 60_000 };

/** Default body limit: 1 MiB of JSON. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Default body limit of the routes that take files' contents (evidence imports, a store import): 256 MiB. */
export const DEFAULT_IMPORT_BODY_LIMIT = 256 * 1024 * 1024;

/** The permissions of use-cases whose input carries whole files (a JUnit report, an SBOM, a store export). */
const IMPORT_PERMISSIONS: ReadonlySet<string> = new Set(['evidence.import', 'store.import']);

/** What the server runs with. */
export interface ServerOptions {
  /** The use-cases' dependencies (store, clock, catalog); the audit actor is each request's principal. */
  readonly deps: Deps;
  /** Who is calling: resolves API tokens and session cookies to principals. */
  readonly authenticator: Authenticator;
  /** Process services (the shipped rule packs); default: loaded once for this server. */
  readonly services?: AppServices;
  /** The use-cases to serve (default: all of `USE_CASES`). */
  readonly useCases?: readonly AnyUseCase[];
  /** The logger (pino); default: none. */
  readonly logger?: FastifyBaseLogger;
  /** Largest request body in bytes (default 1 MiB): more gets 413. */
  readonly bodyLimit?: number;
  /**
   * Largest body of a route that imports files (evidence, a store export), in bytes (default 256 MiB); also the
   * largest file of an upload (which is streamed, never held whole).
   */
  readonly importBodyLimit?: number;
  /** Trust `X-Forwarded-*` from a reverse proxy (so a TLS-terminating proxy makes cookies Secure). */
  readonly trustProxy?: boolean;
  /** Request limits, or `false` for none (benchmarks). */
  readonly rateLimit?: RateLimits | false;
  /**
   * The key CSRF tokens are signed with; every server process behind one address needs the same one. Default: a
   * random key per process (tokens then hold only for this process).
   */
  readonly csrfKey?: string;
  /** Check every output against its schema (tests, development). */
  readonly checkOutput?: boolean;
  /**
   * Where heavy reads run (use-cases marked `heavy`): worker threads with their own connections, so that a long
   * check, matrix, export or verification holds up no other request. Default: this thread.
   */
  readonly readPool?: Pick<ReadPool, 'run'>;
  /**
   * The built web UI to serve on the same port (`dist/web`); absent: `builtWebRoot()` when it exists; `false`: none
   * (the API alone).
   */
  readonly webRoot?: string | false;
}

/** How a request proved who it is. */
interface RequestAuth {
  readonly principal: Principal;
  /** `session`: by the session cookie, so a write also needs the CSRF token. */
  readonly via: 'token' | 'session' | 'none';
}

const auths = new WeakMap<FastifyRequest, RequestAuth>();

/**
 * Builds the HTTP JSON API over the application layer: one route per use-case (its `http` binding, or
 * `POST /api/v1/call/<name>`), each calling `execute` and nothing else; `/healthz`, `/readyz`, `/api/openapi.json`.
 * Not listening yet: call `listen`, or `inject` in tests.
 */
export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const { deps, authenticator } = options;
  const useCases = options.useCases ?? USE_CASES;
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const limits = options.rateLimit ?? DEFAULT_RATE_LIMITS;

  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    bodyLimit,
    trustProxy: options.trustProxy === true,
    genReqId: () => randomUUID(),
  }) as unknown as FastifyInstance;
  // 21 CFR 11.300(d): refused logins are logged at once, a lockout as a warning (the access review lists lockouts
  // too); a line names the account and why, never what was typed.
  const services = withLoginAlerts(options.services ?? processServices(deps.catalog), (f) => {
    if (f.refused === 'locked_now') {
      app.log.warn({ alert: 'USER_LOCKED', ...f }, `account ${f.username} locked after ${f.failedAttempts} failed logins`);
    } else {
      app.log.info({ alert: 'LOGIN_REFUSED', ...f }, `login refused for ${f.username}: ${f.refused.replaceAll('_', ' ')}`);
    }
  });

  // Only JSON bodies: a text/plain body would reach a use-case as a string.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((err, req, reply) => {
    const r = errorReply(err, req.id, req.routeOptions.bodyLimit ?? bodyLimit);
    if (r.status >= 500) req.log.error({ err, requestId: req.id }, 'request failed');
    void reply.status(r.status).send(r.body);
  });
  let webApp: ((req: FastifyRequest, reply: FastifyReply) => boolean) | undefined;
  app.setNotFoundHandler((req, reply) => {
    if (webApp?.(req, reply) === true) return;
    const path = req.url.split('?')[0]?.slice(0, 200) ?? '';
    const r = envelopeOf(notFound(`no route ${req.method} ${path}`));
    void reply.status(r.status).send(r.body);
  });
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });

  await app.register(fastifyHelmet, { global: true });
  // The web UI on the same port, under the same headers (CSP: scripts and styles from this origin only).
  const webRoot = options.webRoot === undefined ? builtWebRoot() : options.webRoot === false ? undefined : options.webRoot;
  if (webRoot !== undefined) webApp = await registerWebApp(app, webRoot);
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true },
    getToken: (req) => {
      const t = req.headers[CSRF_HEADER];
      return typeof t === 'string' ? t : undefined;
    },
    // A token holds only with the session it was made for: one taken from another session is refused.
    getUserInfo: (req) => req.cookies[SESSION_COOKIE] ?? '',
    csrfOpts: { hmacKey: options.csrfKey ?? randomBytes(32).toString('base64'), userInfo: true },
  });
  if (limits !== false) {
    await app.register(fastifyRateLimit, {
      global: true,
      max: limits.max,
      timeWindow: limits.windowMs,
      errorResponseBuilder: () => new AppError('RATE_LIMITED', 'too many requests: wait a moment and try again'),
    });
  }

  app.get('/healthz', { config: { rateLimit: false } }, (_req, reply) => reply.send({ status: 'ok' }));
  app.get('/readyz', { config: { rateLimit: false } }, async (req, reply) => {
    try {
      await deps.store.read((r) => r.auditHead());
      return { status: 'ready' };
    } catch (err) {
      req.log.error({ err, requestId: req.id }, 'store does not answer');
      return reply.status(503).send(envelopeOf(new AppError('INTERNAL', 'the store does not answer')).body);
    }
  });
  let doc: Record<string, unknown> | undefined;
  app.get('/api/openapi.json', (_req, reply) => reply.send((doc ??= openApiDocument(useCases, UPLOAD_PATHS))));

  const authenticate = async (req: FastifyRequest): Promise<void> => {
    auths.set(req, await resolvePrincipal(req, authenticator));
  };
  const csrf = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void): void => {
    if (SAFE_METHODS.has(req.method) || auths.get(req)?.via !== 'session') {
      done();
      return;
    }
    app.csrfProtection(req, reply, done);
  };

  // The CSRF token of the caller's session; its secret goes in a cookie of its own (Secure behind TLS).
  app.get('/api/v1/session/csrf', (req, reply) => {
    const csrfToken = reply.generateCsrf({ userInfo: req.cookies[SESSION_COOKIE] ?? '', secure: req.protocol === 'https' });
    return reply.header('cache-control', 'no-store').send({ csrfToken });
  });

  for (const uc of useCases) {
    const binding = bindingOf(uc);
    const open = uc.kind === 'write' && (binding.session === 'start' || uc.permission === 'public') && limits !== false;
    const imports = typeof uc.permission === 'string' && IMPORT_PERMISSIONS.has(uc.permission);
    const readPool = options.readPool;
    // A heavy read without an entity tag or session goes to the read pool when there is one.
    const pooled = readPool !== undefined && uc.kind === 'read' && uc.heavy === true && binding.etag === undefined && binding.session === undefined;
    app.route({
      method: binding.method,
      url: binding.path,
      ...(open ? { config: { rateLimit: { max: limits.loginMax, timeWindow: limits.windowMs } } } : {}),
      ...(imports ? { bodyLimit: options.importBodyLimit ?? DEFAULT_IMPORT_BODY_LIMIT } : {}),
      preHandler: [authenticate, csrf],
      handler: async (req, reply) => {
        const ifMatch = req.headers['if-match'];
        const assembled = assembleInput(uc, binding, {
          params: req.params as Record<string, unknown>,
          query: req.query as Record<string, unknown>,
          body: req.body,
          ifMatch: typeof ifMatch === 'string' ? ifMatch : undefined,
        });
        const flowCookie = binding.cookie?.read === undefined ? undefined : req.cookies[binding.cookie.name];
        const raw = withFlowCookie(assembled, binding.cookie?.read, flowCookie);
        const principal = auths.get(req)?.principal ?? ANONYMOUS;
        if (pooled) {
          // The worker answers with the output as JSON text, sent as it is (it parsed, authorized and ran the call).
          const json = await readPool.run(uc.name, principal, raw);
          const asFile = binding.render?.(raw);
          if (asFile !== undefined) return sendFile(reply.status(binding.status ?? 200), asFile(JSON.parse(json)));
          return reply.header('cache-control', 'no-store').status(binding.status ?? 200).type('application/json; charset=utf-8').send(json);
        }
        let output: unknown;
        try {
          output = await execute(uc, { deps, principal, services }, raw, { checkOutput: options.checkOutput === true });
        } catch (e) {
          // A stale revision named by If-Match is a failed precondition (412), in the use-case's own words.
          if (ifMatch !== undefined && binding.ifMatch !== undefined && isAppError(e, 'CONFLICT') && e.details.field === binding.ifMatch) {
            throw new AppError('PRECONDITION_FAILED', e.message, e.details, { userMessage: e.userMessage, cause: e });
          }
          throw e;
        }
        void reply.header('cache-control', 'no-store');
        void reply.status(binding.status ?? 200);
        const asFile = binding.render?.(raw);
        if (asFile !== undefined) {
          const file = asFile(output);
          // The caller already holds these bytes (an attachment's SHA-256 is its tag): say so without sending them.
          if (file.etag !== undefined && binding.method === 'GET' && matchesNoneMatch(req.headers['if-none-match'], `"${file.etag}"`)) {
            return reply.header('etag', `"${file.etag}"`).status(304).send();
          }
          return sendFile(reply, file);
        }
        if (binding.etag !== undefined && isObject(output)) {
          const value = output[binding.etag];
          if (typeof value === 'number' || typeof value === 'string') {
            const tag = `"${String(value)}"`;
            void reply.header('etag', tag);
            // The caller already holds this revision: say so without sending it again (authorization has run).
            if (binding.method === 'GET' && matchesNoneMatch(req.headers['if-none-match'], tag)) return reply.status(304).send();
          }
        }
        const cookie = binding.cookie;
        if (cookie?.set !== undefined && isObject(output)) {
          const { [cookie.set]: value, ...rest } = output;
          if (typeof value === 'string') {
            void reply.setCookie(cookie.name, value, {
              path: cookie.path,
              httpOnly: true,
              sameSite: 'lax',
              secure: req.protocol === 'https',
              maxAge: cookie.maxAgeSeconds,
            });
          }
          output = rest;
        }
        // A flow cookie read back has done its work: cleared, so it cannot complete a second flow.
        if (cookie?.read !== undefined && flowCookie !== undefined) {
          void reply.clearCookie(cookie.name, { path: cookie.path, httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https' });
        }
        if (binding.session === 'start' && isObject(output) && output['sessionId'] !== undefined) {
          const { sessionId, ...rest } = output;
          if (typeof sessionId !== 'string') throw new AppError('INTERNAL', `${uc.name} starts a session but returned no sessionId`);
          const expires = typeof rest['expiresAt'] === 'string' ? new Date(rest['expiresAt']) : undefined;
          void reply.setCookie(SESSION_COOKIE, sessionId, {
            path: '/',
            httpOnly: true,
            sameSite: 'strict',
            secure: req.protocol === 'https',
            ...(expires === undefined || Number.isNaN(expires.getTime()) ? {} : { expires }),
          });
          output = rest;
        }
        if (binding.redirect !== undefined && isObject(output) && typeof output[binding.redirect] === 'string') {
          return reply.status(302).header('location', output[binding.redirect]).send();
        }
        if (binding.session === 'end') {
          void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https' });
        }
        return output;
      },
    });
  }
  const principalOf = (req: FastifyRequest): Principal => auths.get(req)?.principal ?? ANONYMOUS;
  const fileLimit = options.importBodyLimit ?? DEFAULT_IMPORT_BODY_LIMIT;
  await registerUploads(app, { deps, services, preHandler: [authenticate, csrf], principalOf, fileLimit, checkOutput: options.checkOutput === true });
  return app;
}

/** True when an `If-None-Match` header names this entity tag (weak or strong) or `*`. */
function matchesNoneMatch(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((t) => {
    const one = t.trim();
    return one === '*' || one.replace(/^W\//, '') === tag;
  });
}

/**
 * The input with the flow cookie's value in its field. The field comes only from the cookie: a value of the same
 * name in the query string or body is dropped, or a link could carry the value the cookie is there to prove.
 */
function withFlowCookie(input: unknown, field: string | undefined, value: string | undefined): unknown {
  if (field === undefined || !isObject(input)) return input;
  const { [field]: _fromRequest, ...rest } = input;
  return value === undefined ? rest : { ...rest, [field]: value };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The principal of a request: an API token from `Authorization: Bearer …`, else the session cookie, else
 * ANONYMOUS. A revoked token or an ended session is ANONYMOUS too (the use-case then answers 401).
 * @throws AppError UNAUTHENTICATED when the Authorization header is not a bearer token
 */
async function resolvePrincipal(req: FastifyRequest, authenticator: Authenticator): Promise<RequestAuth> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer[ ]+([\x21-\x7e]{1,512})$/i.exec(header.trim());
    if (m?.[1] === undefined) throw unauthenticated('the Authorization header must be `Bearer <API token>`', { field: 'Authorization' });
    return { principal: await authenticator.fromToken(m[1]), via: 'token' };
  }
  const session = req.cookies[SESSION_COOKIE];
  if (session !== undefined && session !== '') {
    const principal = await authenticator.fromSession(session);
    return principal.kind === 'anonymous' ? { principal, via: 'none' } : { principal, via: 'session' };
  }
  return { principal: ANONYMOUS, via: 'none' };
}

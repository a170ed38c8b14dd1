import routeData from 'virtual:dossier-routes';
import type { ApiInput, ApiOutput, ApiRoute, UseCaseName } from '../../../src/app/api-contract.js';

/** Every use-case's route, by name, from the server's registry at build time. */
const routes = routeData as Readonly<Record<string, ApiRoute | undefined>>;

export type { ApiInput, ApiOutput, UseCaseName };

/** The API's error envelope, as thrown to the page: what went wrong, in the server's words, and where. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** The error code (`INVALID_INPUT`, `CONFLICT`, `PRECONDITION_FAILED`, `UNAUTHENTICATED`, …). */
    readonly code: string,
    message: string,
    readonly status: number,
    /** The input field it is about, when the server named one. */
    readonly field?: string,
    /** The record it is about (`SRS-12`), when the server named one. */
    readonly record?: string,
  ) {
    super(message);
  }
}

/** True when `e` is an API error, of one of `codes` when given. */
export function isApiError(e: unknown, ...codes: string[]): e is ApiError {
  return e instanceof ApiError && (codes.length === 0 || codes.includes(e.code));
}

let csrf: Promise<string> | undefined;

/** The CSRF token of this browser's session (cookie-authenticated writes carry it); fetched once per session. */
function csrfToken(): Promise<string> {
  csrf ??= fetch('/api/v1/session/csrf', { credentials: 'same-origin' })
    .then(async (r) => ((await r.json()) as { csrfToken: string }).csrfToken)
    .catch((e: unknown) => {
      csrf = undefined;
      throw e;
    });
  return csrf;
}

/** Forgets the CSRF token (after logging in or out: a token holds only with the session it was made for). */
export function resetCsrf(): void {
  csrf = undefined;
}

/** What `request` builds from a use-case's route and input: the URL, method, headers and body. */
export interface BuiltRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/**
 * Builds the HTTP request of a use-case call: path parameters filled from the input (URL-encoded), the `If-Match`
 * field sent as the header, a GET's other fields as the query string (arrays as repeated keys), a write's as the
 * JSON body.
 * @throws ApiError when the use-case has no route (the bundle is older than the server)
 */
export function buildRequest(name: string, input: Readonly<Record<string, unknown>>): BuiltRequest {
  const route = routes[name];
  if (route === undefined) throw new ApiError('NOT_FOUND', `this page calls '${name}', which the server does not know: reload the page`, 404);
  const rest: Record<string, unknown> = { ...input };
  const path = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m: string, p: string) => {
    const v = rest[p];
    delete rest[p];
    return encodeURIComponent(typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
  });
  const headers: Record<string, string> = { accept: 'application/json' };
  if (route.ifMatch !== undefined && rest[route.ifMatch] !== undefined) {
    headers['if-match'] = `"${String(rest[route.ifMatch])}"`;
    delete rest[route.ifMatch];
  }
  if (route.method === 'GET') {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(rest)) {
      if (v === undefined || v === null) continue;
      for (const one of Array.isArray(v) ? (v as unknown[]) : [v]) qs.append(k, typeof one === 'string' ? one : JSON.stringify(one));
    }
    const q = qs.toString();
    return { url: q === '' ? path : `${path}?${q}`, method: 'GET', headers };
  }
  headers['content-type'] = 'application/json';
  return { url: path, method: route.method, headers, body: JSON.stringify(rest) };
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const e = (body as { error?: { code?: string; message?: string; field?: string; record?: string } } | undefined)?.error;
  if (e?.code !== undefined) return new ApiError(e.code, e.message ?? e.code, res.status, e.field, e.record);
  return new ApiError('INTERNAL', `the server answered ${res.status} ${res.statusText}`, res.status);
}

/**
 * Calls a use-case through the HTTP API: the input and output types are the use-case's own (its zod schemas), the
 * route comes from the server's registry. A write carries the session's CSRF token (fetched again once if the
 * server refuses it).
 * @throws ApiError with the server's code, message, field and record
 */
export async function call<N extends UseCaseName>(name: N, input: ApiInput<N>, options: { signal?: AbortSignal } = {}): Promise<ApiOutput<N>> {
  const req = buildRequest(name, input);
  const send = async (): Promise<Response> => {
    const headers = { ...req.headers };
    if (req.method !== 'GET') headers['x-csrf-token'] = await csrfToken();
    return fetch(req.url, {
      method: req.method,
      headers,
      credentials: 'same-origin',
      ...(req.body === undefined ? {} : { body: req.body }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  };
  let res = await send();
  if (res.status === 403 && req.method !== 'GET') {
    const e = await errorOf(res.clone());
    if (/csrf/i.test(e.message)) {
      resetCsrf();
      res = await send();
    }
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as ApiOutput<N>;
  return (await res.json()) as ApiOutput<N>;
}

/**
 * Sends files as multipart/form-data to an upload route (a JUnit report, an attachment) with the CSRF token.
 * @throws ApiError with the server's code and message
 */
export async function upload<T>(path: string, form: FormData): Promise<T> {
  const res = await fetch(path, { method: 'POST', body: form, credentials: 'same-origin', headers: { 'x-csrf-token': await csrfToken(), accept: 'application/json' } });
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

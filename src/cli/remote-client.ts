import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ERROR_TABLE } from '../app/error-table.js';
import { bindingOf, pathParams } from '../app/http-route.js';
import type { AnyUseCase } from '../app/use-case.js';
import { AppError, type ErrorCode } from '../core/errors.js';
import type { Store } from '../core/ports.js';
import { redactSecrets } from '../shared/redact.js';

/** A Dossier server and the API token the CLI sends it. */
export interface RemoteTarget {
  /** The server's base URL, e.g. `https://dossier.example.com`. */
  readonly url: string;
  /** An API token (`DOSSIER_TOKEN`); without one the server answers 401 to anything that needs a permission. */
  readonly token?: string | undefined;
}

/**
 * Runs a use-case on a Dossier server through its route: path parameters from the input, the rest as the query
 * string (GET) or the JSON body. The server's error comes back as an AppError with its code, message, field and
 * record, so the CLI prints it and exits with the same code as on a local store.
 * @throws AppError with the server's code; INVALID_INPUT when the server cannot be reached or answers what is not
 *   Dossier's API
 */
export async function callRemote(target: RemoteTarget, uc: AnyUseCase, input: unknown): Promise<unknown> {
  const binding = bindingOf(uc);
  const rest: Record<string, unknown> = typeof input === 'object' && input !== null ? { ...(input as Record<string, unknown>) } : {};
  let path = binding.path;
  for (const p of pathParams(binding.path)) {
    const v = rest[p];
    if (v === undefined || v === null) throw new AppError('INVALID_INPUT', `invalid ${uc.what}: ${p}: required`, { field: p });
    path = path.replace(`:${p}`, encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v)));
    delete rest[p];
  }
  const base = target.url.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${base}${path}`);
  } catch {
    throw new AppError('INVALID_INPUT', `--server '${redactSecrets(target.url)}' is not a URL`, { field: 'server' });
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.token !== undefined && target.token !== '') headers['authorization'] = `Bearer ${target.token}`;
  let body: string | undefined;
  if (binding.method === 'GET') {
    for (const [k, v] of Object.entries(rest)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, typeof one === 'object' ? JSON.stringify(one) : String(one));
    }
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(rest);
  }
  return send(url, base, { method: binding.method, headers, ...(body === undefined ? {} : { body }) });
}

/** One request to the server: its JSON answer, or the AppError its envelope (or its silence) stands for. */
async function send(url: URL, base: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
    const message = `cannot reach the Dossier server at ${redactSecrets(base)}: ${redactSecrets(cause)}`;
    throw new AppError('INVALID_INPUT', message, { field: 'server' });
  }
  return answer(res.status, await res.text(), base);
}

/** The JSON of a server's answer, or the AppError its envelope (or its lack of one) stands for. */
function answer(status: number, text: string, base: string): unknown {
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    const message = `the server at ${redactSecrets(base)} answered ${status} with something that is not JSON: is it a Dossier server?`;
    throw new AppError('INVALID_INPUT', message, { field: 'server' });
  }
  if (status >= 200 && status < 300) return json;
  throw errorFromEnvelope(json, status, base);
}

/**
 * Uploads files to an upload route of the server as multipart/form-data, streamed: the text fields first, then
 * each file read from disk chunk by chunk as the request is sent, so a 100 MB JUnit report is never held whole.
 * The part's file name is the path as given, so the server's messages name it as the local command would.
 * @param path - the route with its parameters filled in, e.g. `/api/v1/products/RPM/evidence/test-runs/upload`
 * @param part - the file parts' content type, and the name they are sent under (default: the path as given)
 * @throws AppError as `callRemote`; INVALID_INPUT naming a file that cannot be read
 */
export async function uploadRemote(
  target: RemoteTarget,
  path: string,
  fields: Readonly<Record<string, string>>,
  files: readonly string[],
  part: { readonly fileName?: string; readonly contentType: string } = { contentType: 'application/xml' },
): Promise<unknown> {
  const base = target.url.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${base}${path}`);
  } catch {
    throw new AppError('INVALID_INPUT', `--server '${redactSecrets(target.url)}' is not a URL`, { field: 'server' });
  }
  const boundary = `dossier-${randomUUID()}`;
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': `multipart/form-data; boundary=${boundary}` };
  if (target.token !== undefined && target.token !== '') headers['authorization'] = `Bearer ${target.token}`;
  const quote = (s: string): string => s.replace(/["\\\r\n]/g, (c) => encodeURIComponent(c));
  async function* body(): AsyncGenerator<Uint8Array> {
    for (const [name, value] of Object.entries(fields)) {
      yield Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`, 'utf8');
    }
    for (const file of files) {
      const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${quote(part.fileName ?? file)}"\r\ncontent-type: ${part.contentType}\r\n\r\n`;
      yield Buffer.from(head, 'utf8');
      try {
        for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
      } catch (e) {
        const code = (e as { code?: string }).code;
        throw new AppError('INVALID_INPUT', `${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`}`, { file });
      }
      yield Buffer.from('\r\n', 'utf8');
    }
    yield Buffer.from(`--${boundary}--\r\n`, 'utf8');
  }
  // node:http, not fetch: a request piped from the files keeps to the socket's pace, so the client holds a chunk or
  // two of the file at a time (Node 20's fetch read a stream body ahead, up to the whole file).
  const requestFn = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
  if (requestFn === undefined) throw new AppError('INVALID_INPUT', `--server '${redactSecrets(target.url)}' is not an http(s) URL`, { field: 'server' });
  const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = requestFn(url, { method: 'POST', headers }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        resolve({ status: r.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        // An answer before the whole upload was sent is a refusal: stop sending the rest.
        if (!req.writableFinished) req.destroy();
      });
      r.on('error', reject);
    });
    pipeline(Readable.from(body()), req).catch((e: unknown) => {
      // The file being uploaded could not be read: that error, not the connection's.
      if (e instanceof AppError) return reject(e);
      const cause = e instanceof Error ? e.message : String(e);
      reject(new AppError('INVALID_INPUT', `cannot reach the Dossier server at ${redactSecrets(base)}: ${redactSecrets(cause)}`, { field: 'server' }));
    });
  });
  return answer(res.status, res.text, base);
}

/**
 * Downloads a file the server serves as a file (an attachment): its bytes and entity tag, or the AppError of the
 * server's error envelope.
 * @param path - the route with its parameters filled in and encoded
 * @throws AppError as `callRemote`
 */
export async function downloadRemote(target: RemoteTarget, path: string): Promise<{ readonly bytes: Buffer; readonly etag: string | undefined }> {
  const base = target.url.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${base}${path}`);
  } catch {
    throw new AppError('INVALID_INPUT', `--server '${redactSecrets(target.url)}' is not a URL`, { field: 'server' });
  }
  const headers: Record<string, string> = {};
  if (target.token !== undefined && target.token !== '') headers['authorization'] = `Bearer ${target.token}`;
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
    throw new AppError('INVALID_INPUT', `cannot reach the Dossier server at ${redactSecrets(base)}: ${redactSecrets(cause)}`, { field: 'server' });
  }
  if (res.status !== 200) {
    answer(res.status, await res.text(), base);
    throw new AppError('INVALID_INPUT', `the server at ${redactSecrets(base)} answered ${res.status} without the file`, { field: 'server' });
  }
  const etag = res.headers.get('etag')?.replace(/^"|"$/g, '');
  return { bytes: Buffer.from(await res.arrayBuffer()), etag };
}

/** The AppError an error envelope stands for (the code as the server gave it, when Dossier knows it). */
function errorFromEnvelope(json: unknown, status: number, base: string): AppError {
  const e = (json as { error?: { code?: unknown; message?: unknown; field?: unknown; record?: unknown } } | undefined)?.error;
  if (e === undefined || typeof e.message !== 'string') {
    const message = `the server at ${redactSecrets(base)} answered ${status} without an error envelope: is it a Dossier server?`;
    return new AppError('INVALID_INPUT', message, { field: 'server' });
  }
  const code: ErrorCode = typeof e.code === 'string' && e.code in ERROR_TABLE ? (e.code as ErrorCode) : 'INTERNAL';
  return new AppError(code, e.message, {
    ...(typeof e.field === 'string' ? { field: e.field } : {}),
    ...(typeof e.record === 'string' ? { item: e.record } : {}),
  });
}

/**
 * The store a command sees when it runs against a server: the commands that still read or write the store
 * themselves instead of calling a use-case are refused with a clear message, never run on a local database.
 */
export const SERVER_ONLY_STORE: Store = {
  read: () => Promise.reject(notOnServer()),
  write: () => Promise.reject(notOnServer()),
  close: () => Promise.resolve(),
};

function notOnServer(): AppError {
  const message = 'this command does not run against a Dossier server yet: run it on a local store (--db) without --server';
  return new AppError('INVALID_INPUT', message, { field: 'server' });
}

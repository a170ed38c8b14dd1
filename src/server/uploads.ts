import { createHash } from 'node:crypto';
import fastifyMultipart, { type Multipart, type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { execute, isAllowed } from '../app/execute.js';
import type { AppServices } from '../app/use-case.js';
import { ingestTestRunUseCase } from '../app/use-cases/ingest-test-run.js';
import type { Principal } from '../core/access/principal.js';
import { AppError, invalidInput } from '../core/errors.js';
import type { Deps, Store } from '../core/ports.js';
import { combineFileHashes, fileHashLine } from '../ingest/files.js';
import { JUnitReader, runFacts } from '../ingest/junit.js';
import type { UploadRoute } from './openapi.js';
import { TEST_RUN_UPLOAD_PATH } from './upload-paths.js';
import { ATTACHMENT_UPLOAD_ROUTE, registerAttachmentUpload } from './attachment-upload.js';
import { DEFAULT_MAX_TEXT } from '../ingest/junit-limits.js';
import type { ParsedTestCase } from '../core/evidence/test-results.js';


const text = (description: string): Record<string, unknown> => ({ type: 'string', description });

/** The upload routes, for the OpenAPI document. */
export const UPLOAD_PATHS: readonly UploadRoute[] = [
  {
    path: TEST_RUN_UPLOAD_PATH,
    operationId: 'evidence.tests.upload',
    useCase: ingestTestRunUseCase,
    summary: 'Record a test run from uploaded JUnit XML files (streamed).',
    body: {
      type: 'object',
      required: ['contentHash', 'file'],
      properties: {
        contentHash: text(
          'SHA-256 (hex) over the sorted lines `<size>:<sha256 hex of the file>\\n`, one per file (what `dossier evidence tests` computes); ' +
            'checked against the files as they arrive',
        ),
        source: text('the files\' names as the caller knows them (default: the first file part\'s name)'),
        version: text('product version under test'),
        build: text('build number or CI pipeline ID'),
        commit: text('commit under test (7 to 64 hex digits)'),
        environment: text('where it ran'),
        runner: text('who or what ran it (default: the caller)'),
        startedAt: text('start time (default: the earliest suite timestamp)'),
        finishedAt: text('finish time'),
        maxText: text('cap in bytes on each message and output kept per test case (256 to 67108864)'),
        mapping: text('a mapping file as JSON: test name, class, file or class::name → record IDs'),
        file: { type: 'array', items: { type: 'string', contentMediaType: 'application/xml' }, description: 'the JUnit XML files, after the text fields' },
      },
    },
  },
  ATTACHMENT_UPLOAD_ROUTE,
];

/** The text fields of a test run upload that fill the run's facts (`meta`), as the CLI's flags do. */
const META_FIELDS = ['version', 'build', 'commit', 'environment', 'runner', 'startedAt', 'finishedAt'] as const;
/** Every text field the upload takes; anything else is refused, naming it. */
const FIELDS: ReadonlySet<string> = new Set([...META_FIELDS, 'contentHash', 'source', 'maxText', 'mapping']);
/** Longest text field (a mapping file is the longest one). */
const MAX_FIELD = 4 * 1024 * 1024;
/** Most files in one run (the CLI takes several JUnit files of one run). */
const MAX_FILES = 1000;

/** What the upload routes run with (from `buildServer`). */
export interface UploadOptions {
  readonly deps: Deps;
  readonly services: AppServices;
  /** Authentication and CSRF, as on every other route. */
  readonly preHandler: preHandlerHookHandler[];
  /** The principal `preHandler` found for a request. */
  readonly principalOf: (req: FastifyRequest) => Principal;
  /** Largest file part, in bytes: more is refused with 413 and nothing is written. */
  readonly fileLimit: number;
  readonly checkOutput: boolean;
}

/**
 * Registers the upload routes in a scope of their own (the multipart parser applies to them only, every other
 * route still takes JSON). A test run's JUnit files stream through the JUnit reader into `evidence.tests` and its
 * one transaction: the request is never held whole, whatever its size, and a refusal leaves the store unchanged.
 */
export async function registerUploads(app: FastifyInstance, options: UploadOptions): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, { preservePath: true });
    // No bodyLimit of its own: the multipart parser never buffers the body (the JSON limit stays as it is); each file
    // part has `fileLimit`.
    registerAttachmentUpload(scope, options, (req) => discardRest(req, options.fileLimit));
    scope.post(TEST_RUN_UPLOAD_PATH, { preHandler: options.preHandler }, async (req, reply) => {
      let output: unknown;
      try {
        output = await uploadTestRun(req, options);
      } catch (e) {
        discardRest(req, options.fileLimit);
        throw e;
      }
      void reply.header('cache-control', 'no-store');
      return reply.status(201).send(output);
    });
  });
}

/**
 * One test run upload: the text fields (before the files, or in the query string) give what the CLI's flags give;
 * each file part is parsed as it arrives and hashed on the way, and the hash must be the `contentHash` the caller
 * announced (checked inside the import's transaction, so a wrong one writes nothing).
 * @throws AppError INVALID_INPUT for a missing file, a field out of place or a file that is not JUnit XML (naming
 *   file, line and column), TOO_LARGE for a file over the limit, and whatever `execute` throws
 */
async function uploadTestRun(req: FastifyRequest, options: UploadOptions): Promise<unknown> {
  const parts = req.parts({
    limits: { fileSize: options.fileLimit, files: MAX_FILES, fields: FIELDS.size, fieldSize: MAX_FIELD, parts: MAX_FILES + FIELDS.size },
  })[Symbol.asyncIterator]();
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) if (typeof v === 'string') fields[k] = v;
  let first: MultipartFile | undefined;
  for (let next = await parts.next(); next.done !== true; next = await parts.next()) {
    const part: Multipart = next.value;
    if (part.type === 'file') {
      first = part;
      break;
    }
    fields[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
  }
  for (const k of Object.keys(fields)) if (!FIELDS.has(k)) throw invalidInput(`invalid test run upload: ${k}: not a field of a test run upload`, { field: k });
  if (first === undefined) throw invalidInput('invalid test run upload: file: no file part (send the JUnit XML files as file parts after the fields)', { field: 'file' });
  const maxText = fields['maxText'] === undefined ? DEFAULT_MAX_TEXT : Number(fields['maxText']);
  if (!/^\d+$/.test(fields['maxText'] ?? '256') || maxText < 256 || maxText > 64 * 1024 * 1024) {
    throw invalidInput(`invalid test run upload: maxText: must be a number of bytes from 256 to 67108864, not '${fields['maxText'] ?? ''}'`, { field: 'maxText' });
  }
  let mapping: unknown;
  if (fields['mapping'] !== undefined) {
    try {
      mapping = JSON.parse(fields['mapping']);
    } catch {
      throw invalidInput('invalid test run upload: mapping: not JSON (send the mapping file as a JSON object)', { field: 'mapping' });
    }
  }

  const readers: JUnitReader[] = [];
  const hashes: string[] = [];
  let pending: MultipartFile | undefined = first;
  let done = false;
  /** The next file part, or undefined after the last; a text field after the files is refused. */
  const nextFile = async (): Promise<MultipartFile | undefined> => {
    const next = await parts.next();
    if (next.done === true) return undefined;
    const part: Multipart = next.value;
    if (part.type !== 'file') throw invalidInput(`invalid test run upload: ${part.fieldname}: text fields must come before the files`, { field: part.fieldname });
    return part;
  };
  /** A file's bytes as they arrive, hashed on the way (what `hashFiles` does with a file on disk). */
  async function* hashed(file: MultipartFile): AsyncGenerator<Buffer> {
    const h = createHash('sha256');
    let size = 0;
    for await (const chunk of file.file) {
      const b = chunk as Buffer;
      h.update(b);
      size += b.length;
      yield b;
    }
    // Busboy stops a file at the limit and marks it truncated: never import the head of a file as if it were all.
    if (file.file.truncated) throw tooLarge();
    hashes.push(fileHashLine(size, h.digest('hex')));
  }
  const tooLarge = (): AppError => new AppError('TOO_LARGE', `the uploaded file is over the limit of ${options.fileLimit} bytes`, { field: 'file' });
  const verify = (): void => {
    const actual = combineFileHashes(hashes);
    if (actual !== fields['contentHash']) {
      throw invalidInput(`invalid test run upload: contentHash: the files uploaded hash to ${actual}, not to the contentHash sent`, { field: 'contentHash' });
    }
  };
  async function* cases(): AsyncGenerator<ParsedTestCase> {
    for (; pending !== undefined; pending = await nextFile()) {
      const reader = new JUnitReader(fileName(pending.filename, readers.length + 1), { maxText });
      readers.push(reader);
      yield* reader.cases(hashed(pending));
    }
    done = true;
    verify();
  }
  /** After the import: the rest of the upload is read (a repeated upload is not parsed) and its hash checked. */
  const finish = async (): Promise<void> => {
    if (done) return;
    for (; pending !== undefined; pending = await nextFile()) for await (const chunk of hashed(pending)) void chunk;
    done = true;
    verify();
  };

  const principal = options.principalOf(req);
  const productKey = (req.params as { productKey: string }).productKey;
  const input = {
    productKey,
    // The files' names as the caller gives them (the CLI sends the paths it was given), else the first file's name.
    source: fields['source'] ?? fileName(first.filename, 1),
    contentHash: fields['contentHash'],
    meta: Object.fromEntries(META_FIELDS.filter((k) => fields[k] !== undefined).map((k) => [k, fields[k]])),
    cases: cases(),
    facts: () => runFacts(readers),
    ...(mapping === undefined ? {} : { mapping }),
  };
  // Only a caller who may import gets the hash check inside the write (a refusal's audit event is written as is).
  const deps = isAllowed(ingestTestRunUseCase, principal, { productKey }) ? { ...options.deps, store: checkedStore(options.deps.store, finish) } : options.deps;
  try {
    return await execute(ingestTestRunUseCase, { deps, principal, services: options.services }, input, { checkOutput: options.checkOutput });
  } catch (e) {
    // The file part went over the limit while the import read it: the transaction is rolled back by now.
    if ((e as { code?: unknown } | null)?.code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw e;
  }
}

/**
 * Reads and drops what is left of a refused upload. A client streaming its request (Node's fetch, curl) reads the
 * answer only after it has sent the whole body; left unread, the body would stall it, and it would never see the
 * refusal. A client that goes on sending more than another `limit` bytes is cut off (it then sees the connection
 * close instead of the answer).
 */
function discardRest(req: FastifyRequest, limit: number): void {
  const raw = req.raw;
  if (raw.readableEnded || raw.destroyed) return;
  raw.unpipe();
  let seen = 0;
  raw.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) raw.destroy();
  });
  raw.resume();
}

/** A store whose writes run `before` just ahead of their commit: a failure there rolls the write back. */
function checkedStore(store: Store, before: () => Promise<void>): Store {
  return {
    read: (fn) => store.read(fn),
    write: (fn) =>
      store.write(async (w) => {
        const r = await fn(w);
        await before();
        return r;
      }),
    close: () => store.close(),
  };
}

/** A file part's name for messages and the source: as sent (the CLI sends the path it was given), printable, capped. */
function fileName(sent: string, n: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = sent.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 500);
  return clean === '' ? `file ${n}` : clean;
}

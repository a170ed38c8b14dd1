import { z } from 'zod';
import { ERROR_TABLE } from '../app/error-table.js';
import { permissionFor } from '../app/execute.js';
import type { AnyUseCase } from '../app/use-case.js';
import { bindingOf, pathParams } from '../app/http-route.js';
import { PERMISSIONS } from '../core/access/permissions.js';
import { SESSION_COOKIE } from './session.js';
import { packageVersion } from '../shared/package-version.js';

type Json = Record<string, unknown>;

const ENVELOPE: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_TABLE) },
        message: { type: 'string' },
        field: { type: 'string' },
        record: { type: 'string' },
      },
    },
  },
};

/**
 * JSON Schema 2020-12 (the dialect of OpenAPI 3.1) of a zod schema, with its `$defs` moved to the document's
 * components under a name prefixed by the operation, and references rewritten to match.
 */
function toSchema(schema: z.ZodType, io: 'input' | 'output', prefix: string, components: Json): Json {
  let js: Json;
  try {
    js = { ...z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) };
  } catch (e) {
    // One schema JSON Schema cannot express must not take the whole document down: say so where it would be.
    return { description: `not expressible in JSON Schema: ${e instanceof Error ? e.message : String(e)}` };
  }
  delete js['$schema'];
  const defs = js['$defs'] as Json | undefined;
  delete js['$defs'];
  const rename = (name: string): string => `${prefix}.${name}`.replace(/[^A-Za-z0-9._-]/g, '_');
  const rewrite = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(rewrite);
    if (typeof v !== 'object' || v === null) return v;
    const out: Json = {};
    for (const [k, x] of Object.entries(v as Json)) {
      const local = k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/');
      out[k] = local ? `#/components/schemas/${rename(x.slice(8))}` : rewrite(x);
    }
    return out;
  };
  if (defs !== undefined) for (const [name, d] of Object.entries(defs)) components[rename(name)] = rewrite(d);
  return rewrite(js) as Json;
}

/** A route that takes files as multipart/form-data and runs a use-case on them (see src/server/uploads.ts). */
export interface UploadRoute {
  /** The Fastify path, e.g. `/api/v1/products/:productKey/evidence/test-runs/upload`. */
  readonly path: string;
  readonly operationId: string;
  /** The use-case the upload runs: its permission, output and errors are the operation's. */
  readonly useCase: AnyUseCase;
  readonly summary: string;
  /** JSON Schema of the multipart body: its properties are the form's fields and files. */
  readonly body: Json;
}

/** The operation of an upload route: a multipart body, the use-case's answer and errors. */
function uploadOperation(u: UploadRoute, components: Json): Json {
  const uc = u.useCase;
  const permission = typeof uc.permission === 'function' ? 'depends on the input' : permissionFor(uc, {});
  const errors: Record<string, Json> = {};
  for (const code of ['400', '401', '403', '404', '409', '413', '415', '429', '500']) errors[code] = { $ref: '#/components/responses/Error' };
  return {
    operationId: u.operationId,
    summary: u.summary,
    description: `Permission: ${permission}. Streamed: the files are read as they arrive, in one transaction with the audit events.`,
    tags: [uc.name.split('.')[0] ?? uc.name],
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    parameters: pathParams(u.path).map((p) => ({ name: p, in: 'path', required: true, schema: { type: 'string' } })),
    requestBody: { required: true, content: { 'multipart/form-data': { schema: u.body } } },
    responses: {
      '201': { description: u.summary, content: { 'application/json': { schema: toSchema(uc.output as z.ZodType, 'output', `${u.operationId}.output`, components) } } },
      ...errors,
    },
  };
}

/**
 * The OpenAPI 3.1 document of the API, generated from the use-cases' own zod schemas: one operation per
 * use-case (operationId = its name), its permission, its error responses with the one envelope; then the upload
 * routes (multipart bodies).
 */
export function openApiDocument(useCases: readonly AnyUseCase[], uploads: readonly UploadRoute[] = []): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const components: Json = {};
  for (const u of uploads) (paths[u.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')] ??= {})['post'] = uploadOperation(u, components);
  for (const uc of useCases) {
    const b = bindingOf(uc);
    const params = pathParams(b.path);
    const input = toSchema(uc.input as z.ZodType, 'input', `${uc.name}.input`, components);
    const props = (input['properties'] ?? {}) as Record<string, Json>;
    const required = new Set((input['required'] ?? []) as string[]);
    const parameters: Json[] = params.map((p) => ({ name: p, in: 'path', required: true, schema: props[p] ?? { type: 'string' } }));
    if (b.cookie?.read !== undefined) {
      const description = 'set by the request that started this flow; ties it to this browser';
      parameters.push({ name: b.cookie.name, in: 'cookie', required: false, description, schema: { type: 'string' } });
    }
    let requestBody: Json | undefined;
    if (b.method === 'GET') {
      for (const [name, s] of Object.entries(props)) {
        // A field the flow cookie fills is not a query parameter (the server drops one of that name).
        if (params.includes(name) || name === b.cookie?.read) continue;
        const array = s['type'] === 'array' ? { style: 'form', explode: true } : {};
        parameters.push({ name, in: 'query', required: required.has(name), schema: s, ...array });
      }
    } else {
      const bodyProps = Object.fromEntries(Object.entries(props).filter(([k]) => !params.includes(k)));
      const bodyRequired = [...required].filter((k) => !params.includes(k) && k !== b.ifMatch);
      requestBody = {
        required: bodyRequired.length > 0,
        content: { 'application/json': { schema: { ...input, properties: bodyProps, required: bodyRequired } } },
      };
    }
    if (b.ifMatch !== undefined) {
      const description = `the revision acted on, e.g. "3" (fills ${b.ifMatch})`;
      parameters.push({ name: 'If-Match', in: 'header', required: false, description, schema: { type: 'string' } });
    }
    const permission = typeof uc.permission === 'function' ? 'depends on the input' : permissionFor(uc, {});
    const isPublic = permission === 'public';
    const status = String(b.status ?? 200);
    const output = toSchema(uc.output as z.ZodType, 'output', `${uc.name}.output`, components);
    if (b.session === 'start' && typeof output['properties'] === 'object' && output['properties'] !== null) {
      const outProps = { ...(output['properties'] as Json) };
      delete outProps['sessionId'];
      output['properties'] = outProps;
      if (Array.isArray(output['required'])) output['required'] = (output['required'] as string[]).filter((r) => r !== 'sessionId');
    }
    const errors: Record<string, Json> = {};
    for (const code of ['400', '401', '403', '404', '409', ...(b.ifMatch === undefined ? [] : ['412']), '413', '429', '500']) {
      errors[code] = { $ref: '#/components/responses/Error' };
    }
    const op: Json = {
      operationId: uc.name,
      summary: uc.summary,
      description:
        `Permission: ${permission}` +
        (typeof uc.permission === 'string' && uc.permission in PERMISSIONS
          ? ` (${PERMISSIONS[uc.permission as keyof typeof PERMISSIONS].summary})`
          : '') +
        `. ${uc.kind === 'read' ? 'Changes nothing.' : 'Changes the store in one transaction with its audit events.'}`,
      tags: [uc.name.split('.')[0] ?? uc.name],
      security: isPublic ? [] : [{ bearerToken: [] }, { sessionCookie: [] }],
      parameters,
      ...(requestBody === undefined ? {} : { requestBody }),
      responses: {
        [status]: {
          description: uc.summary,
          ...(b.etag === undefined ? {} : { headers: { ETag: { description: `the ${b.etag}`, schema: { type: 'string' } } } }),
          // A binding that renders (an export's format=csv) may answer a file instead.
          content: { 'application/json': { schema: output }, ...(b.render === undefined ? {} : { 'text/csv': { schema: { type: 'string' } } }) },
        },
        // A binding that redirects (single sign-on) answers 302 when its output names where to go.
        ...(b.redirect === undefined
          ? {}
          : { '302': { description: 'a redirect (the browser goes on to the Location)', headers: { Location: { schema: { type: 'string' } } } } }),
        ...errors,
      },
    };
    const oaPath = b.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
    (paths[oaPath] ??= {})[b.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Dossier API', version: packageVersion(), description: 'The JSON API of Dossier, over the same use-cases as the CLI.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { ErrorEnvelope: ENVELOPE, ...components },
      responses: {
        Error: {
          description: 'the error envelope',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
        },
      },
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'an API token' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'a login session; writes also need X-CSRF-Token',
        },
      },
    },
  };
}

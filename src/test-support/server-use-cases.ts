import { z } from 'zod';
import { USE_CASES } from '../app/registry.js';
import { defineUseCase, type AnyUseCase } from '../app/use-case.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { getRecord } from '../app/use-cases/get-record.js';
import { ProductKeySchema, RecordSummarySchema } from '../core/entities.js';
import { AppError } from '../core/errors.js';

/**
 * Test-only descriptors, under /api/v1/test so they never collide with a real route: an edit with If-Match, a login
 * and logout, a query echo, a file import, and one that breaks.
 */
export const editUseCase = defineUseCase({
  name: 'test.edit',
  summary: 'Edit a record.',
  kind: 'write',
  what: 'edit',
  input: z.strictObject({ productKey: ProductKeySchema, record: z.string().min(1), baseRevision: z.number().int().positive(), title: z.string().optional() }),
  output: RecordSummarySchema,
  permission: 'record.edit',
  http: { method: 'PATCH', path: '/api/v1/test/products/:productKey/records/:record', ifMatch: 'baseRevision', etag: 'latestRevision' },
  run: ({ deps }, input) => editRecord(deps, input),
});
export const loginUseCase = defineUseCase({
  name: 'test.login',
  summary: 'Log in.',
  kind: 'write',
  what: 'login',
  input: z.strictObject({ username: z.string(), password: z.string() }),
  output: z.object({ sessionId: z.string(), expiresAt: z.string(), user: z.string() }),
  permission: 'public',
  http: { method: 'POST', path: '/api/v1/test/session', session: 'start', status: 201 },
  run: (_ctx, input) =>
    input.password === 'right'
      ? Promise.resolve({ sessionId: `sess-${input.username}`, expiresAt: '2099-01-01T00:00:00.000Z', user: input.username })
      : Promise.reject(new AppError('UNAUTHENTICATED', 'wrong username or password')),
});
export const logoutUseCase = defineUseCase({
  name: 'test.logout',
  summary: 'Log out.',
  kind: 'write',
  what: 'logout',
  input: z.strictObject({}),
  output: z.object({ ended: z.boolean() }),
  permission: 'signed-in',
  http: { method: 'DELETE', path: '/api/v1/test/session', session: 'end' },
  run: () => Promise.resolve({ ended: true }),
});
export const echoUseCase = defineUseCase({
  name: 'test.echo',
  summary: 'Echo the query.',
  kind: 'read',
  what: 'query',
  input: z.strictObject({
    productKey: ProductKeySchema,
    limit: z.number().int().optional(),
    all: z.boolean().optional(),
    type: z.array(z.string()).optional(),
    q: z.string().optional(),
  }),
  output: z.unknown(),
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/test/products/:productKey/echo' },
  run: (_ctx, input) => Promise.resolve(input),
});
export const brokenUseCase = defineUseCase({
  name: 'test.broken',
  summary: 'Break.',
  kind: 'read',
  what: 'nothing',
  input: z.strictObject({}),
  output: z.unknown(),
  permission: 'signed-in',
  run: () => Promise.reject(new Error('secret internals at /srv/app.ts:12')),
});
export const getUseCase = defineUseCase({
  name: 'test.get',
  summary: 'Read a record.',
  kind: 'read',
  what: 'record',
  input: z.strictObject({ productKey: ProductKeySchema, record: z.string().min(1) }),
  output: z.object({ key: z.string(), latestRevision: z.number(), title: z.string() }),
  permission: 'product.read',
  http: { method: 'GET', path: '/api/v1/test/products/:productKey/records/:record', etag: 'latestRevision' },
  run: async ({ deps }, input) => {
    const v = await getRecord(deps, input);
    return { key: v.key, latestRevision: v.head.latestRevision, title: v.revision.title };
  },
});
export const importUseCase = defineUseCase({
  name: 'test.import',
  summary: 'Import a file.',
  kind: 'write',
  what: 'import',
  input: z.strictObject({ productKey: ProductKeySchema, content: z.string() }),
  output: z.object({ bytes: z.number() }),
  permission: 'evidence.import',
  http: { method: 'POST', path: '/api/v1/test/products/:productKey/import', status: 201 },
  run: (_ctx, input) => Promise.resolve({ bytes: input.content.length }),
});
/** Every registered use-case and the test-only ones. */
export const TEST_USE_CASES: AnyUseCase[] = [...USE_CASES, editUseCase, loginUseCase, logoutUseCase, echoUseCase, brokenUseCase, importUseCase, getUseCase];


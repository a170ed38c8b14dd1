import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectAppError as rejects, storeSnapshot } from '../test-support/assertions.js';
import type { Deps } from '../core/ports.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { aProduct } from '../test-support/factories.js';
import { ANONYMOUS, type Principal } from '../core/access/principal.js';
import type { RoleGrant } from '../core/access/permissions.js';
import { ERROR_TABLE } from './error-table.js';
import { execute } from './execute.js';
import { defineUseCase, type AnyUseCase } from './use-case.js';
import { z } from 'zod';
import { forbidden } from '../core/errors.js';
import { processServices } from './process-services.js';
import { listAuditEvents } from './use-cases/list-audit-events.js';
import { addRecordUseCase } from './use-cases/add-record.js';
import { listProductsUseCase } from './use-cases/list-products.js';

const user = (id: string, grants: RoleGrant[], scope?: Principal['scope']): Principal => ({
  id,
  userId: 7,
  printedName: id,
  kind: scope === undefined ? 'user' : 'token',
  grants,
  ...(scope === undefined ? {} : { scope }),
  sessionId: 's1',
  authenticatedAt: '2026-01-01T00:00:00.000Z',
});

const srs = { productKey: 'RPM', record: { type: 'SRS', title: 'Upload uses TLS 1.3 only' } };

describe.each(DIALECTS)('execute on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
  });
  afterEach(async () => t.cleanup());
  const run = (p: Principal, input: unknown, uc: AnyUseCase = addRecordUseCase): Promise<unknown> =>
    execute(uc, { deps, principal: p, services: processServices(deps.catalog) }, input, { checkOutput: true });

  it('runs a permitted use-case as the principal: the audit event names the principal, not the deps actor', async () => {
    const r = await run(user('bob', [{ productKey: 'RPM', role: 'author' }]), srs);
    expect(r).toMatchObject({ key: 'SRS-1', createdBy: 'bob' });
    const events = await listAuditEvents(deps, {});
    expect(events.at(-1)).toMatchObject({ action: 'RECORD_CREATED', actor: 'bob', entityId: 'RPM/SRS-1' });
  });

  it('P11-04: refuses anonymous callers with UNAUTHENTICATED and writes nothing', async () => {
    const before = await storeSnapshot(deps);
    await rejects(run(ANONYMOUS, srs), 'UNAUTHENTICATED', /record\.add needs a login/);
    expect(await storeSnapshot(deps)).toBe(before);
  });

  it('P11-07: refuses a role without the permission with FORBIDDEN and keeps the refusal in the audit trail [DOSSIER-SRS-29]', async () => {
    await rejects(run(user('vera', [{ productKey: 'RPM', role: 'viewer' }]), srs), 'FORBIDDEN', /vera may not add a record.*record\.create on RPM/);
    // A role on another product grants nothing here; a token is held to its scope.
    await rejects(run(user('otto', [{ productKey: 'OTHER', role: 'author' }]), srs), 'FORBIDDEN', /otto may not/);
    await rejects(run(user('ci', [{ productKey: 'RPM', role: 'author' }], ['evidence.import']), srs), 'FORBIDDEN', /needs the permission record.create/);
    const denied = (await listAuditEvents(deps, {})).filter((e) => e.action === 'ACCESS_DENIED');
    expect(denied.map((e) => [e.actor, e.entityId, e.productKey])).toEqual([
      ['vera', 'record.add', 'RPM'],
      ['otto', 'record.add', 'RPM'],
      ['ci', 'record.add', 'RPM'],
    ]);
    expect(JSON.parse(denied[0]?.newValue ?? '{}')).toEqual({ useCase: 'record.add', permission: 'record.create', principal: 'user' });
    expect((await listAuditEvents(deps, {})).some((e) => e.action === 'RECORD_CREATED')).toBe(false);
  });

  it('P11-07: keeps a refusal the use-case makes itself in the audit trail too', async () => {
    const picky = defineUseCase({
      name: 'test.picky',
      summary: 'Refuse everyone.',
      kind: 'read',
      what: 'nothing',
      input: z.strictObject({ productKey: z.string() }),
      output: z.null(),
      permission: 'product.read',
      run: () => Promise.reject(forbidden('not you: this needs more than a viewer', { permission: 'record.approve' })),
    });
    await rejects(run(user('vera', [{ productKey: 'RPM', role: 'viewer' }]), { productKey: 'RPM' }, picky), 'FORBIDDEN', /not you/);
    const denied = (await listAuditEvents(deps, {})).filter((e) => e.action === 'ACCESS_DENIED');
    expect(denied.map((e) => [e.actor, e.entityId, e.productKey])).toEqual([['vera', 'test.picky', 'RPM']]);
    expect(JSON.parse(denied[0]?.newValue ?? '{}')).toEqual({ useCase: 'test.picky', permission: 'record.approve', principal: 'user' });
  });

  it('parses the input before anything else: a bad input names the field, whoever asks [DOSSIER-SRS-37]', async () => {
    await rejects(run(ANONYMOUS, { productKey: 'RPM', record: { type: 'SRS', title: '' } }), 'INVALID_INPUT', /record\.title/);
  });

  it('lists only the products a principal may read', async () => {
    await aProduct(deps, { key: 'OTHER' });
    const keys = async (p: Principal) => ((await run(p, {}, listProductsUseCase)) as { key: string }[]).map((x) => x.key);
    expect(await keys(user('vera', [{ productKey: 'RPM', role: 'viewer' }]))).toEqual(['RPM']);
    expect(await keys(user('ada', [{ productKey: '*', role: 'admin' }]))).toEqual(['OTHER', 'RPM']);
    await rejects(run(ANONYMOUS, {}, listProductsUseCase), 'UNAUTHENTICATED', /product.list needs a login/);
  });
});

describe('the error table', () => {
  it('gives every error code an exit code and an HTTP status', () => {
    for (const [code, o] of Object.entries(ERROR_TABLE)) {
      expect(Number.isInteger(o.exit), code).toBe(true);
      expect(o.http >= 400 && o.http < 600, code).toBe(true);
    }
    expect(ERROR_TABLE.FORBIDDEN.http).toBe(403);
    expect(ERROR_TABLE.UNAUTHENTICATED.http).toBe(401);
  });
});

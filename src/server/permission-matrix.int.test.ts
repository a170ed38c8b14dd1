import { TEST_SERVICES } from '../test-support/services.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { execute, permissionFor, productFor } from '../app/execute.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { grantRoleUseCase } from '../app/use-cases/grant-role.js';
import { localPrincipal } from '../core/access/principal.js';
import { bindingOf, pathParams } from '../app/http-route.js';
import { USE_CASES } from '../app/registry.js';
import { defineUseCase, type AnyUseCase, type HttpBinding } from '../app/use-case.js';
import { grants, PERMISSIONS, ROLES, type RoleGrant } from '../core/access/permissions.js';
import type { Deps } from '../core/ports.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { FIELD_SAMPLES, sampleInput } from '../test-support/sample-input.js';
import { aPrincipal, roleTokens } from '../test-support/server.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { buildServer } from './app.js';

/**
 * Inputs for use-cases whose schema the generator in `sample-input.ts` cannot satisfy by itself. A new use-case
 * whose generated sample does not parse makes this test fail until it gets one here.
 */
const SAMPLE_INPUTS: Readonly<Record<string, unknown>> = {
  'record.add': { productKey: 'RPM', record: { type: 'SRS', title: 'Matrix record' } },
  // A token nobody holds: whose token it is (the caller's own, or user.manage for another's) is the use-case's check.
  'token.revoke': { id: 999_999 },
  'user.link-sso': { username: 'nobody', issuer: 'https://idp.example.com', subject: 'matrix-subject' },
  'rule.add-pack': {
    productKey: 'RPM',
    pack: {
      pack: 'matrix',
      title: 'Matrix',
      rules: [
        {
          id: 'MATRIX-DOC-LOCATION',
          clause: 'ISO 13485 4.2.4',
          title: 'Documents say where they live',
          severity: 'warning',
          select: { type: 'DOC' },
          require: { fields: ['location'] },
          message: '{key} has no location',
          why: 'We keep documents in git.',
          hint: 'Set location.',
        },
      ],
    },
  },
  'setup.first-admin': { code: 'ABCD-EFGH', username: 'matrixadmin', printedName: 'Matrix Admin', password: 'a long enough matrix password' },
  'user.unlock': { username: 'nobody' },
  'docs.file': { productKey: 'RPM', document: 'software-requirements', format: 'docx' },
};

/**
 * Writes that may run with no permission from the table (anyone signed in, or anyone), besides starting and ending
 * a session: each acts only on the caller's own account, or proves itself with a one-time secret. Any other write
 * that needs less than a permission is reported, so a descriptor cannot quietly grant what the table does not.
 */
const OPEN_WRITES: ReadonlySet<string> = new Set([
  'password.change', // the caller's own password
  'password.reset', // completes a reset with the one-time secret an admin issued
  'token.revoke', // the caller's own tokens (all tokens need user.manage, checked by the use-case)
  'signature.accept-statement', // the caller's own acceptance, proved by the password again
  'sso.login', // starts a single sign-on request (operational row); the provider proves who logs in
  'sso.reauth', // the caller's own re-authentication, for its own session
]);

const MATRIX_SERVICES = TEST_SERVICES;

/** Who calls: a token per role on RPM, a role on another product, anonymous, a revoked token. */
interface Caller {
  readonly label: string;
  readonly headers: Record<string, string>;
  /** The grants the permission table judges; undefined for nobody (anonymous, revoked). */
  readonly grants: readonly RoleGrant[] | undefined;
}
const CALLERS: readonly Caller[] = [
  ...ROLES.map((role) => ({ label: role, headers: { authorization: `Bearer tok-${role}` }, grants: [{ productKey: 'RPM', role }] })),
  { label: 'admin of another product', headers: { authorization: 'Bearer tok-other' }, grants: [{ productKey: 'OTHER', role: 'admin' }] },
  { label: 'anonymous', headers: {}, grants: undefined },
  { label: 'revoked token', headers: { authorization: 'Bearer tok-revoked' }, grants: undefined },
];

/** What is wrong with a descriptor before any call: no route of its own, no known permission, an open write. */
export function descriptorProblems(uc: AnyUseCase): string[] {
  const problems: string[] = [];
  if (uc.http === undefined) problems.push(`${uc.name} has no http binding (it would only be reachable at POST /api/v1/call/${uc.name})`);
  if (typeof uc.permission === 'string' && uc.permission !== 'public' && uc.permission !== 'signed-in' && !(uc.permission in PERMISSIONS)) {
    problems.push(`${uc.name} needs '${uc.permission}', which is not in the permission table`);
  }
  const open = typeof uc.permission === 'string' && (uc.permission === 'public' || uc.permission === 'signed-in' || uc.permission === 'product.read');
  if (uc.kind === 'write' && open && uc.http?.session === undefined && !OPEN_WRITES.has(uc.name)) {
    problems.push(`${uc.name} changes the store but needs only '${String(uc.permission)}': give it a write permission (or list it in OPEN_WRITES)`);
  }
  if (sampleFor(uc) === undefined) problems.push(`${uc.name}: no input sample parses; add one to SAMPLE_INPUTS`);
  return problems;
}

/** A use-case's input schema (AnyUseCase keeps it untyped). */
const inputOf = (uc: AnyUseCase): z.ZodType => uc.input as z.ZodType;

function sampleFor(uc: AnyUseCase): unknown {
  const given = SAMPLE_INPUTS[uc.name];
  if (given !== undefined) return inputOf(uc).safeParse(given).success ? given : undefined;
  return sampleInput(uc);
}

/** Whether the permission table lets these grants run the use-case on this input (undefined grants: nobody). */
function tableAllows(uc: AnyUseCase, held: readonly RoleGrant[] | undefined, input: unknown): boolean {
  const parsed: unknown = inputOf(uc).parse(input);
  const permission = permissionFor(uc, parsed);
  if (permission === 'public') return true;
  if (held === undefined) return false;
  if (permission === 'signed-in') return true;
  return grants(held, permission, productFor(uc, parsed));
}

/** The request that calls a use-case with an input through its own route. */
function requestFor(uc: AnyUseCase, input: unknown): { method: HttpBinding['method']; url: string; query?: Record<string, string | string[]>; payload?: Record<string, unknown> } {
  const b = bindingOf(uc);
  const rest = { ...(input as Record<string, unknown>) };
  let url = b.path;
  for (const p of pathParams(b.path)) {
    url = url.replace(`:${p}`, encodeURIComponent(String(rest[p])));
    delete rest[p];
  }
  if (b.method !== 'GET') return { method: b.method, url, payload: rest };
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(rest)) query[k] = Array.isArray(v) ? v.map((x) => String(x as string)) : String(v);
  return { method: b.method, url, query };
}

describe('the permission matrix checks itself', () => {
  it('reports a use-case without a route, an unknown permission, and a write open to anyone', () => {
    const loose = defineUseCase({
      name: 'test.loose',
      summary: 'Loose.',
      kind: 'write',
      what: 'x',
      input: z.strictObject({}),
      output: z.unknown(),
      permission: 'signed-in',
      run: () => Promise.resolve(null),
    });
    expect(descriptorProblems(loose)).toEqual([
      'test.loose has no http binding (it would only be reachable at POST /api/v1/call/test.loose)',
      "test.loose changes the store but needs only 'signed-in': give it a write permission (or list it in OPEN_WRITES)",
    ]);
    expect(descriptorProblems({ ...loose, http: { method: 'POST', path: '/x' }, kind: 'read', permission: 'record.fly' as 'record.edit' })).toEqual([
      "test.loose needs 'record.fly', which is not in the permission table",
    ]);
  });
});

describe.each(DIALECTS)('every route × every role against the permission table on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ t, deps } = await freshStore(dialect));
    await aProduct(deps);
    await aProduct(deps, { key: 'OTHER' });
    await someRecords(deps, 'RPM', ['SRS', 'TC']);
    const auth = roleTokens('RPM');
    auth.tokens.set('tok-other', aPrincipal('other', [{ productKey: 'OTHER', role: 'admin' }], 'token'));
    // Each caller is also a user of the store with the same role, as a real token's holder is: use-cases that act on
    // the caller's own account (a password change, a token) find it.
    const ops = { deps, principal: localPrincipal('ops'), services: MATRIX_SERVICES };
    for (const [username, productKey, role] of [...ROLES.map((r) => [r, 'RPM', r] as const), ['other', 'OTHER', 'admin'] as const]) {
      await execute(createUserUseCase, ops, { username, printedName: username, password: String(FIELD_SAMPLES['password']) });
      await execute(grantRoleUseCase, ops, { username, role, productKey });
      const row = await deps.store.read((r) => r.findUser(username));
      const token = `tok-${username}`;
      const p = auth.tokens.get(token);
      if (p !== undefined && row !== undefined) auth.tokens.set(token, { ...p, userId: row.id });
    }
    app = await buildServer({ deps, authenticator: auth, services: MATRIX_SERVICES, rateLimit: false });
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  it('has a use-case registered at all', () => {
    expect(USE_CASES.length).toBeGreaterThan(0);
  });

  describe.each(USE_CASES.map((uc) => [uc.name, uc] as const))('%s', (_name, uc) => {
    it('has a route, a permission in the table and a sample input', () => {
      expect(descriptorProblems(uc)).toEqual([]);
    });

    it.each(CALLERS.map((c) => [c.label, c] as const))('P11-07: as %s: allowed exactly when the table grants it [DOSSIER-SRS-29]', async (_label, caller) => {
      const input = sampleFor(uc);
      if (input === undefined) return; // reported above
      const allowed = tableAllows(uc, caller.grants, input);
      const r = await app.inject({ ...requestFor(uc, input), headers: caller.headers });
      const body = r.body.slice(0, 300);
      if (allowed) {
        expect(r.statusCode, `${uc.name} refused ${caller.label}, whom the table allows: ${body}`).not.toBe(403);
        // A public use-case may itself answer 401 (a wrong password), but never because the caller is nobody.
        if (permissionFor(uc, inputOf(uc).parse(input)) !== 'public') expect(r.statusCode, body).not.toBe(401);
        expect(body).not.toMatch(/needs a login or an API token/);
      } else {
        expect(r.statusCode, `${uc.name} for ${caller.label}: the table grants nothing here: ${body}`).toBe(caller.grants === undefined ? 401 : 403);
      }
    });
  });
});

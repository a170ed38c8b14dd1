import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { execute } from '../app/execute.js';
import { StoreAuthenticator } from '../app/store-authenticator.js';
import { changeRecordStatus } from '../app/use-cases/change-record-status.js';
import { createUserUseCase } from '../app/use-cases/create-user.js';
import { editRecord } from '../app/use-cases/edit-record.js';
import { grantRoleUseCase } from '../app/use-cases/grant-role.js';
import { listAuditEvents } from '../app/use-cases/list-audit-events.js';
import { localPrincipal } from '../core/access/principal.js';
import { DEFAULT_IDENTITY_POLICY } from '../core/identity/policy.js';
import type { Deps } from '../core/ports.js';
import { Readable } from 'node:stream';
import { EXIT } from '../cli/exit-codes.js';
import { runCli } from '../cli/main.js';
import { aProduct, someRecords } from '../test-support/factories.js';
import { TEST_SERVICES } from '../test-support/services.js';
import { aSigningTeam, SIGNERS } from '../test-support/signers.js';
import { DIALECTS, freshStore, type TestStore } from '../test-support/stores.js';
import { buildServer } from './app.js';
import { SESSION_COOKIE } from './session.js';

const services = TEST_SERVICES;
const SIGN = '/api/v1/products/RPM/signatures';

/** What a browser sends after logging in: the session cookie and the CSRF token. */
interface Session {
  readonly cookies: Record<string, string>;
  readonly headers: Record<string, string>;
}

describe.each(DIALECTS)('signing records over HTTP on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  let app: FastifyInstance;
  beforeEach(async () => {
    ({ t, deps } = await freshStore(dialect, SIGNERS.dana.username));
    await aProduct(deps);
    await aSigningTeam(deps, 'RPM');
    await someRecords(deps, 'RPM', ['SRS', 'SRS', 'SRS']);
    for (const r of ['SRS-1', 'SRS-2', 'SRS-3']) await changeRecordStatus(deps, { productKey: 'RPM', record: r, to: 'in_review', baseRevision: 1 });
    app = await buildServer({ deps, authenticator: new StoreAuthenticator(deps.store, deps.clock, DEFAULT_IDENTITY_POLICY), services, checkOutput: true });
  });
  afterEach(async () => {
    await app.close();
    await t.cleanup();
  });

  const login = async (who: keyof typeof SIGNERS): Promise<Session> => {
    const s = SIGNERS[who];
    const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: s.username, password: s.password } });
    expect(res.statusCode, res.body).toBe(200);
    const cookies = { [SESSION_COOKIE]: res.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '' };
    const csrf = await app.inject({ method: 'GET', url: '/api/v1/session/csrf', cookies });
    return {
      cookies: { ...cookies, dossier_csrf: csrf.cookies.find((c) => c.name === 'dossier_csrf')?.value ?? '' },
      headers: { 'x-csrf-token': csrf.json<{ csrfToken: string }>().csrfToken },
    };
  };
  const records = (...keys: string[]) => keys.map((k) => ({ record: k, revision: 1 }));
  const lastEvent = async () => (await listAuditEvents(deps, {})).at(-1);

  it('P11-19: a session\'s first signing needs username and password, the next only the password [DOSSIER-SRS-30]', async () => {
    const quinn = await login('quinn');
    const bare = await app.inject({ method: 'POST', url: SIGN, ...quinn, payload: { records: records('SRS-1'), meaning: 'reviewed', password: SIGNERS.quinn.password } });
    expect(bare.statusCode).toBe(400);
    expect(bare.json<{ error: { message: string } }>().error.message).toMatch(/first signature of a session needs your username/);
    const first = await app.inject({ method: 'POST', url: SIGN, ...quinn, payload: { records: records('SRS-1'), meaning: 'reviewed', username: 'quinn.qa', password: SIGNERS.quinn.password } });
    expect(first.statusCode, first.body).toBe(200);
    const next = await app.inject({ method: 'POST', url: SIGN, ...quinn, payload: { records: records('SRS-2'), meaning: 'reviewed', password: SIGNERS.quinn.password } });
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json<{ signatures: { manifestation: string }[] }>().signatures[0]?.manifestation).toMatch(/^Reviewed by Quinn Quality \(quinn\.qa\) on .* UTC, revision 1$/);
    // A replayed identical request after success is refused (a signature is given once) and audited.
    const replay = await app.inject({ method: 'POST', url: SIGN, ...quinn, payload: { records: records('SRS-2'), meaning: 'reviewed', password: SIGNERS.quinn.password } });
    expect(replay.statusCode).toBe(409);
    expect(replay.json<{ error: { message: string } }>().error.message).toMatch(/^RPM\/SRS-2 is already signed as reviewed by quinn\.qa on .* UTC; a signature is given once$/);
    expect(await lastEvent()).toMatchObject({ action: 'SIGNATURE_REFUSED', actor: 'quinn.qa' });
    const inbox = await app.inject({ method: 'GET', url: '/api/v1/inbox', cookies: quinn.cookies });
    expect(inbox.json<{ items: { record: string }[] }>().items.map((i) => i.record)).toEqual(['RPM/SRS-3']);
    // Never a signature on the session alone.
    const none = await app.inject({ method: 'POST', url: SIGN, ...quinn, payload: { records: records('SRS-3'), meaning: 'reviewed' } });
    expect(none.statusCode).toBe(400);
  });

  it('P11-19: an API token gives username and password, and signs only as its own user', async () => {
    await app.inject({ method: 'POST', url: SIGN, ...(await login('quinn')), payload: { records: records('SRS-1'), meaning: 'reviewed', username: 'quinn.qa', password: SIGNERS.quinn.password } });
    // Avery may make tokens as an author too (an approver alone may not).
    await execute(grantRoleUseCase, { deps, principal: localPrincipal('ops'), services }, { username: 'avery.approver', productKey: 'RPM', role: 'author' });
    const avery = await login('avery');
    const made = await app.inject({ method: 'POST', url: '/api/v1/tokens', ...avery, payload: { productKey: 'RPM', permissions: ['signature.sign', 'product.read'], name: 'signing' } });
    expect(made.statusCode, made.body).toBe(201);
    const bearer = { authorization: `Bearer ${made.json<{ token: string }>().token}` };
    const noUser = await app.inject({ method: 'POST', url: SIGN, headers: bearer, payload: { records: records('SRS-1'), meaning: 'approved', password: SIGNERS.avery.password } });
    expect(noUser.statusCode).toBe(400);
    const other = await app.inject({ method: 'POST', url: SIGN, headers: bearer, payload: { records: records('SRS-1'), meaning: 'approved', username: 'quinn.qa', password: SIGNERS.quinn.password } });
    expect(other.statusCode).toBe(401);
    expect(other.json<{ error: { message: string } }>().error.message).toMatch(/belongs to avery\.approver; it cannot sign as quinn\.qa/);
    const ok = await app.inject({ method: 'POST', url: SIGN, headers: bearer, payload: { records: records('SRS-1'), meaning: 'approved', username: 'avery.approver', password: SIGNERS.avery.password } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ approved: string[] }>().approved).toEqual(['RPM/SRS-1']);
    const view = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/records/SRS-1', headers: bearer });
    expect(view.json<{ approval: string; signatures: unknown[] }>()).toMatchObject({ approval: 'electronic', signatures: [{ meaning: 'reviewed' }, { meaning: 'approved' }] });

    // Replayed after the approval: the record is no longer in review; refused and audited.
    const replay = await app.inject({ method: 'POST', url: SIGN, headers: bearer, payload: { records: records('SRS-1'), meaning: 'approved', username: 'avery.approver', password: SIGNERS.avery.password } });
    expect(replay.statusCode).toBe(409);
    expect(replay.json<{ error: { message: string } }>().error.message).toMatch(/RPM\/SRS-1 is approved: only a record in review is signed/);
    expect(await lastEvent()).toMatchObject({ action: 'SIGNATURE_REFUSED', actor: 'avery.approver' });
    // Approval by a bare status change is refused for a token: sign instead.
    const status = await app.inject({ method: 'POST', url: '/api/v1/products/RPM/records/SRS-2/status', headers: bearer, payload: { to: 'approved', baseRevision: 1 } });
    expect(status.statusCode).toBe(403);
  });

  it('P11-15: a stale revision answers 412; editing a signed record supersedes its signatures; the signature binds the revision hash [DOSSIER-SRS-30] [DOSSIER-SRS-31]', async () => {
    const quinn = await login('quinn');
    const stale = await app.inject({ method: 'POST', url: SIGN, ...quinn, payload: { records: [{ record: 'SRS-1', revision: 2 }], meaning: 'reviewed', username: 'quinn.qa', password: SIGNERS.quinn.password } });
    expect(stale.statusCode).toBe(412);
    const signed = await app.inject({ method: 'POST', url: SIGN, ...quinn, payload: { records: records('SRS-1'), meaning: 'reviewed', username: 'quinn.qa', password: SIGNERS.quinn.password } });
    const sig = signed.json<{ signatures: { contentHash: string }[] }>().signatures[0];
    const before = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/records/SRS-1', cookies: quinn.cookies });
    expect(sig?.contentHash).toBe(before.json<{ revision: { hash: string } }>().revision.hash);
    await editRecord(deps, { productKey: 'RPM', record: 'SRS-1', baseRevision: 1, title: 'Changed after the review' });
    const after = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/records/SRS-1', cookies: quinn.cookies });
    expect(after.json<{ head: { status: string }; signatures: { revision: number; superseded: boolean; manifestation: string }[] }>()).toMatchObject({
      head: { status: 'draft' },
      signatures: [{ revision: 1, superseded: true, manifestation: expect.stringMatching(/revision 1 \(superseded by a later revision\)$/) as unknown }],
    });
    const csv = await app.inject({ method: 'GET', url: '/api/v1/products/RPM/records/SRS-1/history?format=csv', cookies: quinn.cookies });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\n')[0]).toBe('product,record,kind,seq,at,who,revision,what,detail,reason');
    expect(csv.body).toMatch(/,signature,.*Reviewed by Quinn Quality.*superseded/);
  });

  it('P11-07: a viewer gets 403 with ACCESS_DENIED; the author approving their own revision is refused and audited [DOSSIER-SRS-29] [DOSSIER-SRS-32]', async () => {
    const vic = await login('vic');
    const denied = await app.inject({ method: 'POST', url: SIGN, ...vic, payload: { records: records('SRS-1'), meaning: 'reviewed', username: 'vic.viewer', password: SIGNERS.vic.password } });
    expect(denied.statusCode).toBe(403);
    expect(await lastEvent()).toMatchObject({ action: 'ACCESS_DENIED', actor: 'vic.viewer', entityId: 'record.sign' });
    // Avery writes a revision of SRS-2, then may not approve it.
    await editRecord({ ...deps, actor: { id: 'avery.approver' } }, { productKey: 'RPM', record: 'SRS-2', baseRevision: 1, title: 'Avery rewrote it' });
    await changeRecordStatus(deps, { productKey: 'RPM', record: 'SRS-2', to: 'in_review', baseRevision: 2 });
    const quinn = await login('quinn');
    await app.inject({ method: 'POST', url: SIGN, ...quinn, payload: { records: [{ record: 'SRS-2', revision: 2 }], meaning: 'reviewed', username: 'quinn.qa', password: SIGNERS.quinn.password } });
    const avery = await login('avery');
    const own = await app.inject({ method: 'POST', url: SIGN, ...avery, payload: { records: [{ record: 'SRS-2', revision: 2 }], meaning: 'approved', username: 'avery.approver', password: SIGNERS.avery.password } });
    expect(own.statusCode).toBe(403);
    expect(own.json<{ error: { message: string } }>().error.message).toMatch(/avery\.approver wrote this revision of RPM\/SRS-2 and may not sign it as approved/);
    expect(await lastEvent()).toMatchObject({ action: 'ACCESS_DENIED', actor: 'avery.approver' });
  });

  it('P11-10: a user who has not accepted the statement is told how, and after accepting can sign [DOSSIER-SRS-33]', async () => {
    const ops = { deps, principal: localPrincipal('ops'), services };
    await execute(createUserUseCase, ops, { username: 'rey.reviewer', printedName: 'Rey Reviewer', password: 'rey-reads-every-line' });
    await execute(grantRoleUseCase, ops, { username: 'rey.reviewer', productKey: 'RPM', role: 'reviewer' });
    const login2 = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'rey.reviewer', password: 'rey-reads-every-line' } });
    const cookies = { [SESSION_COOKIE]: login2.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '' };
    const csrf = await app.inject({ method: 'GET', url: '/api/v1/session/csrf', cookies });
    const rey = { cookies: { ...cookies, dossier_csrf: csrf.cookies.find((c) => c.name === 'dossier_csrf')?.value ?? '' }, headers: { 'x-csrf-token': csrf.json<{ csrfToken: string }>().csrfToken } };
    const payload = { records: records('SRS-1'), meaning: 'reviewed', username: 'rey.reviewer', password: 'rey-reads-every-line' };
    const refused = await app.inject({ method: 'POST', url: SIGN, ...rey, payload });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/has not yet accepted the electronic signature accountability statement.*POST \/api\/v1\/signatures\/statement/);
    expect(await lastEvent()).toMatchObject({ action: 'SIGNATURE_REFUSED' });
    const statement = await app.inject({ method: 'GET', url: '/api/v1/signatures/statement', cookies });
    expect(statement.json()).toMatchObject({ username: 'rey.reviewer', acceptedAt: null, text: expect.stringMatching(/^I, Rey Reviewer, accept/) as unknown });
    const accepted = await app.inject({ method: 'POST', url: '/api/v1/signatures/statement', ...rey, payload: { username: 'rey.reviewer', password: 'rey-reads-every-line' } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    // Accepting the statement is not a signature: the session's first signature still needs username and password.
    const passwordOnly = await app.inject({ method: 'POST', url: SIGN, ...rey, payload: { ...payload, username: undefined } });
    expect(passwordOnly.statusCode).toBe(400);
    expect(passwordOnly.json<{ error: { message: string } }>().error.message).toMatch(/first signature of a session needs your username/);
    const ok = await app.inject({ method: 'POST', url: SIGN, ...rey, payload });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('P11-19: the CLI signs with --server through the same route: the inbox, then a batch with the password from stdin', async () => {
    const quinn = await login('quinn');
    const made = await app.inject({ method: 'POST', url: '/api/v1/tokens', ...quinn, payload: { productKey: 'RPM', permissions: ['signature.sign', 'product.read'], name: 'cli' } });
    expect(made.statusCode, made.body).toBe(201);
    const env = { DOSSIER_SERVER: await app.listen({ host: '127.0.0.1', port: 0 }), DOSSIER_TOKEN: made.json<{ token: string }>().token };
    const cli = async (stdin: string | undefined, ...args: string[]) => {
      let out = '';
      let err = '';
      const real = Object.getOwnPropertyDescriptor(process, 'stdin');
      if (stdin !== undefined) Object.defineProperty(process, 'stdin', { value: Readable.from([`${stdin}\n`]), configurable: true });
      try {
        const code = await runCli(args, { out: (x) => void (out += x), err: (x) => void (err += x), interactive: false }, env);
        return { code, out, err };
      } finally {
        if (real !== undefined) Object.defineProperty(process, 'stdin', real);
      }
    };
    const inbox = await cli(undefined, 'inbox', '--format', 'json');
    expect(inbox.code, inbox.err).toBe(0);
    expect(JSON.parse(inbox.out)).toMatchObject({ username: 'quinn.qa', count: 3 });
    const signed = await cli(SIGNERS.quinn.password, 'record', 'sign', '--all-waiting', '--meaning', 'reviewed', '--user', 'quinn.qa', '--password-stdin');
    expect(signed.code, signed.err).toBe(0);
    expect(signed.out.split('\n').filter((l) => l.startsWith('signed RPM/SRS-'))).toHaveLength(3);
    const other = await cli(SIGNERS.avery.password, 'record', 'sign', 'RPM/SRS-1@1', '--meaning', 'approved', '--user', 'avery.approver', '--password-stdin');
    expect(other.code).toBe(EXIT.denied);
    expect(other.err).toMatch(/belongs to quinn\.qa; it cannot sign as avery\.approver/);
  });
});

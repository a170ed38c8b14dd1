import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { localPrincipal, type Principal } from '../../core/access/principal.js';
import { sha256Hex } from '../../core/hashing.js';
import type { Deps } from '../../core/ports.js';
import { expectAppError as rejects, storeSnapshot } from '../../test-support/assertions.js';
import { aProduct } from '../../test-support/factories.js';
import { TEST_SERVICES } from '../../test-support/services.js';
import { DIALECTS, openTestStore, testDeps, type TestStore } from '../../test-support/stores.js';
import { execute } from '../execute.js';
import { consumeSignTicket } from '../services/sso.js';
import { createUserUseCase } from './create-user.js';
import { deactivateUserUseCase } from './deactivate-user.js';
import { exportStore } from './export-store.js';
import { getUserUseCase } from './get-user.js';
import { importStore } from './import-store.js';
import { linkSsoUseCase } from './link-sso.js';
import { listAuditEvents } from './list-audit-events.js';
import { verifyIntegrity } from './verify-integrity.js';

const ISSUER = 'https://login.example.com';
const services = TEST_SERVICES;
const operator = localPrincipal('ops');

/**
 * Linking users to single sign-on accounts (audited, verified against the trail, exported), the database guards on
 * the SSO tables, and the signing tickets a re-authentication gives, used inside the signer's transaction.
 */
describe.each(DIALECTS)('single sign-on links and signing tickets on %s', (dialect) => {
  let t: TestStore;
  let deps: Deps;
  beforeEach(async () => {
    t = await openTestStore(dialect);
    deps = testDeps(t.store, 'ops');
    await aProduct(deps);
    for (const [username, printedName] of [['ada', 'Ada Lovelace'], ['bob', 'Bob Builder']] as const) {
      await execute(createUserUseCase, { deps, principal: operator, services }, { username, printedName, admin: username === 'ada' });
    }
  });
  afterEach(async () => t.cleanup());

  const run = (p: Principal, input: { username: string; issuer: string; subject: string }) =>
    execute(linkSsoUseCase, { deps, principal: p, services }, input, { checkOutput: true });
  const lastEvent = async () => {
    const e = (await listAuditEvents(deps, {})).at(-1);
    return { action: e?.action, actor: e?.actor, entityId: e?.entityId, oldValue: JSON.parse(e?.oldValue ?? 'null') as unknown, newValue: JSON.parse(e?.newValue ?? 'null') as unknown };
  };

  it('P11-04: links a named user to one provider account, audited (USER_SSO_LINKED); show and export carry it [DOSSIER-SRS-35]', async () => {
    const u = await run(operator, { username: 'ada', issuer: ISSUER, subject: '1234567890' });
    expect(u.sso).toEqual({ issuer: ISSUER, subject: '1234567890' });
    expect(await lastEvent()).toEqual({
      action: 'USER_SSO_LINKED',
      actor: 'ops',
      entityId: 'user/ada',
      oldValue: null,
      newValue: { username: 'ada', issuer: ISSUER, subject: '1234567890' },
    });
    expect((await execute(getUserUseCase, { deps, principal: operator, services }, { username: 'ada' })).sso).toEqual({ issuer: ISSUER, subject: '1234567890' });
    // Moved to another account: audited again, with the old one.
    await run(operator, { username: 'ada', issuer: ISSUER, subject: 'abc' });
    expect(await lastEvent()).toMatchObject({ action: 'USER_SSO_LINKED', oldValue: { issuer: ISSUER, subject: '1234567890' } });
    expect((await verifyIntegrity(deps)).problems).toEqual([]);
    const doc = await exportStore(deps);
    expect(doc.users.find((x) => x.username === 'ada')).toMatchObject({ ssoIssuer: ISSUER, ssoSubject: 'abc' });
    const dst = await openTestStore(dialect);
    try {
      const restored = testDeps(dst.store, 'ops');
      await importStore(restored, doc, 'export.json');
      expect(await dst.store.read((r) => r.findUserBySso(ISSUER, 'abc'))).toMatchObject({ username: 'ada' });
      expect((await verifyIntegrity(restored)).ok).toBe(true);
    } finally {
      await dst.cleanup();
    }
  });

  it('P11-04: one provider account is never shared by two users; a deactivated user is not linked; refusals change nothing', async () => {
    await run(operator, { username: 'ada', issuer: ISSUER, subject: 'shared' });
    await execute(deactivateUserUseCase, { deps, principal: operator, services }, { username: 'bob' });
    const before = await storeSnapshot(deps);
    await rejects(run(operator, { username: 'ada', issuer: ISSUER, subject: 'shared' }), 'INVALID_STATE', /already linked to this account/);
    await rejects(run(operator, { username: 'bob', issuer: ISSUER, subject: 'shared' }), 'INVALID_STATE', /deactivated/);
    await rejects(run(operator, { username: 'ada', issuer: 'http://login.example.com', subject: 'x' }), 'INVALID_INPUT', /https URL/);
    await rejects(run(operator, { username: 'ada', issuer: ISSUER, subject: '' }), 'INVALID_INPUT', /subject/);
    await rejects(run(operator, { username: 'nobody', issuer: ISSUER, subject: 'x' }), 'NOT_FOUND', /no user named 'nobody'/);
    expect(await storeSnapshot(deps)).toBe(before);
    const carl = { deps, principal: operator, services };
    await execute(createUserUseCase, carl, { username: 'carl', printedName: 'Carl' });
    await rejects(run(operator, { username: 'carl', issuer: ISSUER, subject: 'shared' }), 'CONFLICT', /user 'ada' is already linked/);
    // The database refuses it too, whatever the application does.
    await expect(sql`update users set sso_issuer = ${ISSUER}, sso_subject = 'shared' where username = 'carl'`.execute(t.store.db)).rejects.toThrow();
  });

  it('P11-04: only a user administrator links accounts; a refusal is kept in the trail', async () => {
    const bob: Principal = { ...localPrincipal('bob'), kind: 'user', userId: 2, grants: [{ productKey: 'RPM', role: 'author' }] };
    await rejects(run(bob, { username: 'bob', issuer: ISSUER, subject: 'mine' }), 'FORBIDDEN', /user\.manage/);
    expect(await lastEvent()).toMatchObject({ action: 'ACCESS_DENIED', actor: 'bob', entityId: 'user.link-sso' });
  });

  it('finds a link forged in the database with `audit verify`', async () => {
    await run(operator, { username: 'ada', issuer: ISSUER, subject: 'ada-sub' });
    expect((await verifyIntegrity(deps)).ok).toBe(true);
    // Someone with the database file links bob to their own provider account.
    await sql`update users set sso_issuer = ${ISSUER}, sso_subject = 'mallory' where username = 'bob'`.execute(t.store.db);
    const bad = await verifyIntegrity(deps);
    expect(bad.ok).toBe(false);
    expect(bad.problems.map((p) => p.message)).toContain("user user/bob: single sign-on subject is 'mallory' in the store but none by the audit trail");
  });

  it('has the database refuse deleting, rewriting or re-opening SSO requests and signing tickets', async () => {
    const now = deps.clock.now();
    await t.store.write(async (w) => {
      await w.insertSsoRequest({ stateHash: 'h1', purpose: 'login', codeVerifier: 'v', nonce: 'n', userId: null, sessionId: null, createdAt: now, expiresAt: now, usedAt: now });
      await w.insertSignTicket({ secretHash: 't1', userId: 1, sessionId: 's', authTime: now, createdAt: now, expiresAt: now, usedAt: now });
    });
    for (const statement of [
      sql`delete from sso_requests`,
      sql`delete from sign_tickets`,
      sql`update sso_requests set used_at = null`,
      sql`update sign_tickets set used_at = null`,
      sql`update sso_requests set code_verifier = 'other'`,
      sql`update sign_tickets set user_id = 2`,
      sql`update sign_tickets set auth_time = '2099-01-01T00:00:00.000Z'`,
      sql`insert into sso_requests (state_hash, purpose, code_verifier, nonce, created_at, expires_at) values ('h2', 'other', 'v', 'n', 'x', 'y')`,
    ]) {
      await expect(statement.execute(t.store.db)).rejects.toThrow();
    }
    if (dialect === 'sqlite') {
      await expect(sql`insert or replace into sign_tickets (secret_hash, user_id, session_id, auth_time, created_at, expires_at) values ('t1', 1, 's', 'a', 'b', 'c')`.execute(t.store.db)).rejects.toThrow(/dossier: /);
    }
  });

  it('P11-19: a signing ticket signs once, for its user and session, while it and its re-authentication are fresh [DOSSIER-SRS-30] [DOSSIER-SRS-35]', async () => {
    const base = Date.parse('2026-06-01T12:00:00.000Z');
    const at = (seconds: number): string => new Date(base + seconds * 1000).toISOString();
    const ticket = (secret: string, authTime: string, expiresAt: string) => ({ secretHash: sha256Hex(secret), userId: 1, sessionId: 'session-a', authTime, createdAt: at(0), expiresAt, usedAt: null });
    await t.store.write(async (w) => {
      await w.insertSignTicket(ticket('fresh', at(0), at(300)));
      // A ticket whose expiry was written later than its re-authentication allows: the auth_time still decides.
      await w.insertSignTicket(ticket('stale', at(-400), at(600)));
    });
    const use = (secret: string, user: number, session: string | null, now: string) => t.store.write((w) => consumeSignTicket(w, secret, { id: user }, session, now));
    await rejects(use('missing', 1, 'session-a', at(10)), 'UNAUTHENTICATED', /is unknown/);
    await rejects(use('fresh', 2, 'session-a', at(10)), 'UNAUTHENTICATED', /another user/);
    await rejects(use('fresh', 1, 'session-b', at(10)), 'UNAUTHENTICATED', /another session/);
    await rejects(use('fresh', 1, 'session-a', at(300)), 'UNAUTHENTICATED', /expired/);
    await rejects(use('stale', 1, 'session-a', at(10)), 'UNAUTHENTICATED', /more than 5 minutes ago/);
    expect(await use('fresh', 1, 'session-a', at(299))).toEqual({ authTime: at(0) });
    await rejects(use('fresh', 1, 'session-a', at(299)), 'UNAUTHENTICATED', /already used/);
    // Used inside the caller's transaction: if the signer's transaction fails, the ticket stays unused.
    await t.store.write(async (w) => w.insertSignTicket(ticket('rolled-back', at(0), at(300))));
    await expect(
      t.store.write(async (w) => {
        await consumeSignTicket(w, 'rolled-back', { id: 1 }, 'session-a', at(10));
        throw new Error('the signature failed');
      }),
    ).rejects.toThrow(/the signature failed/);
    expect(await use('rolled-back', 1, 'session-a', at(20))).toEqual({ authTime: at(0) });
  });
});

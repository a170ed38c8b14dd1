import { z } from 'zod';
import type { RoleGrant } from '../../core/access/permissions.js';
import type { Principal } from '../../core/access/principal.js';
import { appendAudit } from '../../core/audit-trail.js';
import { invalidInput, invalidState, isAppError, unauthenticated } from '../../core/errors.js';
import { UsernameSchema, type UserRow } from '../../core/identity/model.js';
import { isLocked } from '../../core/identity/policy.js';
import type { Deps, StoreWriter } from '../../core/ports.js';
import { ACCOUNTABILITY_STATEMENT_VERSION, type SignatureMethod } from '../../core/signatures/model.js';
import type { UseCaseContext } from '../use-case.js';
import { consumeSignTicket } from './sso.js';
import { countFailedAttempt, dummyHash, heldGrants, identityOf, PasswordInputSchema } from './identity.js';

/**
 * Re-authentication for an electronic signature (21 CFR 11.200(a)): every signing proves the signer again. Outside
 * a continuous session (the local CLI, an API token) that takes username and password; in a session whose user has
 * signed before, the password alone (or a fresh SSO login's one-time ticket). A wrong password counts toward the
 * lockout like a failed login. Every refusal is kept in the audit trail (SIGNATURE_REFUSED), and nothing else changes.
 */
export const SignCredentialsShape = {
  /** The signer's username: required unless signing in a session that has signed before. */
  username: UsernameSchema.optional(),
  /** The signer's password, entered again for this signing. */
  password: PasswordInputSchema.optional(),
  /** The one-time ticket a fresh login at the SSO provider gave (`GET /api/v1/sso/reauth`), instead of the password. */
  signTicket: z.string().min(1).max(200).optional(),
};
export const SignCredentialsSchema = z.strictObject(SignCredentialsShape);
export type SignCredentials = z.infer<typeof SignCredentialsSchema>;

/** The signer, proved: the user row, the roles it holds now, how it proved itself. */
export interface ProvedSigner {
  readonly user: UserRow;
  readonly grants: readonly RoleGrant[];
  readonly method: SignatureMethod;
}

/** What a refusal names in the audit trail. */
export interface SigningSubject {
  /** `record.sign`, `release.sign`…: what was attempted. */
  readonly action: string;
  readonly productKey: string | null;
  /** What was to be signed (`RPM/SRS-12`…); the first 20 are kept. */
  readonly items: readonly string[];
  readonly meaning: string | null;
}

/** The credentials fields of a signing use-case's input, without the fields left out. */
export function credentialsOf(input: SignCredentials): SignCredentials {
  const { username, password, signTicket } = input;
  return {
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(signTicket === undefined ? {} : { signTicket }),
  };
}

interface Attempt {
  readonly username: string;
  readonly passwordHash: string | null | undefined;
  readonly matches: boolean;
  readonly method: SignatureMethod;
}

/** Who the credentials claim to be, under the rules of continuous sessions. @throws AppError INVALID_INPUT, UNAUTHENTICATED */
async function claimedUsername(ctx: UseCaseContext, c: SignCredentials): Promise<string> {
  const p = ctx.principal;
  if (c.password !== undefined && c.signTicket !== undefined) throw invalidInput('give either a password or an SSO ticket, not both', { field: 'signTicket' });
  if (c.password === undefined && c.signTicket === undefined) {
    throw invalidInput('signing needs your password again (or a fresh SSO login ticket): a signature is never given on a session alone', { field: 'password' });
  }
  if (p.kind === 'user') {
    if (c.username !== undefined && c.username !== p.id) throw unauthenticated(`you are logged in as ${p.id}; you can sign only as yourself`, { field: 'username' });
    if (c.signTicket !== undefined) return p.id;
    const continuous = p.sessionId !== null && (await ctx.deps.store.read((r) => r.sessionHasSigned(p.sessionId ?? '')));
    if (!continuous && c.username === undefined) {
      throw invalidInput('the first signature of a session needs your username as well as your password', { field: 'username' });
    }
    return p.id;
  }
  if (c.signTicket !== undefined) throw invalidInput('an SSO ticket is redeemed only in the browser session that asked for it', { field: 'signTicket' });
  if (c.username === undefined) throw invalidInput('signing outside a logged-in session needs your username and your password', { field: 'username' });
  // An API token signs only for its own user: a token is never a way to sign as somebody else.
  if (p.kind === 'token' && c.username !== p.id) throw unauthenticated(`this API token belongs to ${p.id}; it cannot sign as ${c.username}`, { field: 'username' });
  return c.username;
}

/** Checks the password before the write (argon2 is slow; the write re-checks that the hash is still the user's). */
async function attempt(ctx: UseCaseContext, c: SignCredentials): Promise<Attempt> {
  const username = await claimedUsername(ctx, c);
  const id = identityOf(ctx.services);
  const known = await ctx.deps.store.read((r) => r.findUser(username));
  if (c.signTicket !== undefined) return { username, passwordHash: known?.passwordHash, matches: known !== undefined, method: 'sso' };
  const matches = await id.hasher.verify(known?.passwordHash ?? (await dummyHash(id)), c.password ?? '');
  return { username, passwordHash: known?.passwordHash, matches: matches && known !== undefined, method: 'password' };
}

/** The refusal event: who tried what, and why. */
async function auditRefusal(w: StoreWriter, deps: Deps, principal: Principal, subject: SigningSubject, signer: string, reason: string, at: string): Promise<void> {
  await appendAudit(w, { actor: { id: principal.id } }, at, [
    {
      action: 'SIGNATURE_REFUSED',
      entityType: 'signature',
      entityId: subject.items[0] ?? subject.action,
      productKey: subject.productKey,
      newValue: { attempt: subject.action, signer, meaning: subject.meaning, items: subject.items.slice(0, 20), count: subject.items.length, reason },
    },
  ]);
  void deps;
}

const WRONG = 'signature refused: wrong username or password, or the account is locked or deactivated';

/**
 * Runs `sign` in one write transaction with the signer proved. A wrong password or an unusable account is counted
 * (lockout) and audited, then refused with one message; a refusal thrown by `sign` (out of order, stale revision, the
 * author approving) rolls its work back and is audited in a transaction of its own. A refusal for want of permission
 * (FORBIDDEN) is audited by `execute`. A first signature in a session marks the session.
 * @param needsStatement - the signer must have accepted the accountability statement (false only for accepting it)
 */
export async function withSigner<T>(
  ctx: UseCaseContext,
  credentials: SignCredentials,
  subject: SigningSubject,
  sign: (w: StoreWriter, signer: ProvedSigner, at: string) => Promise<T>,
  needsStatement = true,
): Promise<T> {
  const { deps, principal } = ctx;
  const tried = await attempt(ctx, credentials);
  const id = identityOf(ctx.services);
  let outcome: { value: T } | undefined;
  try {
    outcome = await deps.store.write(async (w) => {
      const now = deps.clock.now();
      const u = await w.findUser(tried.username);
      if (u === undefined || u.deactivatedAt !== null || isLocked(u, now) || u.passwordHash === null && tried.method === 'password') {
        await auditRefusal(w, deps, principal, subject, tried.username, 'unknown, deactivated or locked account', now);
        return undefined;
      }
      if (tried.method === 'password' && (!tried.matches || u.passwordHash !== tried.passwordHash)) {
        await countFailedAttempt(w, principal.id, id.policy, u, now);
        await auditRefusal(w, deps, principal, subject, u.username, 'wrong password', now);
        return undefined;
      }
      if (tried.method === 'sso') {
        await consumeSignTicket(w, credentials.signTicket ?? '', u, principal.sessionId, now);
      }
      if (u.failedAttempts !== 0) await w.updateUser(u.id, { failedAttempts: 0, lockedUntil: null });
      if (needsStatement) {
        const accepted = await w.listStatementAcceptances(u.id);
        if (!accepted.some((a) => a.version === ACCOUNTABILITY_STATEMENT_VERSION)) {
          throw invalidState(
            `${u.username} has not yet accepted the electronic signature accountability statement: read and accept it first ` +
              '(dossier signature accept-statement, or POST /api/v1/signatures/statement)',
            { field: 'statement' },
          );
        }
      }
      const signer: ProvedSigner = { user: u, grants: heldGrants(await w.listRoleGrants(u.id)), method: tried.method };
      const value = await sign(w, signer, now);
      // A signature (not the acceptance of the statement) makes the session continuous: later ones need only the password.
      if (needsStatement && principal.kind === 'user' && principal.sessionId !== null) await w.markSessionSigned(principal.sessionId, now);
      return { value };
    });
  } catch (e) {
    if (isAppError(e) && e.code !== 'INTERNAL' && e.code !== 'FORBIDDEN') {
      await deps.store.write((w) => auditRefusal(w, deps, principal, subject, tried.username, e.message, deps.clock.now()));
    }
    throw e;
  }
  if (outcome === undefined) throw unauthenticated(WRONG, { field: 'password' });
  return outcome.value;
}

/** Deps acting as the signer: the audit trail names who signed, whoever opened the store. */
export function asSigner(deps: Deps, signer: ProvedSigner): Deps {
  return deps.actor.id === signer.user.username ? deps : { ...deps, actor: { id: signer.user.username } };
}


import { z } from 'zod';
import { isAppError, unauthenticated } from '../../core/errors.js';
import { sha256Hex } from '../../core/hashing.js';
import { addMinutes, mustChangePassword, sessionExpiry } from '../../core/identity/policy.js';
import { REAUTH_MINUTES, staleReauthentication, type SsoRequestRow } from '../../core/identity/sso.js';
import type { Deps, StoreWriter } from '../../core/ports.js';
import type { OidcClaims } from '../ports/oidc.js';
import { defineUseCase, type AppServices } from '../use-case.js';
import { heldGrants, identityOf, WhoAmISchema } from '../services/identity.js';
import { NOT_REAUTHENTICATED, recordSsoRefusal, SSO_CALLBACK_PATH, SSO_FLOW_COOKIE, ssoOf } from '../services/sso.js';

/** One message for a refused login, whether no user is linked or the linked one is deactivated. */
const LOGIN_REFUSED =
  'single sign-on login refused: no active Dossier user is linked to this account at the provider ' +
  '(an administrator links it with `dossier user link-sso`)';

/** What the provider sends the browser back with (other parameters a provider adds are ignored). */
const CallbackInputSchema = z.object({
  state: z.string().min(1).max(512),
  code: z.string().min(1).max(4096).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
  /** The state kept in this browser's flow cookie when the request started. */
  browserState: z.string().max(512).optional(),
});

const CallbackOutputSchema = z.discriminatedUnion('purpose', [
  z.object({ purpose: z.literal('login'), location: z.string(), sessionId: z.string(), expiresAt: z.string(), user: WhoAmISchema }),
  z.object({ purpose: z.literal('reauth'), signTicket: z.string(), expiresAt: z.string(), authTime: z.string() }),
]);
type CallbackOutput = z.infer<typeof CallbackOutputSchema>;

/** A refusal decided inside a transaction: audited, then thrown, after it. */
interface Refusal {
  readonly refused: true;
  readonly actor: string;
  readonly reason: string;
  readonly message: string;
}

/**
 * Completes a single sign-on request when the provider sends the browser back: the request (found by its state)
 * is used once; the browser must be the one that started it; the code is exchanged with the PKCE verifier and the
 * ID token checked (signature, issuer, audience, nonce). Then, for a login, the user linked to the provider's
 * issuer and subject gets a session exactly as with a password (over HTTP: the session cookie and a redirect to
 * `/`); for a re-authentication, the provider's `auth_time` must be after the request and at most
 * `REAUTH_MINUTES` old, and the account the user's own: the answer is a one-time signing ticket for that session.
 * SSO never creates a user or grants a role. Every refusal after the request is found is kept in the audit trail
 * (SSO_REFUSED).
 * 21 CFR 11.10(d), 11.200(a)(1): a named, active account; a signing rests on a fresh credential entry.
 * @throws AppError UNAUTHENTICATED for any refusal, with a clear message; NOT_FOUND when SSO is not set up
 */
export const ssoCallbackUseCase = defineUseCase({
  name: 'sso.callback',
  summary: 'Complete a single sign-on login or re-authentication (the provider redirects here).',
  kind: 'write',
  what: 'single sign-on answer',
  input: CallbackInputSchema,
  output: CallbackOutputSchema,
  permission: 'public',
  product: () => undefined,
  http: { method: 'GET', path: SSO_CALLBACK_PATH, session: 'start', redirect: 'location', cookie: { ...SSO_FLOW_COOKIE, read: 'browserState' } },
  run: async ({ deps, services, principal }, input) => {
    const port = ssoOf(services);
    const stateHash = sha256Hex(input.state);
    // Used once, before anything else: a replayed answer finds it used.
    const request = await deps.store.write(async (w) => {
      const r = await w.findSsoRequest(stateHash);
      const now = deps.clock.now();
      if (r === undefined || r.usedAt !== null || now >= r.expiresAt) return undefined;
      await w.markSsoRequestUsed(stateHash, now);
      return r;
    });
    if (request === undefined) {
      throw unauthenticated('this single sign-on answer is unknown, already used or expired: start again', { field: 'state' });
    }
    const actor = await actorOf(deps, request, principal.id);
    const refuse = async (reason: string, message: string, claims?: OidcClaims): Promise<never> => {
      await recordSsoRefusal(deps, actor, request.purpose, { issuer: claims?.issuer ?? null, subject: claims?.subject ?? null, reason });
      throw unauthenticated(message, { field: 'state' });
    };
    if (input.browserState !== input.state) {
      return refuse('the answer came to a browser that did not start the request', 'this single sign-on answer belongs to a request started in another browser: start again');
    }
    if (input.error !== undefined || input.code === undefined) {
      const said = input.error === undefined ? 'no code' : `${input.error}${input.error_description === undefined ? '' : `: ${input.error_description}`}`;
      return refuse(`the provider answered ${said}`, `the single sign-on provider did not log you in (${said})`);
    }
    let claims: OidcClaims;
    try {
      const params: Record<string, string> = { code: input.code, state: input.state, ...(input.iss === undefined ? {} : { iss: input.iss }) };
      claims = await port.exchange(params, { state: input.state, codeVerifier: request.codeVerifier, nonce: request.nonce });
    } catch (e) {
      if (!isAppError(e, 'UNAUTHENTICATED')) throw e;
      return refuse(e.message, e.message);
    }
    const outcome = await deps.store.write((w) => (request.purpose === 'login' ? completeLogin(w, deps, services, claims) : completeReauth(w, deps, services, request, claims, actor)));
    if ('refused' in outcome) return refuse(outcome.reason, outcome.message, claims);
    return outcome;
  },
});

/** Who a refusal is recorded under: for a re-authentication the user who asked, else the caller (anonymous). */
async function actorOf(deps: Deps, request: SsoRequestRow, caller: string): Promise<string> {
  if (request.userId === null) return caller;
  const id = request.userId;
  return (await deps.store.read((r) => r.findUserById(id)))?.username ?? caller;
}

/** A login: the linked, active user gets a session, as with a password. */
async function completeLogin(
  w: StoreWriter,
  deps: Deps,
  services: AppServices,
  claims: OidcClaims,
): Promise<CallbackOutput | Refusal> {
  const id = identityOf(services);
  const u = await w.findUserBySso(claims.issuer, claims.subject);
  if (u === undefined || u.deactivatedAt !== null) {
    const reason = u === undefined ? 'no user is linked to this provider account' : `user '${u.username}' is deactivated`;
    return { refused: true, actor: 'anonymous', reason, message: LOGIN_REFUSED };
  }
  const now = deps.clock.now();
  const secret = id.newSecret();
  const expiry = sessionExpiry(id.policy, now, now);
  await w.insertSession({ id: sha256Hex(secret), userId: u.id, createdAt: now, lastSeenAt: now, ...expiry, endedAt: null });
  return {
    purpose: 'login',
    location: '/',
    sessionId: secret,
    expiresAt: expiry.absoluteExpiresAt,
    user: {
      username: u.username,
      printedName: u.printedName,
      kind: 'user',
      roles: heldGrants(await w.listRoleGrants(u.id)),
      authenticatedAt: now,
      mustChangePassword: mustChangePassword(id.policy, u, now),
    },
  };
}

/** A re-authentication: the same user, still in the session that asked, who entered credentials just now. */
async function completeReauth(
  w: StoreWriter,
  deps: Deps,
  services: AppServices,
  request: SsoRequestRow,
  claims: OidcClaims,
  actor: string,
): Promise<CallbackOutput | Refusal> {
  const now = deps.clock.now();
  const u = request.userId === null ? undefined : await w.findUserById(request.userId);
  const s = request.sessionId === null ? undefined : await w.findSession(request.sessionId);
  const no = (reason: string, message: string): Refusal => ({ refused: true, actor, reason, message });
  if (u === undefined || u.deactivatedAt !== null) return no('the user who asked is deactivated', 're-authentication refused: your user is deactivated');
  if (u.ssoIssuer !== claims.issuer || u.ssoSubject !== claims.subject) {
    return no(
      `the provider account is not the one linked to user '${u.username}'`,
      're-authentication refused: you logged in at the provider as another account than the one linked to your Dossier user',
    );
  }
  if (s === undefined || s.userId !== u.id || s.endedAt !== null || now >= s.idleExpiresAt || now >= s.absoluteExpiresAt) {
    return no('the session that asked has ended', 're-authentication refused: the session that asked for it has ended; log in again');
  }
  const stale = claims.authTime === null ? 'the provider gave no auth_time' : staleReauthentication(claims.authTime, request.createdAt, now);
  if (stale !== undefined || claims.authTime === null) return no(stale ?? 'no auth_time', NOT_REAUTHENTICATED);
  const secret = identityOf(services).newSecret();
  const expiresAt = addMinutes(now, REAUTH_MINUTES);
  await w.insertSignTicket({ secretHash: sha256Hex(secret), userId: u.id, sessionId: s.id, authTime: claims.authTime, createdAt: now, expiresAt, usedAt: null });
  return { purpose: 'reauth', signTicket: secret, expiresAt, authTime: claims.authTime };
}

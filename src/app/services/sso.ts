import { z } from 'zod';
import { appendAudit } from '../../core/audit-trail.js';
import { AppError, notFound, unauthenticated } from '../../core/errors.js';
import { sha256Hex } from '../../core/hashing.js';
import { addMinutes } from '../../core/identity/policy.js';
import { REAUTH_MINUTES, SSO_REQUEST_MINUTES, type SsoPurpose } from '../../core/identity/sso.js';
import type { Deps, StoreWriter } from '../../core/ports.js';
import type { AppServices, FlowCookie, HttpBinding } from '../use-case.js';
import type { OidcPort } from '../ports/oidc.js';

/** What the single sign-on use-cases share: the provider port, starting a request, and the signing tickets. */

/** The API root of single sign-on; the provider sends the browser back to `${DOSSIER_PUBLIC_URL}${SSO_CALLBACK_PATH}`. */
export const SSO_CALLBACK_PATH = '/api/v1/sso/callback';

/**
 * The cookie that ties a request to the browser that started it: it holds the request's `state`, and the callback
 * is refused when the two differ, so a stranger's provider answer cannot log this browser in (login CSRF).
 */
export const SSO_FLOW_COOKIE: FlowCookie = { name: 'dossier_sso', path: '/api/v1/sso', maxAgeSeconds: SSO_REQUEST_MINUTES * 60 };

/** The HTTP binding of a use-case that starts a request: a redirect to the provider, the state in the flow cookie. */
export function beginBinding(path: string): HttpBinding {
  return { method: 'GET', path, redirect: 'location', cookie: { ...SSO_FLOW_COOKIE, set: 'state' } };
}

/** The output of a use-case that starts a request: the provider's URL (a 302 over HTTP) and the state (a cookie). */
export const BeginOutputSchema = z.object({ location: z.string(), state: z.string() });

/** The provider port of this process. @throws AppError NOT_FOUND (404 over HTTP) when single sign-on is not set up */
export function ssoOf(services: AppServices): OidcPort {
  const port = services.sso?.();
  if (port === undefined) {
    throw notFound('single sign-on is not set up on this server (DOSSIER_OIDC_ISSUER, DOSSIER_OIDC_CLIENT_ID and DOSSIER_PUBLIC_URL are not set)');
  }
  return port;
}

/**
 * Starts a request to the provider: keeps the PKCE verifier and nonce under the SHA-256 of the state (operational,
 * not in the audit trail: nothing has happened yet), and answers where to send the browser.
 * @param asker - for a re-authentication, the user and session (SHA-256 ID) that asked
 */
export async function beginSsoRequest(
  deps: Deps,
  port: OidcPort,
  purpose: SsoPurpose,
  asker: { readonly userId: number; readonly sessionId: string } | null,
): Promise<z.infer<typeof BeginOutputSchema>> {
  const request = await port.authorizationRequest({ reauthenticate: purpose === 'reauth' });
  await deps.store.write(async (w) => {
    const now = deps.clock.now();
    await w.insertSsoRequest({
      stateHash: sha256Hex(request.state),
      purpose,
      codeVerifier: request.codeVerifier,
      nonce: request.nonce,
      userId: asker?.userId ?? null,
      sessionId: asker?.sessionId ?? null,
      createdAt: now,
      expiresAt: addMinutes(now, SSO_REQUEST_MINUTES),
      usedAt: null,
    });
  });
  return { location: request.url, state: request.state };
}

/**
 * Keeps a refused single sign-on in the audit trail (like ACCESS_DENIED: who tried, as what, and why), in its own
 * transaction: the refusal itself is a fact an auditor may ask about.
 */
export async function recordSsoRefusal(
  deps: Deps,
  actor: string,
  purpose: SsoPurpose,
  detail: { readonly issuer: string | null; readonly subject: string | null; readonly reason: string },
): Promise<void> {
  await deps.store.write(async (w) => {
    await appendAudit(w, { actor: { id: actor } }, deps.clock.now(), [
      { action: 'SSO_REFUSED', entityType: 'access', entityId: `sso.${purpose}`, productKey: null, newValue: { purpose, ...detail } },
    ]);
  });
}

/** The message of a re-authentication whose `auth_time` does not show a credential entry just now. */
export const NOT_REAUTHENTICATED = 'the provider did not re-authenticate you just now: sign again, and enter your credentials at the provider';

/**
 * Uses a one-time signing ticket from a fresh single sign-on re-authentication, inside the caller's write
 * transaction (the signature's own): the ticket is marked used, so a replay is refused.
 * 21 CFR 11.200(a)(1): a signing after single sign-on is bound to a credential entry at the provider just now.
 * @param ticket - the secret the re-authentication's callback answered (`signTicket`)
 * @param user - who signs: the ticket must have been given to this user
 * @param sessionId - the signing request's session (SHA-256 ID, `Principal.sessionId`): the ticket's own
 * @returns when the provider says the user entered their credentials
 * @throws AppError UNAUTHENTICATED when the ticket is unknown, used, expired, another user's or session's, or its
 *   auth_time is more than `REAUTH_MINUTES` old
 */
export async function consumeSignTicket(
  w: StoreWriter,
  ticket: string,
  user: { readonly id: number },
  sessionId: string | null,
  now: string,
): Promise<{ authTime: string }> {
  const hash = sha256Hex(ticket);
  const t = ticket.length > 0 && ticket.length <= 200 ? await w.findSignTicket(hash) : undefined;
  const refuse = (why: string): AppError =>
    unauthenticated(`the signing ticket ${why}: re-authenticate at the single sign-on provider and sign again`, { field: 'signTicket' });
  if (t === undefined) throw refuse('is unknown');
  if (t.usedAt !== null) throw refuse('was already used (a ticket signs once)');
  if (now >= t.expiresAt) throw refuse(`expired at ${t.expiresAt}`);
  if (t.userId !== user.id) throw refuse('was given to another user');
  if (sessionId === null || t.sessionId !== sessionId) throw refuse('was given to another session');
  if (Date.parse(t.authTime) + REAUTH_MINUTES * 60_000 < Date.parse(now)) {
    throw refuse(`comes from a re-authentication at ${t.authTime}, more than ${REAUTH_MINUTES} minutes ago`);
  }
  await w.markSignTicketUsed(hash, now);
  return { authTime: t.authTime };
}

import type { UserRow } from './model.js';

/**
 * Single sign-on with OpenID Connect: the rows and rules that do not depend on the provider's protocol library.
 * A user is matched by the provider's issuer and subject (`sub`), never by e-mail or name: the subject is the one
 * identifier a provider promises never to reassign. An SSO login never creates a user or grants a role.
 */

/** Why a request went to the provider: a login, or a re-authentication before signing. */
export type SsoPurpose = 'login' | 'reauth';

/** A request sent to the provider, found again by the SHA-256 of its `state` when the browser comes back. */
export interface SsoRequestRow {
  readonly stateHash: string;
  readonly purpose: SsoPurpose;
  /** The PKCE code verifier (RFC 7636): the provider gave the code only to who holds it. */
  readonly codeVerifier: string;
  /** Bound into the ID token, so a token made for another request is refused. */
  readonly nonce: string;
  /** For a re-authentication: the user and the session (SHA-256 ID) that asked for it. */
  readonly userId: number | null;
  readonly sessionId: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

/** A one-time ticket for signing, given by a fresh re-authentication: only the SHA-256 of its secret is kept. */
export interface SignTicketRow {
  readonly secretHash: string;
  readonly userId: number;
  /** The session (SHA-256 ID) it was given to: only that session may sign with it. */
  readonly sessionId: string;
  /** When the provider says the user last entered their credentials (ISO UTC). */
  readonly authTime: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

/** Reads of single sign-on links, requests and tickets. Implementation: `storage/repositories/sso.ts`. */
export interface SsoReader {
  /** The user linked to this provider account, deactivated or not. */
  findUserBySso(issuer: string, subject: string): Promise<UserRow | undefined>;
  findSsoRequest(stateHash: string): Promise<SsoRequestRow | undefined>;
  findSignTicket(secretHash: string): Promise<SignTicketRow | undefined>;
}

/** Single sign-on writes, only inside `Store.write`. Nothing is deleted: requests and tickets are marked used. */
export interface SsoWriter extends SsoReader {
  /** Links a user to a provider account (or moves the link): the pair is unique among users. */
  setUserSso(userId: number, issuer: string, subject: string): Promise<void>;
  insertSsoRequest(request: SsoRequestRow): Promise<void>;
  markSsoRequestUsed(stateHash: string, at: string): Promise<void>;
  insertSignTicket(ticket: SignTicketRow): Promise<void>;
  markSignTicketUsed(secretHash: string, at: string): Promise<void>;
}

/**
 * True for a URL a provider or Dossier may be reached at: https, or http on this machine only (testing against a
 * local provider). A provider's issuer is compared character for character with its tokens' `iss`.
 */
export function isProviderUrl(s: string): boolean {
  if (!URL.canParse(s)) return false;
  const u = new URL(s);
  const local = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  return u.protocol === 'https:' || (u.protocol === 'http:' && local);
}

/** How long the browser has to come back from the provider, in minutes. */
export const SSO_REQUEST_MINUTES = 10;

/** How long a re-authentication counts for signing, in minutes: its ticket expires then, and so does its auth_time. */
export const REAUTH_MINUTES = 5;

/**
 * Clock difference allowed between the provider and Dossier, in seconds. An ID token's `auth_time` is in whole
 * seconds and comes from the provider's clock; a few seconds either way must not refuse a real re-authentication.
 */
export const REAUTH_SKEW_SECONDS = 10;

/**
 * Why a re-authentication does not count as one made just now, or undefined when it does: the provider must say
 * the user entered their credentials after Dossier sent the request (a provider that answers from its own session
 * without asking again gives an older `auth_time`), and at most `REAUTH_MINUTES` ago.
 * @param authTime - the ID token's `auth_time`, ISO UTC
 * @param requestedAt - when the re-authentication request was sent
 */
export function staleReauthentication(authTime: string, requestedAt: string, now: string): string | undefined {
  const at = Date.parse(authTime);
  const skew = REAUTH_SKEW_SECONDS * 1000;
  if (Number.isNaN(at)) return 'the provider gave no valid auth_time';
  if (at + skew < Date.parse(requestedAt)) return `auth_time ${authTime} is before the re-authentication was asked for (${requestedAt})`;
  if (at + REAUTH_MINUTES * 60_000 < Date.parse(now)) return `auth_time ${authTime} is more than ${REAUTH_MINUTES} minutes old`;
  if (at - skew > Date.parse(now)) return `auth_time ${authTime} is in the future`;
  return undefined;
}

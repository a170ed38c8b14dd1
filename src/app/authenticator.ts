import type { Principal } from '../core/access/principal.js';

/**
 * How an adapter learns who is calling: the server hands it what the request carried (an API token from
 * `Authorization: Bearer …`, or the session ID from the session cookie) and gets a principal back, or ANONYMOUS
 * when there is nothing valid. Implemented over the identity store (users, sessions, tokens).
 */
export interface Authenticator {
  /** The principal of a session cookie's ID; ANONYMOUS when the session is unknown, expired or ended. */
  fromSession(sessionId: string): Promise<Principal>;
  /** The principal of an API token; ANONYMOUS when the token is unknown or revoked. Records its last use. */
  fromToken(token: string): Promise<Principal>;
}

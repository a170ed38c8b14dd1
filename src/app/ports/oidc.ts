/**
 * The OpenID Connect relying party as the application layer sees it: build the authorization request (PKCE, state,
 * nonce) and check the provider's answer. Implementation: `shared/oidc-client.ts` (the `openid-client` library);
 * the app imports no protocol or HTTP library.
 */
export interface OidcPort {
  /** The provider's issuer URL, as configured (`DOSSIER_OIDC_ISSUER`). */
  readonly issuer: string;
  /**
   * A new authorization request: fresh PKCE code verifier (S256), state and nonce, and the provider's URL to send
   * the browser to (authorization-code flow, scopes `openid profile email`).
   * @param options.reauthenticate - ask the provider to make the user enter their credentials again
   *   (`prompt=login`, `max_age=0`), whatever session the user has there
   * @throws AppError INTERNAL when the provider's discovery document cannot be read
   */
  authorizationRequest(options: { readonly reauthenticate: boolean }): Promise<OidcAuthorizationRequest>;
  /**
   * Checks the provider's answer and exchanges its code for the ID token: the state, the PKCE verifier, the nonce,
   * the token's signature, issuer, audience and lifetime. Resolves to the validated claims.
   * @param callback - the query parameters the browser came back with (`code`, `state`, `iss`)
   * @throws AppError UNAUTHENTICATED when the answer or the ID token does not hold, naming why
   */
  exchange(callback: Readonly<Record<string, string>>, expected: OidcExpected): Promise<OidcClaims>;
}

/** An authorization request: where to send the browser, and what its answer is checked against. */
export interface OidcAuthorizationRequest {
  readonly url: string;
  readonly state: string;
  readonly codeVerifier: string;
  readonly nonce: string;
}

/** What the answer to one request must match. */
export interface OidcExpected {
  readonly state: string;
  readonly codeVerifier: string;
  readonly nonce: string;
}

/** The claims of a validated ID token that Dossier uses. */
export interface OidcClaims {
  /** `iss`: the provider. */
  readonly issuer: string;
  /** `sub`: the user's stable identifier at the provider. */
  readonly subject: string;
  /** `auth_time` as ISO UTC: when the user last entered credentials at the provider; null when not given. */
  readonly authTime: string | null;
  /** `name`, when the provider gives it (shown in messages only: Dossier's printed name stays its own). */
  readonly name: string | null;
}

import * as client from 'openid-client';
import { AppError, unauthenticated } from '../core/errors.js';
import type { OidcAuthorizationRequest, OidcClaims, OidcExpected, OidcPort } from '../app/ports/oidc.js';
import { SSO_CALLBACK_PATH } from '../app/services/sso.js';
import type { OidcConfig } from './oidc-config.js';

/** The scopes asked for: the ID token, and the name and e-mail for messages (matching is by subject only). */
const SCOPES = 'openid profile email';

/**
 * The OpenID Connect relying party over `openid-client`: discovery on first use (retried after a failure, kept
 * after a success), authorization-code flow with PKCE (S256), state and nonce; the code is exchanged with the
 * client secret when one is configured, else as a public client. An http issuer is accepted only on this machine.
 */
export function openIdClient(config: OidcConfig): OidcPort {
  const redirectUri = `${config.publicUrl}${SSO_CALLBACK_PATH}`;
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(
        new URL(config.issuer),
        config.clientId,
        config.clientSecret,
        config.clientSecret === undefined ? client.None() : client.ClientSecretPost(config.clientSecret),
        { execute: new URL(config.issuer).protocol === 'http:' ? [client.allowInsecureRequests] : [], timeout: 10 },
      )
      .catch((e: unknown) => {
        discovered = undefined;
        throw new AppError('INTERNAL', `the single sign-on provider ${config.issuer} does not answer its discovery document: ${messageOf(e)}`, {}, {
          userMessage: 'the single sign-on provider cannot be reached; try again later',
          cause: e,
        });
      });
    return discovered;
  };
  return {
    issuer: config.issuer,
    async authorizationRequest({ reauthenticate }): Promise<OidcAuthorizationRequest> {
      const c = await configuration();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(c, {
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: SCOPES,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...(reauthenticate ? { prompt: 'login', max_age: '0' } : {}),
      });
      return { url: url.href, state, codeVerifier, nonce };
    },
    async exchange(callback, expected: OidcExpected): Promise<OidcClaims> {
      const c = await configuration();
      const url = new URL(redirectUri);
      for (const [k, v] of Object.entries(callback)) url.searchParams.set(k, v);
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(c, url, {
          pkceCodeVerifier: expected.codeVerifier,
          expectedState: expected.state,
          expectedNonce: expected.nonce,
          idTokenExpected: true,
        });
      } catch (e) {
        throw unauthenticated(`the single sign-on provider's answer does not hold: ${messageOf(e)}`);
      }
      const claims = tokens.claims();
      if (claims === undefined) throw unauthenticated('the single sign-on provider sent no ID token');
      const authTime = typeof claims.auth_time === 'number' ? new Date(claims.auth_time * 1000).toISOString() : null;
      return {
        issuer: claims.iss,
        subject: claims.sub,
        authTime,
        name: typeof claims['name'] === 'string' ? claims['name'] : null,
      };
    },
  };
}

function messageOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.slice(0, 300);
}

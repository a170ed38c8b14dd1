import { z } from 'zod';
import { defineUseCase } from '../use-case.js';
import { beginBinding, beginSsoRequest, BeginOutputSchema, ssoOf } from '../services/sso.js';

/**
 * Starts a single sign-on login: a new request to the OpenID provider (authorization-code flow with PKCE, state and
 * nonce), kept until the browser comes back to `sso.callback`. Over HTTP the answer is a redirect to the provider,
 * and the state goes into a short-lived cookie of this browser. Nothing is in the audit trail yet: nothing happened.
 * @throws AppError NOT_FOUND when single sign-on is not set up
 */
export const ssoLogInUseCase = defineUseCase({
  name: 'sso.login',
  summary: 'Log in through the single sign-on provider: redirects to it.',
  kind: 'write',
  what: 'single sign-on login',
  input: z.object({}),
  output: BeginOutputSchema,
  permission: 'public',
  product: () => undefined,
  http: beginBinding('/api/v1/sso/login'),
  run: ({ deps, services }) => beginSsoRequest(deps, ssoOf(services), 'login', null),
});

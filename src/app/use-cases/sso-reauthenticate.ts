import { z } from 'zod';
import { unauthenticated } from '../../core/errors.js';
import { defineUseCase } from '../use-case.js';
import { beginBinding, beginSsoRequest, BeginOutputSchema, ssoOf } from '../services/sso.js';

/**
 * Starts a re-authentication at the single sign-on provider before signing: the provider is asked to make the user
 * enter their credentials again (`prompt=login`, `max_age=0`). The request remembers the user and the session that
 * asked, and its time: the callback gives a one-time signing ticket only for a credential entry after it.
 * 21 CFR 11.200(a)(1): each signing after single sign-on rests on a fresh credential entry.
 * @throws AppError UNAUTHENTICATED for anything but a logged-in user's session (an API token cannot sign);
 *   NOT_FOUND when single sign-on is not set up
 */
export const ssoReauthenticateUseCase = defineUseCase({
  name: 'sso.reauth',
  summary: 'Re-authenticate at the single sign-on provider before signing: redirects to it.',
  kind: 'write',
  what: 'single sign-on re-authentication',
  input: z.object({}),
  output: BeginOutputSchema,
  permission: 'signed-in',
  product: () => undefined,
  http: beginBinding('/api/v1/sso/reauth'),
  run: async ({ deps, services, principal }) => {
    const port = ssoOf(services);
    if (principal.kind !== 'user' || principal.userId === null || principal.sessionId === null) {
      throw unauthenticated('re-authentication for signing needs a login session (an API token or the local operator cannot sign this way)');
    }
    return beginSsoRequest(deps, port, 'reauth', { userId: principal.userId, sessionId: principal.sessionId });
  },
});

import { z } from 'zod';
import { defineUseCase } from '../use-case.js';

/** Ends the caller's session (sessions are operational: no audit event). A token or local caller has none to end. */
export const logOutUseCase = defineUseCase({
  name: 'session.logout',
  summary: 'Log out: end the current session.',
  kind: 'write',
  what: 'logout',
  input: z.strictObject({}),
  output: z.object({ ended: z.boolean() }),
  permission: 'signed-in',
  product: () => undefined,
  http: { method: 'DELETE', path: '/api/v1/session', session: 'end' },
  run: async ({ deps, principal }) => {
    const sessionId = principal.sessionId;
    if (principal.kind !== 'user' || sessionId === null) return { ended: false };
    await deps.store.write((w) => w.endSession(sessionId, deps.clock.now()));
    return { ended: true };
  },
});

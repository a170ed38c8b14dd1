import { createContext, useContext, type ReactNode } from 'react';
import type { ApiOutput } from '../api/client';

/** Who is logged in (the server's `session.whoami`). */
export type Session = ApiOutput<'session.whoami'>;

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }): ReactNode {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The logged-in user; only inside the signed-in part of the app. */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (s === undefined) throw new Error('useSession outside the signed-in app');
  return s;
}

/** The user's roles on a product (`*` grants count for every product). */
export function rolesOn(session: Session, productKey: string | undefined): string[] {
  return session.roles.filter((r) => r.productKey === '*' || r.productKey === productKey).map((r) => r.role);
}

import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { isApiError } from '../api/client';
import { useApi } from '../api/hooks';
import { ErrorAlert } from '../components/ErrorAlert';
import { SessionProvider } from './session';

/**
 * The signed-in part of the app: asks the server who this browser is; without a session, goes to the login page
 * (and back here after); a user whose password must change goes to the password page first.
 */
export function SignedIn(): ReactNode {
  const location = useLocation();
  const who = useApi('session.whoami', {}, { retry: false, staleTime: 60_000 });
  if (who.isPending) {
    return (
      <Center h="100vh" role="status" aria-label="Loading">
        <Loader />
      </Center>
    );
  }
  if (who.isError) {
    if (isApiError(who.error, 'UNAUTHENTICATED', 'FORBIDDEN')) {
      const next = encodeURIComponent(location.pathname + location.search);
      return <Navigate to={`/login?next=${next}`} replace />;
    }
    return (
      <main style={{ padding: 32 }}>
        <h1>Dossier cannot reach its server</h1>
        <ErrorAlert error={who.error} />
      </main>
    );
  }
  if (who.data.mustChangePassword && location.pathname !== '/account/password') return <Navigate to="/account/password" replace />;
  return (
    <SessionProvider session={who.data}>
      <Outlet />
    </SessionProvider>
  );
}

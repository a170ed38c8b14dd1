import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title, Anchor } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { call, resetCsrf } from '../../api/client';
import { useApi } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';

/** Only a path inside this app may be a `next` target (never another origin). */
export function safeNext(next: string | null): string {
  return next !== null && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** `/login`: username and password; back to the page that sent the user here. */
export function LoginPage(): ReactNode {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [username, setUsername] = useState(params.get('username') ?? '');
  // The first-start link only while the store has no users (a failed check hides it: set-up stays reachable by URL).
  const setup = useApi('setup.status', {}, { retry: false, staleTime: 30_000 });
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await call('session.login', { username, password });
      resetCsrf();
      qc.clear();
      void navigate(safeNext(params.get('next')), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={400} bg="white">
        <form onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
          <Stack>
            <div>
              <Title order={1} size="h2" id="login-title">
                Log in to Dossier
              </Title>
              <Text size="sm" c="gray.7">
                Quality records, traced and signed.
              </Text>
            </div>
            <TextInput label="Username" name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required autoFocus />
            <PasswordInput label="Password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required />
            <ErrorAlert error={error} title="Not logged in" />
            <Button type="submit" loading={busy} fullWidth>
              Log in
            </Button>
            <Text size="sm" ta="center">
              <Anchor component={Link} to="/reset-password">
                I have a reset code
              </Anchor>
              {setup.data?.needed === true && (
                <>
                  {' · '}
                  <Anchor component={Link} to="/setup">
                    First start: create the administrator
                  </Anchor>
                </>
              )}
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

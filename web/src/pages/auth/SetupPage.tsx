import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { call, isApiError, resetCsrf } from '../../api/client';
import { useApi } from '../../api/hooks';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { AuthCard } from './AuthCard';
import { formatSetupCode, repeatError } from './forms';
import { NewPasswordFields } from './NewPasswordFields';

/** `/setup`: the first start of a store without users; the set-up code from the server's console makes the first administrator. */
export function SetupPage(): ReactNode {
  const status = useApi('setup.status', {}, { retry: false });
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const [username, setUsername] = useState('');
  const [printedName, setPrintedName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (repeatError(password, repeat) !== undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await call('setup.first-admin', { code, username, printedName, password });
      resetCsrf();
      qc.clear();
      void navigate('/', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (status.isPending) return <AuthCard title="Set up Dossier"><Loading label="Checking whether Dossier is set up" /></AuthCard>;
  if (status.data?.needed === false) {
    return (
      <AuthCard title="Dossier is already set up" description="This store has users: the first administrator was made already.">
        <Text size="sm">Log in with your account, or ask an administrator for one.</Text>
        <Button component={Link} to="/login">
          Go to log in
        </Button>
      </AuthCard>
    );
  }
  const fieldless = isApiError(error) && error.field !== undefined && ['code', 'username', 'printedName', 'password'].includes(error.field) ? undefined : error;
  return (
    <AuthCard
      title="Set up Dossier"
      description="Create the first administrator. The set-up code was printed on the console of the server when it started (dossier serve)."
    >
      <ErrorAlert error={status.error} title="Cannot tell whether set-up is needed" />
      <form onSubmit={(e) => void submit(e)} aria-label="First administrator">
        <Stack>
          <TextInput
            label="Set-up code"
            description="Eight letters and digits, as XXXX-XXXX"
            name="code"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(formatSetupCode(e.currentTarget.value))}
            error={fieldError(error, 'code')}
            required
            autoFocus
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.1em' } }}
          />
          <TextInput
            label="Username"
            description="Lower-case; it names you in the audit trail for good"
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
            error={fieldError(error, 'username')}
            required
          />
          <TextInput
            label="Printed name"
            description="Your full name as it appears on signatures"
            name="printedName"
            autoComplete="name"
            value={printedName}
            onChange={(e) => setPrintedName(e.currentTarget.value)}
            error={fieldError(error, 'printedName')}
            required
          />
          <NewPasswordFields field="password" label="Password" password={password} repeat={repeat} onPassword={setPassword} onRepeat={setRepeat} error={error} />
          <ErrorAlert error={fieldless} title="Not set up" />
          <Button type="submit" loading={busy}>
            Create the administrator and log in
          </Button>
          <Group justify="center">
            <Anchor component={Link} to="/login" size="sm">
              Back to log in
            </Anchor>
          </Group>
        </Stack>
      </form>
    </AuthCard>
  );
}

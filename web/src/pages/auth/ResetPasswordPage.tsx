import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { call, isApiError } from '../../api/client';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { AuthCard } from './AuthCard';
import { repeatError } from './forms';
import { NewPasswordFields } from './NewPasswordFields';

/** `/reset-password?username=…`: a new password with the one-time reset secret an administrator gave. */
export function ResetPasswordPage(): ReactNode {
  const [params] = useSearchParams();
  const [username, setUsername] = useState(params.get('username') ?? '');
  const [secret, setSecret] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string>();

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (repeatError(password, repeat) !== undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const out = await call('password.reset', { secret: secret.trim(), newPassword: password });
      setDone(out.username);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done !== undefined) {
    return (
      <AuthCard title="Password set">
        <Alert color="green" variant="light" role="status" title="Your new password is in force">
          The reset secret is used up. Log in as <strong>{done}</strong> with the new password.
        </Alert>
        <Button component={Link} to={`/login?username=${encodeURIComponent(done)}`}>
          Log in
        </Button>
      </AuthCard>
    );
  }
  const secretError = isApiError(error, 'UNAUTHENTICATED') ? error.message : fieldError(error, 'secret');
  const fieldless = secretError !== undefined || fieldError(error, 'newPassword') !== undefined ? undefined : error;
  return (
    <AuthCard title="Set a new password" description="With the one-time reset secret your administrator gave you. It works once, for a limited time.">
      <form onSubmit={(e) => void submit(e)} aria-label="Reset your password">
        <Stack>
          <TextInput
            label="Username"
            description="For your password manager; the secret says whose account it is"
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.currentTarget.value)}
          />
          <TextInput
            label="Reset secret"
            name="secret"
            autoComplete="one-time-code"
            value={secret}
            onChange={(e) => setSecret(e.currentTarget.value)}
            error={secretError}
            required
            autoFocus={username !== ''}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <NewPasswordFields field="newPassword" label="New password" password={password} repeat={repeat} onPassword={setPassword} onRepeat={setRepeat} error={error} />
          <ErrorAlert error={fieldless} title="Password not set" />
          <Button type="submit" loading={busy}>
            Set the password
          </Button>
          <Group justify="center">
            <Text size="sm">
              <Anchor component={Link} to="/login">
                Back to log in
              </Anchor>
            </Text>
          </Group>
        </Stack>
      </form>
    </AuthCard>
  );
}

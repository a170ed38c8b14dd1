import { Alert, Button, Paper, PasswordInput, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { call } from '../../api/client';
import { useSession } from '../../app/session';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { repeatError } from './forms';
import { NewPasswordFields } from './NewPasswordFields';

/** `/account/password`: change one's own password (where a user whose password must change is sent first). */
export function ChangePasswordPage(): ReactNode {
  const session = useSession();
  const qc = useQueryClient();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (repeatError(password, repeat) !== undefined) return;
    setBusy(true);
    setError(undefined);
    setDone(false);
    try {
      await call('password.change', { currentPassword: current, newPassword: password });
      setCurrent('');
      setPassword('');
      setRepeat('');
      setDone(true);
      await qc.invalidateQueries();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fieldless = fieldError(error, 'currentPassword') !== undefined || fieldError(error, 'newPassword') !== undefined ? undefined : error;
  return (
    <>
      <PageHeader title="Change password" description={`Signed in as ${session.printedName} (${session.username}).`} />
      {session.mustChangePassword && (
        <Alert color="yellow" variant="light" mb="md" title="Choose a new password first">
          Your password must be changed before you can do anything else in Dossier.
        </Alert>
      )}
      {done && (
        <Alert color="green" variant="light" mb="md" role="status" title="Password changed">
          Your new password is in force; use it for your next login and signature.
        </Alert>
      )}
      <Paper withBorder p="lg" radius="md" maw={480} bg="white">
        <form onSubmit={(e) => void submit(e)} aria-label="Change password">
          <Stack>
            <PasswordInput
              label="Current password"
              name="currentPassword"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.currentTarget.value)}
              error={fieldError(error, 'currentPassword')}
              required
            />
            <NewPasswordFields field="newPassword" label="New password" password={password} repeat={repeat} onPassword={setPassword} onRepeat={setRepeat} error={error} />
            <ErrorAlert error={fieldless} title="Password not changed" />
            <Button type="submit" loading={busy}>
              Change password
            </Button>
          </Stack>
        </form>
      </Paper>
    </>
  );
}

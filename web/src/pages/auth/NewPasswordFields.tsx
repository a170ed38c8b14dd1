import { PasswordInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { fieldError } from '../../components/ErrorAlert';
import { repeatError } from './forms';

/**
 * A new password typed twice: the server's message on the password field (`field`, as the use-case names it), a
 * mismatch on the second at once. Set-up, reset and change all ask for a password this way.
 */
export function NewPasswordFields({
  field,
  label,
  password,
  repeat,
  onPassword,
  onRepeat,
  error,
}: {
  readonly field: string;
  readonly label: string;
  readonly password: string;
  readonly repeat: string;
  readonly onPassword: (v: string) => void;
  readonly onRepeat: (v: string) => void;
  readonly error: unknown;
}): ReactNode {
  return (
    <>
      <PasswordInput label={label} name={field} autoComplete="new-password" value={password} onChange={(e) => onPassword(e.currentTarget.value)} error={fieldError(error, field)} required />
      <PasswordInput
        label={`Repeat the ${label.toLowerCase()}`}
        name="repeat"
        autoComplete="new-password"
        value={repeat}
        onChange={(e) => onRepeat(e.currentTarget.value)}
        error={repeatError(password, repeat)}
        required
      />
    </>
  );
}

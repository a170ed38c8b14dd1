import { Button } from '@mantine/core';
import type { ReactNode } from 'react';

/** What is signed: records at their exact revisions, or a release. */
export type SignTarget =
  | { readonly kind: 'records'; readonly productKey: string; readonly records: readonly { readonly record: string; readonly revision: number }[] }
  | { readonly kind: 'release'; readonly productKey: string; readonly version: string };

export interface SignButtonProps {
  readonly target: SignTarget;
  /** The meanings the user may sign with (e.g. `review`, `approval`); the dialog asks for one. */
  readonly meanings?: readonly string[];
  readonly label?: string;
  /** After the server recorded the signature. */
  readonly onSigned?: () => void;
}

/**
 * A button that opens the signing dialog: the meaning and the exact revision, the password (re-authentication), the
 * accountability statement before a user's first signature. Owned by the approvals area (being built).
 */
export function SignButton({ label = 'Sign' }: SignButtonProps): ReactNode {
  return <Button disabled>{label}</Button>;
}

import { Alert, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { isApiError } from '../api/client';

/** What an error says to a person: the server's message, and which field or record it is about. */
export function errorText(error: unknown): string {
  if (isApiError(error)) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** An error from the server, shown where it happened (never silently dropped). */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }): ReactNode {
  if (error === null || error === undefined) return null;
  const api = isApiError(error) ? error : undefined;
  const where = [api?.field === undefined ? undefined : `field ${api.field}`, api?.record === undefined ? undefined : `record ${api.record}`].filter(Boolean).join(', ');
  return (
    <Alert color="red" variant="light" title={title ?? (api === undefined ? 'Something went wrong' : api.code.replaceAll('_', ' ').toLowerCase())} role="alert" my="sm">
      <Text size="sm">{errorText(error)}</Text>
      {where !== '' && (
        <Text size="xs" c="red.9" mt={4}>
          About: {where}
        </Text>
      )}
    </Alert>
  );
}

/** The server's message for one form field, when the error names that field (for Mantine inputs' `error`). */
export function fieldError(error: unknown, field: string): string | undefined {
  return isApiError(error) && error.field !== undefined && (error.field === field || error.field.startsWith(`${field}.`)) ? error.message : undefined;
}

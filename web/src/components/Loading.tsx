import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorAlert } from './ErrorAlert';

/** A spinner that says what it waits for (screen readers hear it). */
export function Loading({ label = 'Loading' }: { label?: string }): ReactNode {
  return (
    <Center p="xl" role="status" aria-label={label}>
      <Loader />
    </Center>
  );
}

/** Renders a query: a spinner while pending, the server's error when it failed, else `children(data)`. */
export function QueryView<T>({ query, label, children }: { query: UseQueryResult<T, unknown>; label?: string; children: (data: T) => ReactNode }): ReactNode {
  if (query.isPending) return <Loading {...(label === undefined ? {} : { label })} />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  return children(query.data);
}

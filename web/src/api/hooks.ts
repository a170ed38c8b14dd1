import { useMutation, useQuery, useQueryClient, type UseMutationResult, type UseQueryOptions, type UseQueryResult } from '@tanstack/react-query';
import { call, type ApiError, type ApiInput, type ApiOutput, type UseCaseName } from './client';

/** The query key of a use-case call: its name, then its input. */
export function apiKey<N extends UseCaseName>(name: N, input?: ApiInput<N>): readonly unknown[] {
  return input === undefined ? [name] : [name, input];
}

/** Reads through a use-case (cached by name and input; `enabled: false` waits). */
export function useApi<N extends UseCaseName>(
  name: N,
  input: ApiInput<N>,
  options: Omit<UseQueryOptions<ApiOutput<N>, ApiError>, 'queryKey' | 'queryFn'> = {},
): UseQueryResult<ApiOutput<N>, ApiError> {
  return useQuery<ApiOutput<N>, ApiError>({
    queryKey: apiKey(name, input),
    queryFn: ({ signal }) => call(name, input, { signal }),
    ...options,
  });
}

/**
 * A write through a use-case. On success every cached read is stale (a write can change any view: the trace, the
 * gate, the inbox), so what the page shows next is what the server holds.
 */
export function useApiMutation<N extends UseCaseName>(name: N): UseMutationResult<ApiOutput<N>, ApiError, ApiInput<N>> {
  const qc = useQueryClient();
  return useMutation<ApiOutput<N>, ApiError, ApiInput<N>>({
    mutationFn: (input) => call(name, input),
    onSuccess: async () => {
      await qc.invalidateQueries();
    },
  });
}

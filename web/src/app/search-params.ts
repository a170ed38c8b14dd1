import { useCallback, useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The page's URL search params, and an update that builds on the last update even before it has rendered.
 * react-router's functional update is handed the params of the last render, so two quick changes (rows, then
 * columns) would lose the first; this keeps the params last asked for until the URL shows a change.
 */
export function useSearchUpdate(): [URLSearchParams, (change: (prev: URLSearchParams) => URLSearchParams) => void] {
  const [search, setSearch] = useSearchParams();
  const pending = useRef<URLSearchParams | null>(null);
  const shown = search.toString();
  useEffect(() => {
    pending.current = null;
  }, [shown]);
  const update = useCallback(
    (change: (prev: URLSearchParams) => URLSearchParams): void => {
      const next = change(new URLSearchParams(pending.current ?? search));
      pending.current = next;
      setSearch(next, { replace: true });
    },
    [search, setSearch],
  );
  return [search, update];
}

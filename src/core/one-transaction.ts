import type { Store } from './ports.js';

/**
 * Runs several use-cases as one: `fn` gets a store whose every read and write joins a single write transaction of
 * `store`, so either all of their changes (with all their audit events) are kept or, if anything throws or the
 * process dies, none. For composite operations such as the demo, which must never be left half made.
 * @param store - the real store; its write lock is held until `fn` is done
 */
export function inOneTransaction<T>(store: Store, fn: (store: Store) => Promise<T>): Promise<T> {
  return store.write((w) =>
    fn({
      read: (f) => f(w),
      write: (f) => f(w),
      // The transaction ends with the outer write, never from inside.
      close: () => Promise.resolve(),
    }),
  );
}

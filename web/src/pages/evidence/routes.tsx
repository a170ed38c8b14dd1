import type { RouteObject } from 'react-router';

/** Signed-in pages of this area outside any product (absolute paths, inside the frame). */
export const appRoutes: RouteObject[] = [];

/** Pages under `/p/:productKey/` (relative paths), each loaded when first opened. */
export const productRoutes: RouteObject[] = [
  { path: 'evidence', lazy: async () => ({ Component: (await import('./TestRunsPage')).TestRunsPage }) },
  { path: 'evidence/tests', lazy: async () => ({ Component: (await import('./TestRunsPage')).TestRunsPage }) },
  { path: 'evidence/soup', lazy: async () => ({ Component: (await import('./SoupPage')).SoupPage }) },
  { path: 'evidence/commits', lazy: async () => ({ Component: (await import('./CommitsPage')).CommitsPage }) },
  { path: 'releases', lazy: async () => ({ Component: (await import('./ReleasesPage')).ReleasesPage }) },
  { path: 'releases/diff', lazy: async () => ({ Component: (await import('./ReleaseDiffPage')).ReleaseDiffPage }) },
  { path: 'releases/:version', lazy: async () => ({ Component: (await import('./ReleasePage')).ReleasePage }) },
];

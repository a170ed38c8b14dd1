import type { RouteObject } from 'react-router';

/** Signed-in pages of this area outside any product (absolute paths, inside the frame). */
export const appRoutes: RouteObject[] = [];

/** Pages under `/p/:productKey/` (relative paths), each loaded when first opened. */
export const productRoutes: RouteObject[] = [
  { path: 'trace/matrix', lazy: async () => ({ Component: (await import('./MatrixPage')).MatrixPage }) },
  { path: 'trace/suspects', lazy: async () => ({ Component: (await import('./SuspectsPage')).SuspectsPage }) },
  { path: 'trace/graph', lazy: async () => ({ Component: (await import('./GraphPage')).GraphPage }) },
  { path: 'trace/graph/:record', lazy: async () => ({ Component: (await import('./GraphPage')).GraphPage }) },
];

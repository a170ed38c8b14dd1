import type { RouteObject } from 'react-router';

/** Signed-in pages of this area outside any product (absolute paths, inside the frame). */
export const appRoutes: RouteObject[] = [];

/** Pages under `/p/:productKey/` (relative paths), each loaded when first opened. */
export const productRoutes: RouteObject[] = [
  { path: 'grid', lazy: async () => ({ Component: (await import('./GridPage')).GridPage }) },
  { path: 'import', lazy: async () => ({ Component: (await import('./ImportPage')).ImportPage }) },
];

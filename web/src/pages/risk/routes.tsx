import type { RouteObject } from 'react-router';

/** Signed-in pages of this area outside any product (absolute paths, inside the frame). */
export const appRoutes: RouteObject[] = [];

/** Pages under `/p/:productKey/` (relative paths), each loaded when first opened. */
export const productRoutes: RouteObject[] = [
  { path: 'risk', lazy: async () => ({ Component: (await import('./RiskTablePage')).RiskTablePage }) },
  { path: 'risk/matrix', lazy: async () => ({ Component: (await import('./RiskMatrixPage')).RiskMatrixPage }) },
  { path: 'risk/:record', lazy: async () => ({ Component: (await import('./RiskChainPage')).RiskChainPage }) },
];

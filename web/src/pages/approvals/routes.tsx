import type { RouteObject } from 'react-router';

/** Signed-in pages of this area outside any product (absolute paths, inside the frame). */
export const appRoutes: RouteObject[] = [{ path: 'approvals', lazy: async () => ({ Component: (await import('./ApprovalsPage')).ApprovalsPage }) }];

/** Pages under `/p/:productKey/` (relative paths), each loaded when first opened. */
export const productRoutes: RouteObject[] = [];

import type { RouteObject } from 'react-router';

/** Signed-in pages of this area outside any product (absolute paths, inside the frame). */
export const appRoutes: RouteObject[] = [
  { path: '/admin/users', lazy: async () => ({ Component: (await import('./UsersPage')).UsersPage }) },
  { path: '/admin/tokens', lazy: async () => ({ Component: (await import('./TokensPage')).TokensPage }) },
  { path: '/admin/audit', lazy: async () => ({ Component: (await import('./AuditPage')).AuditPage }) },
];

/** Pages under `/p/:productKey/` (relative paths), each loaded when first opened. */
export const productRoutes: RouteObject[] = [
  { path: 'admin/risk-policy', lazy: async () => ({ Component: (await import('./RiskPolicyPage')).RiskPolicyPage }) },
  { path: 'admin/rules', lazy: async () => ({ Component: (await import('./RulesPage')).RulesPage }) },
];

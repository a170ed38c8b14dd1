import type { RouteObject } from 'react-router';
import { LoginPage } from './LoginPage';

/** Pages anyone may open (outside the signed-in frame). */
export const publicRoutes: RouteObject[] = [
  { path: '/login', element: <LoginPage /> },
  { path: '/setup', lazy: async () => ({ Component: (await import('./SetupPage')).SetupPage }) },
  { path: '/reset-password', lazy: async () => ({ Component: (await import('./ResetPasswordPage')).ResetPasswordPage }) },
];

/** Signed-in pages of this area outside any product (inside the frame). */
export const appRoutes: RouteObject[] = [{ path: '/account/password', lazy: async () => ({ Component: (await import('./ChangePasswordPage')).ChangePasswordPage }) }];

/** Pages under `/p/:productKey/`. */
export const productRoutes: RouteObject[] = [];

import type { RouteObject } from 'react-router';
import { LoginPage } from './LoginPage';

/** Pages anyone may open (outside the signed-in frame). */
export const publicRoutes: RouteObject[] = [{ path: '/login', element: <LoginPage /> }];

/** Signed-in pages of this area outside any product (inside the frame). */
export const appRoutes: RouteObject[] = [];

/** Pages under `/p/:productKey/`. */
export const productRoutes: RouteObject[] = [];

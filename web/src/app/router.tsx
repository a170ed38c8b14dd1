import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import * as admin from '../pages/admin/routes';
import * as approvals from '../pages/approvals/routes';
import * as auth from '../pages/auth/routes';
import * as dashboard from '../pages/dashboard/routes';
import * as documents from '../pages/documents/routes';
import * as evidence from '../pages/evidence/routes';
import * as grid from '../pages/grid/routes';
import * as qms from '../pages/qms/routes';
import * as records from '../pages/records/routes';
import * as risk from '../pages/risk/routes';
import * as trace from '../pages/trace/routes';
import { Home, NotFound } from './Home';
import { Shell } from './Shell';
import { SignedIn } from './SignedIn';

/** Each area of the app declares its own routes (`pages/<area>/routes.tsx`). */
const AREAS: readonly { appRoutes: RouteObject[]; productRoutes: RouteObject[] }[] = [auth, dashboard, records, grid, trace, risk, evidence, approvals, admin, documents, qms];

/**
 * Every page has a URL (deep links from CI output, SARIF results and e-mails): `/p/:productKey/…` for a product's
 * pages, `/approvals`, `/admin/…` for the rest; `/login`, `/setup`, `/reset-password` outside the frame.
 */
export const routes: RouteObject[] = [
  ...auth.publicRoutes,
  {
    element: <SignedIn />,
    children: [
      {
        element: <Shell />,
        children: [
          { index: true, element: <Home /> },
          ...AREAS.flatMap((a) => a.appRoutes),
          {
            path: 'p/:productKey',
            children: [{ index: true, element: <Navigate to="dashboard" replace /> }, ...AREAS.flatMap((a) => a.productRoutes)],
          },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);

import { createBrowserRouter, type RouteObject } from 'react-router';
import { HomePage } from '../features/home/routes/home-page.js';
import { StatusPage } from '../features/ops/routes/status-page.js';
import { SignInPage } from '../features/auth/routes/sign-in-page.js';
import { EnrolPage } from '../features/auth/routes/enrol-page.js';
import { SessionsPage } from '../features/auth/routes/sessions-page.js';
import { AccessPage } from '../features/access/routes/access-page.js';
import { AccessLogPage } from '../features/access-log/routes/access-log-page.js';
import { Layout } from './layout.js';
import { NotFoundPage } from './not-found-page.js';
import { RouteErrorPage } from './route-error-page.js';

/**
 * Client routes. Only pages that exist are routed and linked; `/api/*` and `/health/*` belong to the
 * server and are reached by full navigation.
 */
export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'status', element: <StatusPage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'enrol', element: <EnrolPage /> },
      { path: 'account/sessions', element: <SessionsPage /> },
      { path: 'access', element: <AccessPage /> },
      { path: 'access-log', element: <AccessLogPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}

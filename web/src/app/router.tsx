import { createBrowserRouter, type RouteObject } from 'react-router';
import { HomePage } from '../features/home/routes/home-page.js';
import { StatusPage } from '../features/ops/routes/status-page.js';
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
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}

import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { RouterProvider } from 'react-router/dom';
import { ApiProvider } from '../api/api-context.js';
import { createApiClient } from '../api/client.js';
import { I18nProvider, useLanguage } from '../i18n/index.js';
import { createAppRouter } from './router.js';
import { AuthProvider } from '../features/auth/auth-context.js';

/** The application root: language, API client and routes. */
export function App() {
  const [router] = useState(createAppRouter);
  return (
    <I18nProvider>
      <HttpApiProvider>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </HttpApiProvider>
    </I18nProvider>
  );
}

/** The real HTTP client, sending the current interface language as `Accept-Language`. */
function HttpApiProvider({ children }: { children: ReactNode }) {
  const { language } = useLanguage();
  const languageRef = useRef(language);
  useLayoutEffect(() => {
    languageRef.current = language;
  }, [language]);
  // One client for the app's lifetime, so a language switch does not refetch every query.
  const [client] = useState(() => createApiClient({ acceptLanguage: () => languageRef.current }));
  return <ApiProvider client={client}>{children}</ApiProvider>;
}

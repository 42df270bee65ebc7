import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { RouterProvider } from 'react-router/dom';
import { ApiProvider } from '../api/api-context.js';
import { createApiClient } from '../api/client.js';
import { I18nProvider, useLanguage } from '../i18n/index.js';
import { createAppRouter } from './router.js';
import { AuthProvider, SESSION_ENDED } from '../features/auth/auth-context.js';

/** The application root: language, API client and routes. */
export function App() {
  const [router] = useState(createAppRouter);
  // The HTTP client reports a session that ended elsewhere; the auth state listens (docs/design-system.md).
  const [sessionEvents] = useState(() => new EventTarget());
  return (
    <I18nProvider>
      <HttpApiProvider sessionEvents={sessionEvents}>
        <AuthProvider sessionEvents={sessionEvents}>
          <RouterProvider router={router} />
        </AuthProvider>
      </HttpApiProvider>
    </I18nProvider>
  );
}

/** The real HTTP client, sending the current interface language as `Accept-Language`. */
function HttpApiProvider({ children, sessionEvents }: { children: ReactNode; sessionEvents: EventTarget }) {
  const { language } = useLanguage();
  const languageRef = useRef(language);
  useLayoutEffect(() => {
    languageRef.current = language;
  }, [language]);
  // One client for the app's lifetime, so a language switch does not refetch every query.
  const [client] = useState(() => createApiClient({ acceptLanguage: () => languageRef.current, onSessionEnded: () => sessionEvents.dispatchEvent(new Event(SESSION_ENDED)) }));
  return <ApiProvider client={client}>{children}</ApiProvider>;
}

import { useEffect } from 'react';
import { useT } from './i18n.js';

/** Sets `document.title` to "<page> – Distansia" so tabs, history and screen readers name the page. */
export function useDocumentTitle(pageTitle: string): void {
  const t = useT();
  const appName = t('app.name');
  useEffect(() => {
    document.title = pageTitle === appName ? appName : `${pageTitle} – ${appName}`;
  }, [pageTitle, appName]);
}

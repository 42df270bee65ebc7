import { useDocumentTitle, useT } from '../i18n/index.js';
import './layout.css';

/** Shown when a page fails to render, instead of the router's untranslated developer message. */
export function RouteErrorPage() {
  const t = useT();
  useDocumentTitle(t('error.title'));
  return (
    <main id="main" className="page page--narrow">
      <h1>{t('error.title')}</h1>
      <p className="lead">{t('error.body')}</p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        {t('error.reload')}
      </button>
    </main>
  );
}

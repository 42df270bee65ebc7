import { useEffect, useRef, type RefObject } from 'react';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation } from 'react-router';
import { LanguageSwitch, useT } from '../i18n/index.js';
import { AccountMenu } from '../features/auth/components/account-menu.js';
import { useAuth } from '../features/auth/auth-context.js';
import './layout.css';

/** The frame of every page: skip link, header with navigation and language, main, footer. */
export function Layout() {
  const t = useT();
  const { me } = useAuth();
  const mainRef = useRef<HTMLElement>(null);
  useFocusMainOnNavigation(mainRef);

  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          // Tricky: focus directly instead of changing the URL hash, which the router would record.
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t('layout.skipToContent')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <svg className="brand__logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <rect width="32" height="32" rx="7" fill="currentColor" />
              <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
            </svg>
            <span className="brand__text">
              <span className="brand__name">{t('app.name')}</span>
              <span className="brand__tagline">{t('app.tagline')}</span>
            </span>
          </Link>
          <nav className="site-nav" aria-label={t('layout.nav.label')}>
            <ul role="list">
              <li>
                <NavLink to="/" end>
                  {t('layout.nav.home')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/directory">{t('layout.nav.directory')}</NavLink>
              </li>
              <li>
                <NavLink to="/status">{t('layout.nav.status')}</NavLink>
              </li>
              {me ? (
                <li>
                  <NavLink to="/access">{t('layout.nav.access')}</NavLink>
                </li>
              ) : null}
              {me ? (
                <li>
                  <NavLink to="/consultations">{t('layout.nav.consultations')}</NavLink>
                </li>
              ) : null}
              {me && ['specialist', 'facility_admin', 'coordinator'].includes(me.role) && me.facilityIds.length > 0 ? (
                <li>
                  <NavLink to="/consultations/quality">{t('layout.nav.qualityReport')}</NavLink>
                </li>
              ) : null}
              {me && (me.role === 'patient' || me.role === 'representative') ? (
                <li>
                  <NavLink to="/consents">{t('layout.nav.consents')}</NavLink>
                </li>
              ) : null}
              {me && (me.role === 'patient' || me.role === 'representative') ? (
                <li>
                  <NavLink to="/access-log">{t('layout.nav.accessLog')}</NavLink>
                </li>
              ) : null}
              {me && (me.role === 'patient' || me.role === 'representative') ? (
                <>
                  <li>
                    <NavLink to="/book">{t('layout.nav.book')}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/requests">{t('layout.nav.requests')}</NavLink>
                  </li>
                </>
              ) : null}
              {me && me.role === 'specialist' ? (
                <>
                  <li>
                    <NavLink to="/worklist">{t('layout.nav.worklist')}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/emergency/new">{t('layout.nav.emergency')}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/requests">{t('layout.nav.requests')}</NavLink>
                  </li>
                </>
              ) : null}
              <li>
                {/* Served by the server (Swagger UI): a full page load, not a client route. */}
                <a href="/api/docs">{t('layout.nav.apiDocs')}</a>
              </li>
            </ul>
          </nav>
          <AccountMenu />
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="site-footer__inner">
          <p className="site-footer__emergency">{t('layout.footer.emergency')}</p>
          <p>{t('layout.footer.licence')}</p>
        </div>
      </footer>
      <ScrollRestoration />
    </>
  );
}

/**
 * Accessibility: after a client-side navigation, move focus to the new page's content, as a full page
 * load would reset it; otherwise keyboard and screen-reader users stay on the link they just used.
 */
function useFocusMainOnNavigation(mainRef: RefObject<HTMLElement | null>): void {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    mainRef.current?.focus({ preventScroll: true });
  }, [pathname, mainRef]);
}

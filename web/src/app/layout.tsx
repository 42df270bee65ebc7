import { useEffect, useRef, type RefObject } from 'react';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation } from 'react-router';
import { LanguageSwitch, useT, type MessageKey } from '../i18n/index.js';
import { AccountMenu } from '../features/auth/components/account-menu.js';
import { useAuth } from '../features/auth/auth-context.js';
import './layout.css';

type Me = NonNullable<ReturnType<typeof useAuth>['me']>;
const isPatientSide = (me: Me) => me.role === 'patient' || me.role === 'representative';

/** Links for signed-in users, in menu order, each with who sees it (the server still decides access). */
const NAV_ITEMS: { to: string; label: MessageKey; show: (me: Me) => boolean }[] = [
  { to: '/access', label: 'layout.nav.access', show: () => true },
  { to: '/consultations', label: 'layout.nav.consultations', show: () => true },
  { to: '/consultations/quality', label: 'layout.nav.qualityReport', show: (me) => ['specialist', 'facility_admin', 'coordinator'].includes(me.role) && me.facilityIds.length > 0 },
  { to: '/consents', label: 'layout.nav.consents', show: isPatientSide },
  { to: '/access-log', label: 'layout.nav.accessLog', show: isPatientSide },
  { to: '/book', label: 'layout.nav.book', show: isPatientSide },
  { to: '/worklist', label: 'layout.nav.worklist', show: (me) => me.role === 'specialist' },
  { to: '/emergency/new', label: 'layout.nav.emergency', show: (me) => me.role === 'specialist' },
  { to: '/records/worklist', label: 'records.nav.worklist', show: (me) => me.role === 'specialist' },
  { to: '/requests', label: 'layout.nav.requests', show: (me) => isPatientSide(me) || me.role === 'specialist' },
  { to: '/health-record', label: 'healthRecord.nav', show: isPatientSide },
  { to: '/compliance', label: 'compliance.nav', show: (me) => me.role === 'supervisor' || ((me.role === 'facility_admin' || me.role === 'coordinator') && me.facilityIds.length > 0) },
  { to: '/my-gp', label: 'gp.nav.mine', show: isPatientSide },
  { to: '/gp/patient-list', label: 'gp.nav.list', show: (me) => me.role === 'specialist' },
  { to: '/sick-leave/issue', label: 'sickLeave.nav.issue', show: (me) => me.role === 'specialist' },
  { to: '/lkk', label: 'sickLeave.nav.lkk', show: (me) => me.role === 'specialist' },
  { to: '/my-sick-leaves', label: 'sickLeave.nav.mine', show: isPatientSide },
  { to: '/referrals', label: 'referrals.nav', show: isPatientSide },
  { to: '/admin', label: 'registryAdmin.nav.admin', show: (me) => me.role === 'facility_admin' || me.role === 'coordinator' },
  { to: '/admin/staff', label: 'staffAdmin.nav', show: (me) => me.role === 'facility_admin' || me.role === 'operator' },
];

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
              {NAV_ITEMS.filter((item) => me && item.show(me)).map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to}>{t(item.label)}</NavLink>
                </li>
              ))}
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

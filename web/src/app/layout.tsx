import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch, useT, type MessageKey } from '../i18n/index.js';
import { useAuth } from '../features/auth/auth-context.js';
import { ToastProvider } from '../components/ui.js';
import { navFor, type NavItem } from './nav.js';
import './layout.css';

/**
 * The frame of every page: skip link, a one-row header (≤ 64 px: brand, the role's daily items, "Още",
 * account, language; a menu button on phones and tablets), main, footer (docs/design-system.md).
 */
export function Layout() {
  const t = useT();
  const { me } = useAuth();
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();
  useFocusMainOnNavigation(mainRef);
  // A navigation closes the phone menu.
  useEffect(() => setMenuOpen(false), [pathname]);
  const nav = navFor(me);

  return (
    <ToastProvider>
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
            <span className="brand__name">{t('app.name')}</span>
          </Link>
          {/* Visitors, and anyone whose session just ended: the sign-in link stays in the header row, never behind the phone menu. */}
          {me === null ? (
            <Link to="/sign-in" className="account-menu__sign-in">
              {t('auth.signIn.title')}
            </Link>
          ) : null}
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls={menuId}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
              {menuOpen ? <path d="M6 6l12 12M18 6 6 18" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" /> : <path d="M4 7h16M4 12h16M4 17h16" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />}
            </svg>
            {t('ui.menu')}
          </button>
          <div id={menuId} className={menuOpen ? 'site-header__menu site-header__menu--open' : 'site-header__menu'}>
            <nav className="site-nav" aria-label={t('layout.nav.label')}>
              <ul role="list" className="site-nav__primary">
                {nav.primary.map((item) => (
                  <NavEntry key={item.to} item={item} />
                ))}
                {/* Phones: everything in one list; desktop: the rest under "Още". */}
                {nav.more.map((item) => (
                  <NavEntry key={item.to} item={item} className="site-nav__phone-only" />
                ))}
              </ul>
              {nav.more.length > 0 ? (
                <Dropdown label={t('ui.more')} className="site-nav__more">
                  <ul role="list">
                    {nav.more.map((item) => (
                      <NavEntry key={item.to} item={item} />
                    ))}
                  </ul>
                </Dropdown>
              ) : null}
            </nav>
            <AccountArea />
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="site-footer__inner">
          <p className="site-footer__emergency">{t('layout.footer.emergency')}</p>
          <nav aria-label={t('layout.footer.nav')}>
            <ul role="list" className="site-footer__links">
              <li>
                <Link to="/status">{t('layout.nav.status')}</Link>
              </li>
              <li>
                {/* Served by the server (Swagger UI): a full page load, not a client route. */}
                <a href="/api/docs">{t('layout.nav.apiDocs')}</a>
              </li>
            </ul>
          </nav>
          <p>{t('layout.footer.licence')}</p>
        </div>
      </footer>
      <ScrollRestoration />
    </ToastProvider>
  );
}

function NavEntry({ item, className }: { item: NavItem; className?: string }) {
  const t = useT();
  return (
    <li className={className}>
      <NavLink to={item.to} end={item.to === '/admin' || item.to === '/consultations'}>
        {t(item.label)}
      </NavLink>
    </li>
  );
}

/**
 * A disclosure that floats below its button ("Още", the account): closes on Escape (focus back on the
 * button), on a click outside, and after a navigation.
 */
function Dropdown({ label, className, children, testId }: { label: ReactNode; className?: string; children: ReactNode; testId?: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div ref={rootRef} className={`dropdown${className ? ` ${className}` : ''}`} data-testid={testId}>
      <button ref={buttonRef} type="button" className="dropdown__button" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
        {label}
        <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true" focusable="false">
          <path d="M2 4l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.8" />
        </svg>
      </button>
      <div id={id} className="dropdown__panel" hidden={!open}>
        {children}
      </div>
    </div>
  );
}

/** The header's account for a signed-in user: who they are, sessions and sign-out. */
function AccountArea() {
  const t = useT();
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  // Visitors: the sign-in link is in the header row (Layout).
  if (me === undefined || me === null) return <span className="account-area" />;
  const role = t(`auth.role.${me.role}` as MessageKey);
  return (
    <Dropdown
      label={
        <>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" strokeWidth="2" />
            <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" fill="none" stroke="currentColor" strokeWidth="2" />
          </svg>
          <span className="account-area__label">{t('ui.account')}</span>
        </>
      }
      className="account-area"
      testId="account-menu"
    >
      <p className="account-area__who">
        <span className="account-menu__email">{me.email}</span>
        <span className="account-menu__role">{role}</span>
      </p>
      <ul role="list">
        <li>
          <Link to="/account/sessions">{t('auth.sessions.link')}</Link>
        </li>
        <li>
          <button
            type="button"
            className="dropdown__item-button"
            onClick={() => {
              void signOut().then(() => navigate('/'));
            }}
          >
            {t('auth.signOut')}
          </button>
        </li>
      </ul>
    </Dropdown>
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

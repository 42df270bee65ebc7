import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle, useT, type MessageKey } from '../../../i18n/index.js';
import '../home.css';

interface Audience {
  id: string;
  title: MessageKey;
  body: MessageKey;
  icon: ReactNode;
}

// Decorative line icons; the headings carry the meaning.
const audiences: readonly Audience[] = [
  {
    id: 'patients',
    title: 'home.patients.title',
    body: 'home.patients.body',
    icon: <path d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm-7 8c0-3.3 3.1-6 7-6s7 2.7 7 6" />,
  },
  {
    id: 'specialists',
    title: 'home.specialists.title',
    body: 'home.specialists.body',
    icon: <path d="M6 3v6a4 4 0 0 0 8 0V3M10 13v2a5 5 0 0 0 10 0v-2m0 0a2 2 0 1 0 0-.01" />,
  },
  {
    id: 'facilities',
    title: 'home.facilities.title',
    body: 'home.facilities.body',
    icon: <path d="M4 21V7l8-4 8 4v14M2 21h20M12 8v6m-3-3h6M9 21v-4h6v4" />,
  },
  {
    id: 'supervisor',
    title: 'home.supervisor.title',
    body: 'home.supervisor.body',
    icon: <path d="M12 3 4 6v6c0 4.5 3.4 8.3 8 9 4.6-.7 8-4.5 8-9V6l-8-3Zm-3.5 9 2.5 2.5 4.5-5" />,
  },
];

const principles: readonly { id: string; title: MessageKey; body: MessageKey }[] = [
  { id: 'security', title: 'home.security.title', body: 'home.security.body' },
  { id: 'quality', title: 'home.quality.title', body: 'home.quality.body' },
  { id: 'transparency', title: 'home.transparency.title', body: 'home.transparency.body' },
];

/** What Distansia is, who it serves and where to look next. */
export function HomePage() {
  const t = useT();
  useDocumentTitle(t('app.name'));

  return (
    <div className="home">
      <section className="hero" aria-labelledby="home-title">
        <div className="hero__inner">
          <h1 id="home-title">{t('home.title')}</h1>
          <p className="hero__lead">{t('home.lead')}</p>
          <p className="hero__note">{t('home.draftNote')}</p>
        </div>
      </section>

      <div className="page">
        <aside className="notice" aria-labelledby="home-emergency-title">
          <h2 id="home-emergency-title" className="notice__title">
            {t('home.emergency.title')}
          </h2>
          <p>{t('home.emergency.body')}</p>
        </aside>

        <section aria-labelledby="home-audiences-title">
          <h2 id="home-audiences-title">{t('home.audiences.title')}</h2>
          <ul className="card-grid" role="list">
            {audiences.map((audience) => (
              <li key={audience.id} className="card">
                <svg className="card__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                  {audience.icon}
                </svg>
                <h3>{t(audience.title)}</h3>
                <p>{t(audience.body)}</p>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="home-principles-title">
          <h2 id="home-principles-title">{t('home.principles.title')}</h2>
          <dl className="principles">
            {principles.map((principle) => (
              <div key={principle.id} className="principles__item">
                <dt>{t(principle.title)}</dt>
                <dd>{t(principle.body)}</dd>
              </div>
            ))}
          </dl>
        </section>

        <section className="more" aria-labelledby="home-more-title">
          <h2 id="home-more-title">{t('home.more.title')}</h2>
          <ul className="link-list" role="list">
            <li>
              <Link to="/status" className="link-list__link">
                {t('home.more.status')}
              </Link>
              <p>{t('home.more.statusBody')}</p>
            </li>
            <li>
              {/* A server page (Swagger UI), so a full navigation and not a client route. */}
              <a href="/api/docs" className="link-list__link">
                {t('home.more.api')}
              </a>
              <p>{t('home.more.apiBody')}</p>
            </li>
          </ul>
        </section>
      </div>
    </div>
  );
}

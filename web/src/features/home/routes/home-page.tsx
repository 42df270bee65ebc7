import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useDocumentTitle, useT, type MessageKey } from '../../../i18n/index.js';
import { PatientToday } from '../../requests/components/patient-today.js';
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
          <div className="hero__text">
            <h1 id="home-title">{t('home.title')}</h1>
            <p className="hero__lead">{t('home.lead')}</p>
            <p className="hero__note">{t('home.draftNote')}</p>
          </div>
          <HeroArt />
        </div>
      </section>

      <div className="page">
        <PatientToday />
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
              <li key={audience.id} className="card home-card">
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

/** A stylised video consultation: specialist on the main view, patient in the corner. Decorative. */
function HeroArt() {
  return (
    <svg className="hero__art" viewBox="0 0 320 240" aria-hidden="true" focusable="false">
      <rect x="10" y="20" width="300" height="200" rx="16" fill="#fff" fillOpacity="0.08" stroke="#fff" strokeOpacity="0.35" strokeWidth="2" />
      <circle cx="32" cy="42" r="5" fill="#fff" fillOpacity="0.45" />
      <circle cx="48" cy="42" r="5" fill="#fff" fillOpacity="0.45" />
      <circle cx="64" cy="42" r="5" fill="#fff" fillOpacity="0.45" />
      <circle cx="130" cy="112" r="28" fill="#fff" fillOpacity="0.9" />
      <path d="M76 204c0-32 24-54 54-54s54 22 54 54Z" fill="#fff" fillOpacity="0.9" />
      <path d="M116 150l14 22 14-22" fill="none" stroke="#0b5c63" strokeWidth="4" strokeLinejoin="round" />
      <rect x="204" y="128" width="86" height="74" rx="10" fill="#0b3d42" stroke="#fff" strokeOpacity="0.5" strokeWidth="2" />
      <circle cx="247" cy="156" r="12" fill="#d5ecec" />
      <path d="M225 194c0-13 10-22 22-22s22 9 22 22Z" fill="#d5ecec" />
      <circle cx="276" cy="58" r="20" fill="#fff" />
      <path d="M272 47h8v7h7v8h-7v7h-8v-7h-7v-8h7Z" fill="#0b5c63" />
    </svg>
  );
}

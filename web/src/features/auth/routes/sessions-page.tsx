import { useState } from 'react';
import { Link } from 'react-router';
import { startRegistration } from '@simplewebauthn/browser';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import { useAuth } from '../auth-context.js';
import type { Session } from '../api.js';
import { ChangePasswordForm } from '../components/change-password-form.js';
import { NotificationLanguageForm } from '../components/notification-language-form.js';
import '../auth.css';

/** My sessions (end any of them) and my passkeys (add one). */
export function SessionsPage() {
  const t = useT();
  useDocumentTitle(t('auth.sessions.title'));
  const api = useApi();
  const { me, setMe } = useAuth();
  const formatDateTime = useFormatDateTime();
  const lists = useResource(me ? 'auth/sessions' : null, async (a) => ({ sessions: await a.auth.listSessions(), passkeys: await a.auth.listPasskeys() }));
  const sessions = valueOf(lists)?.sessions;
  const passkeys = valueOf(lists)?.passkeys;
  const [actionProblem, setProblem] = useState<Problem>();
  const problem = actionProblem ?? problemOf(lists);
  const load = lists.reload;

  if (me === null) {
    return (
      <div className="page page--narrow auth-page">
        <h1>{t('auth.sessions.title')}</h1>
        <p>{t('auth.enrol.needSignIn')}</p>
        <Link to="/sign-in" className="button">
          {t('auth.signIn.title')}
        </Link>
      </div>
    );
  }

  const end = async (session: Session) => {
    setProblem(undefined);
    try {
      await api.auth.revokeSession(session.id);
      if (session.current) {
        setMe(null);
        return;
      }
      load();
    } catch (error) {
      setProblem(problemFromError(error));
    }
  };

  const addPasskey = async () => {
    setProblem(undefined);
    try {
      const options = await api.auth.passkeyRegistrationOptions();
      const response = await startRegistration({ optionsJSON: options as unknown as Parameters<typeof startRegistration>[0]['optionsJSON'] });
      await api.auth.registerPasskey(response as unknown as Record<string, unknown>, t('auth.passkeys.defaultLabel'));
      load();
    } catch (error) {
      setProblem(problemFromError(error));
    }
  };

  return (
    <div className="page auth-page">
      <h1>{t('auth.sessions.title')}</h1>
      <p className="lead">{t('auth.sessions.intro')}</p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <ul className="session-list" aria-busy={!sessions}>
        {sessions?.map((s) => (
          <li key={s.id} className="session-list__item" data-testid="session">
            <div>
              <p className="session-list__agent">
                {s.userAgent ?? t('auth.sessions.unknownDevice')}
                {s.current ? <strong> · {t('auth.sessions.current')}</strong> : null}
              </p>
              <p className="session-list__meta">
                {t('auth.sessions.meta', { ip: s.ip, created: formatDateTime(new Date(s.createdAt)), lastSeen: formatDateTime(new Date(s.lastSeenAt)) })}
              </p>
            </div>
            <button type="button" className="button button--secondary" onClick={() => void end(s)}>
              {s.current ? t('auth.signOut') : t('auth.sessions.end')}
            </button>
          </li>
        ))}
      </ul>

      <h2>{t('auth.passkeys.title')}</h2>
      {passkeys && passkeys.length === 0 ? <p>{t('auth.passkeys.none')}</p> : null}
      <ul>
        {passkeys?.map((p) => (
          <li key={p.id}>
            {p.label} — {formatDateTime(new Date(p.createdAt))}
          </li>
        ))}
      </ul>
      <button type="button" className="button" onClick={() => void addPasskey()}>
        {t('auth.passkeys.add')}
      </button>

      {me ? <NotificationLanguageForm me={me} onSaved={setMe} /> : null}

      <ChangePasswordForm onChanged={load} />
    </div>
  );
}

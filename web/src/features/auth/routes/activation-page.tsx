import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../auth-context.js';
import type { ActivationStart } from '../api.js';
import { useSubmit } from '../use-submit.js';
import '../auth.css';

/** The token arrives in the URL fragment (`#token=…`), which the browser never sends to a server. */
function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

/**
 * Staff activation (docs/identity.md): the person opens the e-mailed link, links an authenticator app,
 * chooses their own password and confirms with the first code, in one step. Nobody else ever knows the
 * password; the page ends with the recovery codes, shown once.
 */
export function ActivationPage() {
  const t = useT();
  useDocumentTitle(t('auth.activate.title'));
  const api = useApi();
  const { setMe } = useAuth();
  const navigate = useNavigate();
  const [token] = useState(tokenFromFragment);
  const [start, setStart] = useState<ActivationStart>();
  const [startProblem, setStartProblem] = useState<Problem>();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    api.auth.startActivation(token).then(
      (s) => {
        if (!cancelled) setStart(s);
      },
      (error: unknown) => {
        if (!cancelled) setStartProblem(problemFromError(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, token]);

  const { busy, problem, onSubmit } = useSubmit(
    async () => {
      const res = await api.auth.completeActivation({ token, password, code: code.trim() });
      // The link is spent: drop it from the address bar and history.
      window.history.replaceState(null, '', window.location.pathname);
      setRecoveryCodes(res.recoveryCodes ?? []);
      setMe(res.me);
    },
    { onFailure: () => setCode('') },
  );

  if (recoveryCodes) {
    return (
      <div className="page page--narrow auth-page">
        <h1>{t('auth.activate.doneTitle')}</h1>
        <p>{t('auth.activate.doneIntro')}</p>
        <ul className="recovery-codes" data-testid="recovery-codes">
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" className="button" onClick={() => void navigate('/')}>
          {t('auth.activate.continue')}
        </button>
      </div>
    );
  }

  const dead = !token || startProblem?.code === 'auth.activation_invalid' || problem?.code === 'auth.activation_invalid';
  return (
    <div className="page page--narrow auth-page">
      <h1>{t('auth.activate.title')}</h1>
      {!token ? <p role="alert">{t('auth.activate.noToken')}</p> : null}
      {startProblem ? <ProblemAlert problem={startProblem} /> : null}
      {dead ? <p>{t('auth.activate.askAdmin')}</p> : null}
      {token && !start && !startProblem ? <p role="status">{t('auth.activate.loading')}</p> : null}
      {start && !dead ? (
        <>
          <p className="lead">{t('auth.activate.intro', { email: start.email })}</p>
          <h2>{t('auth.activate.step1')}</h2>
          <p>{t('auth.activate.step1Intro')}</p>
          <img className="auth-qr" src={start.totp.qrDataUrl} alt={t('auth.enrol.qrAlt')} width={220} height={220} />
          <p>
            <code className="auth-secret" data-testid="totp-secret">
              {start.totp.secret}
            </code>
          </p>
          <h2>{t('auth.activate.step2')}</h2>
          {problem ? <ProblemAlert problem={problem} /> : null}
          <form className="auth-form" onSubmit={onSubmit} aria-busy={busy}>
            {/* Lets password managers save the new password under the right account. */}
            <input type="email" autoComplete="username" value={start.email} readOnly hidden />
            <label htmlFor="activate-password">{t('auth.password.new')}</label>
            <input
              id="activate-password"
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              aria-describedby="activate-password-hint"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <p id="activate-password-hint" className="auth-form__hint">
              {t('auth.password.newHint')}
            </p>
            <label htmlFor="activate-code">{t('auth.activate.code')}</label>
            <input id="activate-code" inputMode="numeric" pattern="[0-9]{6}" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
            <button type="submit" className="button" disabled={busy}>
              {t('auth.activate.submit')}
            </button>
          </form>
        </>
      ) : null}
    </div>
  );
}

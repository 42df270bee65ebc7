import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useSubmit } from '../use-submit.js';
import '../auth.css';

/** Forgotten password, step 1: ask for a link. The answer never says whether the e-mail has an account. */
export function ForgotPasswordPage() {
  const t = useT();
  useDocumentTitle(t('auth.forgot.title'));
  const api = useApi();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, problem, onSubmit } = useSubmit(async () => {
    await api.auth.requestPasswordReset(email.trim());
    setSent(true);
  });

  return (
    <div className="page page--narrow auth-page">
      <h1>{t('auth.forgot.title')}</h1>
      <p>{t('auth.forgot.intro')}</p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {sent ? (
        <p role="status" className="auth-form__done">
          {t('auth.forgot.sent')}
        </p>
      ) : (
        <form className="auth-form" onSubmit={onSubmit} aria-busy={busy}>
          <label htmlFor="forgot-email">{t('auth.field.email')}</label>
          <input id="forgot-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <button type="submit" className="button" disabled={busy}>
            {t('auth.forgot.submit')}
          </button>
        </form>
      )}
    </div>
  );
}

/** The token arrives in the URL fragment (`#token=…`), which the browser never sends to a server. */
function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

/** Forgotten password, step 2: the new password and the second factor. */
export function ResetPasswordPage() {
  const t = useT();
  useDocumentTitle(t('auth.reset.title'));
  const api = useApi();
  const [token] = useState(tokenFromFragment);
  const [newPassword, setNewPassword] = useState('');
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const { busy, problem, onSubmit } = useSubmit(
    async () => {
      await api.auth.confirmPasswordReset({ token, newPassword, code: code.trim() });
      setDone(true);
      // The token is spent: drop it from the address bar and history.
      window.history.replaceState(null, '', window.location.pathname);
    },
    { onFailure: () => setCode('') },
  );

  if (done) {
    return (
      <div className="page page--narrow auth-page">
        <h1>{t('auth.reset.title')}</h1>
        <p role="status" className="auth-form__done">
          {t('auth.reset.done')}
        </p>
        <Link to="/sign-in" className="button">
          {t('auth.signIn.title')}
        </Link>
      </div>
    );
  }

  return (
    <div className="page page--narrow auth-page">
      <h1>{t('auth.reset.title')}</h1>
      {token ? <p>{t('auth.reset.intro')}</p> : <p role="alert">{t('auth.reset.noToken')}</p>}
      {problem ? <ProblemAlert problem={problem} /> : null}
      {problem?.code === 'auth.reset_invalid' || !token ? <Link to="/forgot-password">{t('auth.forgot.title')}</Link> : null}
      {token ? (
        <form className="auth-form" onSubmit={onSubmit} aria-busy={busy}>
          <label htmlFor="reset-password">{t('auth.password.new')}</label>
          <input
            id="reset-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            aria-describedby="reset-password-hint"
            value={newPassword}
            onChange={(e) => setNewPassword(e.target.value)}
          />
          <p id="reset-password-hint" className="auth-form__hint">
            {t('auth.password.newHint')}
          </p>
          <label htmlFor="reset-code">{t('auth.reset.code')}</label>
          <input id="reset-code" autoComplete="one-time-code" required maxLength={20} value={code} onChange={(e) => setCode(e.target.value)} />
          <button type="submit" className="button" disabled={busy}>
            {t('auth.reset.submit')}
          </button>
        </form>
      ) : null}
    </div>
  );
}

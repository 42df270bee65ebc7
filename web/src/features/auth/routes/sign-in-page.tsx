import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { startAuthentication } from '@simplewebauthn/browser';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../auth-context.js';
import '../auth.css';

type Step = { kind: 'password' } | { kind: 'code'; mfaToken: string; methods: string[] };

/** Where to go after sign-in: `?next=` when it is a path of this app (never another origin), else home. */
function nextPath(): string {
  const next = new URLSearchParams(window.location.search).get('next') ?? '';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/** Sign-in: e-mail and password, then a TOTP or recovery code, or a passkey. */
export function SignInPage() {
  const t = useT();
  useDocumentTitle(t('auth.signIn.title'));
  const api = useApi();
  const { setMe } = useAuth();
  const navigate = useNavigate();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
    } catch (error) {
      const p = problemFromError(error);
      setProblem(p);
      // An expired or spent MFA token, or a lockout, means starting again with the password.
      if (p.code === 'auth.mfa_expired' || p.code === 'auth.locked') setStep({ kind: 'password' });
    } finally {
      setBusy(false);
    }
  }

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const res = await api.auth.login(email, password);
      setPassword('');
      if (res.status === 'mfa_enrolment_required') {
        await navigate('/enrol', { state: { enrolmentToken: res.enrolmentToken } });
        return;
      }
      setStep({ kind: 'code', mfaToken: res.mfaToken, methods: res.methods });
    });
  };

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (step.kind !== 'code') return;
    void run(async () => {
      const res = await api.auth.verifyMfa(step.mfaToken, code.trim());
      setMe(res.me);
      await navigate(nextPath());
    });
  };

  const usePasskey = () => {
    if (step.kind !== 'code') return;
    void run(async () => {
      const options = await api.auth.passkeyOptions(step.mfaToken);
      const response = await startAuthentication({ optionsJSON: options as unknown as Parameters<typeof startAuthentication>[0]['optionsJSON'] });
      const res = await api.auth.verifyPasskey(step.mfaToken, response as unknown as Record<string, unknown>);
      setMe(res.me);
      await navigate(nextPath());
    });
  };

  const retryMinutes = problem?.code === 'auth.locked' ? Math.ceil(Number(problem.meta?.retryAfterSeconds ?? 900) / 60) : undefined;

  return (
    <div className="page page--narrow auth-page">
      <h1>{t('auth.signIn.title')}</h1>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {retryMinutes !== undefined ? (
        <p className="auth-page__locked" role="status" data-testid="lockout-message">
          {t('auth.signIn.lockedFor', { minutes: retryMinutes })}
        </p>
      ) : null}

      {step.kind === 'password' ? (
        <form className="auth-form" onSubmit={submitPassword} aria-busy={busy}>
          <label htmlFor="sign-in-email">{t('auth.field.email')}</label>
          <input id="sign-in-email" name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
          <label htmlFor="sign-in-password">{t('auth.field.password')}</label>
          <input id="sign-in-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          <button type="submit" className="button" aria-disabled={busy}>
            {t('auth.signIn.continue')}
          </button>
          <Link to="/forgot-password">{t('auth.forgot.link')}</Link>
          <Link to="/register">{t('register.link')}</Link>
        </form>
      ) : (
        <form className="auth-form" onSubmit={submitCode} aria-busy={busy}>
          <p>{t('auth.signIn.codeIntro')}</p>
          <label htmlFor="sign-in-code">{t('auth.field.code')}</label>
          <input
            id="sign-in-code"
            name="code"
            inputMode="text"
            autoComplete="one-time-code"
            required
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-describedby="sign-in-code-hint"
          />
          <p id="sign-in-code-hint" className="auth-form__hint">
            {t('auth.signIn.codeHint')}
          </p>
          <button type="submit" className="button" aria-disabled={busy}>
            {t('auth.signIn.verify')}
          </button>
          {step.methods.includes('webauthn') ? (
            <button type="button" className="button button--secondary" onClick={usePasskey} aria-disabled={busy}>
              {t('auth.signIn.passkey')}
            </button>
          ) : null}
          <button type="button" className="link-button" onClick={() => setStep({ kind: 'password' })}>
            {t('auth.signIn.startOver')}
          </button>
        </form>
      )}
    </div>
  );
}

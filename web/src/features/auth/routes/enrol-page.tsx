import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../auth-context.js';
import '../auth.css';

/** First sign-in without a second factor: scan the QR code, confirm a code, keep the recovery codes. */
export function EnrolPage() {
  const t = useT();
  useDocumentTitle(t('auth.enrol.title'));
  const api = useApi();
  const { setMe } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const enrolmentToken = (location.state as { enrolmentToken?: string } | null)?.enrolmentToken;
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [busy, setBusy] = useState(false);

  const started = useResource(enrolmentToken ? `auth/enrolment/${enrolmentToken}` : null, (a) => a.auth.startTotpEnrolment(enrolmentToken ?? ''));
  const enrolment = valueOf(started);
  const shownProblem = problem ?? problemOf(started);

  if (!enrolmentToken) {
    return (
      <div className="page page--narrow auth-page">
        <h1>{t('auth.enrol.title')}</h1>
        <p>{t('auth.enrol.needSignIn')}</p>
        <Link to="/sign-in" className="button">
          {t('auth.signIn.title')}
        </Link>
      </div>
    );
  }

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    api.auth.confirmTotpEnrolment(enrolmentToken, code.trim()).then(
      (res) => {
        setRecoveryCodes(res.recoveryCodes ?? []);
        setMe(res.me);
        setBusy(false);
      },
      (error: unknown) => {
        setProblem(problemFromError(error));
        setBusy(false);
      },
    );
  };

  if (recoveryCodes) {
    return (
      <div className="page page--narrow auth-page">
        <h1>{t('auth.enrol.recoveryTitle')}</h1>
        <p>{t('auth.enrol.recoveryIntro')}</p>
        <ul className="recovery-codes" data-testid="recovery-codes">
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" className="button" onClick={() => void navigate('/')}>
          {t('auth.enrol.done')}
        </button>
      </div>
    );
  }

  return (
    <div className="page page--narrow auth-page">
      <h1>{t('auth.enrol.title')}</h1>
      <p className="lead">{t('auth.enrol.intro')}</p>
      {shownProblem ? <ProblemAlert problem={shownProblem} /> : null}
      {enrolment ? (
        <>
          <img className="auth-qr" src={enrolment.qrDataUrl} alt={t('auth.enrol.qrAlt')} width={220} height={220} />
          <p>{t('auth.enrol.manual')}</p>
          <p>
            <code className="auth-secret" data-testid="totp-secret">
              {enrolment.secret}
            </code>
          </p>
          <form className="auth-form" onSubmit={confirm} aria-busy={busy}>
            <label htmlFor="enrol-code">{t('auth.field.totp')}</label>
            <input id="enrol-code" name="code" inputMode="numeric" pattern="[0-9]{6}" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
            <button type="submit" className="button" aria-disabled={busy}>
              {t('auth.enrol.confirm')}
            </button>
          </form>
        </>
      ) : null}
    </div>
  );
}

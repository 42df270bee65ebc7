import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';

/** The token arrives in the URL fragment (`#token=…`), which the browser never sends to a server. */
function tokenFromFragment(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

/**
 * The e-mailed link: confirms the address, then hands over to the second-factor enrolment page, which
 * signs the patient in and shows the recovery codes once.
 */
export function ConfirmEmailPage() {
  const t = useT();
  useDocumentTitle(t('register.confirmTitle'));
  const api = useApi();
  const navigate = useNavigate();
  const [token] = useState(tokenFromFragment);
  const [problem, setProblem] = useState<Problem>();
  // Tricky: the token is single use, so a second effect run (StrictMode) must not spend it again.
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    // The token is single use: drop it from the address bar and history at once.
    window.history.replaceState(null, '', window.location.pathname);
    api.registration.confirmEmail(token).then(
      ({ enrolmentToken }) => void navigate('/enrol', { replace: true, state: { enrolmentToken } }),
      (error: unknown) => setProblem(problemFromError(error)),
    );
  }, [api, navigate, token]);

  return (
    <div className="page page--narrow auth-page">
      <h1>{t('register.confirmTitle')}</h1>
      {!token ? <p role="alert">{t('register.noToken')}</p> : null}
      {problem ? (
        <>
          <ProblemAlert problem={problem} />
          <p>{t('register.confirmInvalid')}</p>
          <Link to="/register">{t('register.title')}</Link>
        </>
      ) : token ? (
        <p role="status">{t('register.confirming')}</p>
      ) : null}
    </div>
  );
}

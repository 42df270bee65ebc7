import { ProblemAlert } from '../../../api/problem-alert.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { Readiness } from '../api.js';
import { useReadiness } from '../hooks.js';
import '../status.css';

/** System status: the result of `GET /health/ready`, in words and not in colour alone. */
export function StatusPage() {
  const t = useT();
  useDocumentTitle(t('status.title'));
  const formatDateTime = useFormatDateTime();
  const { loading, result, refresh } = useReadiness();

  return (
    <div className="page page--narrow">
      <h1>{t('status.title')}</h1>
      <p className="lead">{t('status.intro')}</p>

      <section className="card status-panel" aria-busy={loading} aria-labelledby="status-checks-heading">
        <h2 id="status-checks-heading" className="visually-hidden">
          {t('status.checks.caption')}
        </h2>
        {!result ? <p className="status-panel__pending">{t('status.checking')}</p> : null}
        {result?.kind === 'problem' ? <ProblemAlert problem={result.problem} /> : null}
        {result?.kind === 'readiness' ? <ReadinessReport readiness={result.readiness} /> : null}
        {result ? (
          <p className="status-panel__checked-at">
            {t('status.checkedAt', { time: formatDateTime(result.checkedAt) })}
          </p>
        ) : null}
      </section>

      <button
        type="button"
        className="button"
        // Accessibility: aria-disabled rather than disabled, so keyboard focus stays on the button.
        aria-disabled={loading}
        onClick={() => {
          if (!loading) refresh();
        }}
      >
        {loading ? t('status.checking') : t('status.refresh')}
      </button>
    </div>
  );
}

function ReadinessReport({ readiness }: { readiness: Readiness }) {
  const t = useT();
  const ok = readiness.status === 'ok';
  return (
    <>
      <p className={`status-overall status-overall--${ok ? 'ok' : 'down'}`} role="status">
        <StateIcon ok={ok} />
        <span>{ok ? t('status.overall.ok') : t('status.overall.unavailable')}</span>
      </p>
      <table className="status-table">
        <caption className="visually-hidden">{t('status.checks.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('status.checks.component')}</th>
            <th scope="col">{t('status.checks.state')}</th>
          </tr>
        </thead>
        <tbody>
          <CheckRow
            label={t('status.database')}
            ok={readiness.checks.database === 'ok'}
            value={t(`status.database.${readiness.checks.database}`)}
          />
          <CheckRow
            label={t('status.migrations')}
            ok={readiness.checks.migrations === 'ok'}
            value={t(`status.migrations.${readiness.checks.migrations}`)}
          />
        </tbody>
      </table>
    </>
  );
}

function CheckRow({ label, ok, value }: { label: string; ok: boolean; value: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        <span className={`badge badge--${ok ? 'ok' : 'down'}`}>
          <StateIcon ok={ok} />
          {value}
        </span>
      </td>
    </tr>
  );
}

function StateIcon({ ok }: { ok: boolean }) {
  return (
    <svg className="state-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <circle cx="10" cy="10" r="10" fill="currentColor" />
      {ok ? (
        <path d="m5.5 10.5 3 3 6-7" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" />
      ) : (
        <path d="m6.5 6.5 7 7m0-7-7 7" fill="none" stroke="#fff" strokeWidth="2.2" strokeLinecap="round" />
      )}
    </svg>
  );
}

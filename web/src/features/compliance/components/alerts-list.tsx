import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useFormatDateTime, useT } from '../../../i18n/index.js';
import type { Deadline } from '../api.js';
import { formatDuration } from '../format.js';

/**
 * The facility staff's alert list (`/records/facility-alerts`): deadlines past 80% or missed and not yet
 * recorded, soonest due first. The same events are e-mailed to the facility (S-02).
 */
export function AlertsList() {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const loaded = useResource('compliance/alerts', (a) => a.compliance.alerts());
  const alerts = valueOf(loaded);
  const problem = problemOf(loaded);

  const status = (d: Deadline) => (d.status === 'missed' ? 'missed' : 'escalated');
  return (
    <section className="compliance-alerts" aria-labelledby="compliance-alerts-title">
      <h2 id="compliance-alerts-title">{t('compliance.alerts.title')}</h2>
      <p className="compliance-hint">{t('compliance.alerts.intro')}</p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {!alerts && !problem ? <p aria-live="polite">{t('compliance.loading')}</p> : null}
      {alerts && alerts.items.length === 0 ? <p>{t('compliance.alerts.empty')}</p> : null}
      {alerts && alerts.items.length > 0 ? (
        <ul className="compliance-alert-list" role="list">
          {alerts.items.map((d) => (
            <li key={d.requestId} className={`compliance-alert compliance-alert--${status(d)}`} data-request-id={d.requestId} data-status={status(d)}>
              <p className="compliance-alert__head">
                <span className="compliance-ref">{d.requestId.slice(-8).toUpperCase()}</span> · <strong>{t(`compliance.alerts.status.${status(d)}`)}</strong>
              </p>
              <dl className="compliance-alert__facts">
                <dt>{t('compliance.col.kind')}</dt>
                <dd>{t('compliance.kind', { urgency: t(`compliance.urgency.${d.urgency}`), mode: t(`compliance.mode.${d.mode}`), document: t(`compliance.document.${d.documentKind}`) })}</dd>
                <dt>{t('compliance.col.due')}</dt>
                <dd>
                  <time dateTime={d.dueAt}>{formatDateTime(new Date(d.dueAt))}</time>
                  {d.secondsLeft !== null ? ` (${d.secondsLeft >= 0 ? t('compliance.alerts.timeLeft', { time: formatDuration(t, d.secondsLeft) }) : t('compliance.alerts.overdue', { time: formatDuration(t, d.secondsLeft) })})` : ''}
                </dd>
                <dt>{t('compliance.alerts.document')}</dt>
                <dd>{t(`compliance.alerts.document.${d.documentStatus}`)}</dd>
                {d.breachCause ? (
                  <>
                    <dt>{t('compliance.col.cause')}</dt>
                    <dd>{t(`compliance.cause.${d.breachCause}`)}</dd>
                  </>
                ) : null}
              </dl>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

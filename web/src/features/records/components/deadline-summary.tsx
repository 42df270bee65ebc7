import { useEffect, useState } from 'react';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import type { Deadline } from '../api.js';
import { formatSpan, zonedFormatter } from '../format.js';

/** Milliseconds since the epoch, refreshed every `everyMs` (the countdown of the time left). */
function useTicking(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The Art. 17 deadline of one service: when it is due in the facility's zone (Europe/Sofia), the time
 * left (counted down from the server's figure, so the browser's clock setting does not matter), and
 * whether it was escalated, extended, met or missed.
 */
export function DeadlineSummary({ deadline, fetchedAt }: { deadline: Deadline; fetchedAt: number }) {
  const t = useT();
  const { language } = useLanguage();
  const fmt = zonedFormatter(locales[language], deadline.timeZone);
  const now = useTicking(30_000);
  const left = deadline.secondsLeft === null ? null : deadline.secondsLeft - Math.floor((now - fetchedAt) / 1000);
  const overdue = left !== null && left < 0;
  const state = deadline.status === 'open' ? (overdue ? 'overdue' : deadline.escalatedAt ? 'escalated' : 'open') : deadline.status;

  return (
    <div className={`deadline deadline--${state}`} data-testid="deadline" data-status={deadline.status}>
      <p className="deadline__state">
        <strong>{t(`records.deadline.state.${state}`)}</strong>
        {left !== null ? <span className="deadline__left"> · {t(overdue ? 'records.deadline.overdueBy' : 'records.deadline.left', { span: formatSpan(left, t) })}</span> : null}
      </p>
      <p>
        {t('records.deadline.due', { at: fmt(deadline.dueAt), zone: deadline.timeZone })}
        {deadline.complex && deadline.complexKind ? <> · {t('records.deadline.extended', { kind: t(`records.complex.kind.${deadline.complexKind}`) })}</> : null}
      </p>
      <p className="records-hint">{t('records.deadline.completed', { at: fmt(deadline.completedAt) })}</p>
      {deadline.escalatedAt ? <p className="records-hint">{t('records.deadline.escalatedAt', { at: fmt(deadline.escalatedAt) })}</p> : null}
      {deadline.breachCause ? <p className="deadline__breach">{t(`records.deadline.cause.${deadline.breachCause}`)}</p> : null}
      {deadline.recordedAt ? <p>{t('records.deadline.recordedAt', { at: fmt(deadline.recordedAt), nrn: deadline.nrn ?? '—' })}</p> : null}
    </div>
  );
}

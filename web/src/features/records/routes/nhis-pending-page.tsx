import { Link } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { Skeleton } from '../../../components/ui.js';
import { useDocumentTitle, useFormatDateTime, useT, type MessageKey } from '../../../i18n/index.js';
import { MaskedIdentifier } from '../../patient/components/masked-identifier.js';
import type { PendingNhisSubmission } from '../api.js';
import '../records.css';

/** Why a record waits, in words (the NHIS's own reason codes and transport errors stay off the screen). */
function why(item: PendingNhisSubmission): MessageKey {
  if (item.status === 'rejected') return 'records.nhisPending.why.rejected';
  if (item.status === 'opened') return 'records.nhisPending.why.opened';
  if (item.offline) return 'records.nhisPending.why.offline';
  return item.attempts > 0 ? 'records.nhisPending.why.retrying' : 'records.nhisPending.why.queued';
}

/**
 * `/records/nhis-pending`: the signed records that wait for the NHIS and why: not yet recorded, opened
 * but not closed, refused, or going later as a record after the fact when the NHIS was unreachable
 * (docs/nhis.md#offline). The Art. 17 deadline counts the NHIS acknowledgement, so each shows its due time.
 * Each names its patient, with the identifier masked, when the caller may see that patient (the server
 * decides and audits the read; the reveal is audited against the request).
 */
export function NhisPendingPage() {
  const t = useT();
  const fmt = useFormatDateTime();
  useDocumentTitle(t('records.nhisPending.title'));
  const list = useResource('records/nhis-pending', (api) => api.records.nhisPending());

  return (
    <div className="page records-worklist">
      <h1>{t('records.nhisPending.title')}</h1>
      <p className="lead">{t('records.nhisPending.lead')}</p>
      {list.state === 'problem' ? <ProblemAlert problem={list.problem} /> : null}
      {list.state === 'loading' ? <Skeleton lines={4} label={t('records.loading')} /> : null}
      {list.state === 'ready' && list.value.items.length === 0 ? <p data-testid="nhis-pending-empty">{t('records.nhisPending.empty')}</p> : null}
      {list.state === 'ready' && list.value.items.length > 0 ? (
        <ul className="records-cards">
          {list.value.items.map((item) => (
            <li key={item.submissionId}>
              <article className="card card--flat records-card" data-testid="nhis-pending-item" data-status={item.status} aria-labelledby={`np-${item.submissionId}`}>
                <h2 id={`np-${item.submissionId}`} className="records-pending__title">
                  {t(item.operation === 'correct' ? 'records.nhisPending.op.correct' : 'records.nhisPending.op.record')}
                </h2>
                {item.patient ? (
                  <div className="records-pending__patient" data-testid="nhis-pending-patient">
                    <p>
                      <span className="visually-hidden">{t('records.nhisPending.patient')}: </span>
                      <strong>{item.patient.name}</strong>
                    </p>
                    <MaskedIdentifier inline kindLabel={t(`banner.${item.patient.identifierKind}` as MessageKey)} masked={item.patient.identifierMasked} requestId={item.requestId} />
                  </div>
                ) : null}
                <p className={item.status === 'rejected' ? 'records-pending__why records-pending__why--final' : 'records-pending__why'}>{t(why(item))}</p>
                <dl className="records-pending__facts">
                  <dt>{t('records.nhisPending.queuedAt')}</dt>
                  <dd>{fmt(new Date(item.queuedAt))}</dd>
                  <dt>{t('records.nhisPending.attempts')}</dt>
                  <dd>{item.lastAttemptAt ? t('records.nhisPending.attemptsLast', { n: item.attempts, at: fmt(new Date(item.lastAttemptAt)) }) : t('records.nhisPending.attemptsNone')}</dd>
                  {item.dueAt ? (
                    <>
                      <dt>{t('records.nhisPending.dueAt')}</dt>
                      <dd>{fmt(new Date(item.dueAt))}</dd>
                    </>
                  ) : null}
                </dl>
                <Link to={`/requests/${item.requestId}/sheet`}>{t('records.worklist.open')}</Link>
              </article>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

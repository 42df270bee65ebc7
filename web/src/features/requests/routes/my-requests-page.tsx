import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import type { RequestWithAppointment } from '../api.js';
import { RequestCard } from '../components.js';
import { RequestDetailLink } from '../components/detail-link.js';
import { soonestFirst } from '../components/patient-today.js';
import { CalendarFeedPanel } from '../components/calendar-feed-panel.js';
import '../requests.css';

/** The requester side: upcoming and past requests; cancelling with a reason. */
export function MyRequestsPage() {
  const t = useT();
  useDocumentTitle(t('requests.mine.title'));
  const api = useApi();
  const lists = useResource('requests/mine', (a) =>
    Promise.all([a.requests.listMine('upcoming'), a.requests.listMine('past')]).then(([u, p]) => ({ upcoming: soonestFirst(u.items), past: p.items })),
  );
  const upcoming = valueOf(lists)?.upcoming;
  const past = valueOf(lists)?.past;
  const [actionProblem, setProblem] = useState<Problem>();
  const problem = actionProblem ?? problemOf(lists);

  async function cancel(item: RequestWithAppointment) {
    const reason = window.prompt(t('requests.cancel.reason'));
    if (!reason) return;
    setProblem(undefined);
    try {
      await api.requests.transition(item.request.id, { action: 'cancel', reason, version: item.request.version });
      lists.reload();
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  return (
    <section aria-labelledby="mine-title">
      <h1 id="mine-title">{t('requests.mine.title')}</h1>
      <p>
        <Link to="/book">{t('requests.book.title')}</Link>
      </p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <h2>{t('requests.mine.upcoming')}</h2>
      {upcoming?.length === 0 ? <p>{t('requests.mine.none')}</p> : null}
      <ul className="request-list">
        {upcoming?.map((i) => (
          <li key={i.request.id}>
            <RequestCard item={i}>
              <div className="request-actions">
                <RequestDetailLink requestId={i.request.id} />
                {/* Regulatory: Art. 10-11 — the consent is read and signed before the service starts. */}
                <Link to={`/requests/${i.request.id}/consent`}>{t('requests.link.consent')}</Link>
                {['scheduled', 'in_progress'].includes(i.request.status) ? <Link to={`/requests/${i.request.id}/consultation`}>{t('requests.link.consultation')}</Link> : null}
                {i.request.allowedActions.includes('cancel') ? (
                  <button type="button" onClick={() => void cancel(i)}>
                    {t('requests.action.cancel')}
                  </button>
                ) : null}
              </div>
            </RequestCard>
          </li>
        ))}
      </ul>
      <h2>{t('requests.mine.past')}</h2>
      {past?.length === 0 ? <p>{t('requests.mine.none')}</p> : null}
      <ul className="request-list">
        {past?.map((i) => (
          <li key={i.request.id}>
            <RequestCard item={i}>
              <div className="request-actions">
                <RequestDetailLink requestId={i.request.id} />
              </div>
            </RequestCard>
          </li>
        ))}
      </ul>
      <CalendarFeedPanel />
    </section>
  );
}

import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import '../consultation.css';

/** `/consultations`: the signed-in person's consultations. */
export function ConsultationsPage() {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const mine = useResource('consultations/mine', (a) => a.consultation.listMine());
  const list = valueOf(mine)?.items;
  const problem = problemOf(mine);
  useDocumentTitle(t('consultation.list.title'));

  return (
    <div className="page">
      <h1>{t('consultation.list.title')}</h1>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {list && list.length === 0 ? <p>{t('consultation.list.empty')}</p> : null}
      <ul className="consultation-list">
        {list?.map((c) => (
          <li key={c.id}>
            <Link to={`/consultations/${c.id}`}>
              {c.mode === 'synchronous' ? t('consultation.list.call') : t('consultation.list.case')} · {formatDateTime(new Date(c.createdAt))}
            </Link>{' '}
            <span className="consultation-list__status">{t(`consultation.state.${c.status}`)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** `/requests/:requestId/consultation`: opens the request's consultation and goes to it. */
export function OpenRequestConsultationPage() {
  const t = useT();
  const navigate = useNavigate();
  const { requestId = '' } = useParams();
  const opened = useResource(`consultations/for-request/${requestId}`, (a) => a.consultation.openForRequest(requestId));
  const consultationId = valueOf(opened)?.id;
  const problem = problemOf(opened);
  useEffect(() => {
    if (consultationId) void navigate(`/consultations/${consultationId}`, { replace: true });
  }, [consultationId, navigate]);
  return (
    <div className="page">
      <h1>{t('consultation.title')}</h1>
      {problem ? <ProblemAlert problem={problem} /> : <p aria-live="polite">{t('consultation.loading')}</p>}
    </div>
  );
}

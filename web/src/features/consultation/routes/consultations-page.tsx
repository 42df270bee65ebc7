import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { loadInto } from '../../../api/load-into.js';
import type { Problem } from '../../../api/problem.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { ConsultationList } from '../api.js';
import '../consultation.css';

/** `/consultations`: the signed-in person's consultations. */
export function ConsultationsPage() {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const [list, setList] = useState<ConsultationList['items']>();
  const [problem, setProblem] = useState<Problem>();
  useDocumentTitle(t('consultation.list.title'));

  useEffect(() => loadInto(api.consultation.listMine(), (r) => setList(r.items), setProblem), [api]);

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
  const api = useApi();
  const navigate = useNavigate();
  const { requestId = '' } = useParams();
  const [problem, setProblem] = useState<Problem>();
  useEffect(() => loadInto(api.consultation.openForRequest(requestId), (c) => void navigate(`/consultations/${c.id}`, { replace: true }), setProblem), [api, navigate, requestId]);
  return (
    <div className="page">
      <h1>{t('consultation.title')}</h1>
      {problem ? <ProblemAlert problem={problem} /> : <p aria-live="polite">{t('consultation.loading')}</p>}
    </div>
  );
}

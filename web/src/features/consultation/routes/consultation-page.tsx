import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { Consultation } from '../api.js';
import { CallView } from '../components/call-view.js';
import { CaseView } from '../components/case-view.js';
import '../consultation.css';

/** `/consultations/:id`: the call page (real time) or the case page (store and forward). */
export function ConsultationPage() {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const { id = '' } = useParams();
  const [consultation, setConsultation] = useState<Consultation>();
  const [problem, setProblem] = useState<Problem>();
  useDocumentTitle(t('consultation.title'));

  useEffect(() => {
    let live = true;
    api.consultation.get(id).then(
      (c) => live && setConsultation(c),
      (e: unknown) => live && setProblem(problemFromError(e)),
    );
    return () => {
      live = false;
    };
  }, [api, id]);

  return (
    <div className="page consultation-page">
      <h1>{consultation?.mode === 'asynchronous' ? t('consultation.case.heading') : t('consultation.title')}</h1>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {!consultation && !problem ? <p aria-live="polite">{t('consultation.loading')}</p> : null}
      {consultation?.completedAt ? (
        <p className="consultation-page__done" role="status" data-testid="completed-at">
          {t('consultation.completedAt', { at: formatDateTime(new Date(consultation.completedAt)) })}
        </p>
      ) : null}
      {consultation?.completedAt && consultation.mySide === 'provider' ? (
        <p>
          <Link className="button" to={`/requests/${consultation.requestId}/sheet`}>
            {t('records.link.writeSheet')}
          </Link>
        </p>
      ) : null}
      {consultation ? (
        consultation.mode === 'asynchronous' ? (
          <CaseView consultation={consultation} onChanged={setConsultation} />
        ) : (
          <CallView consultation={consultation} onChanged={setConsultation} />
        )
      ) : null}
    </div>
  );
}

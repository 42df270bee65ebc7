import { Link, useParams } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { Skeleton } from '../../../components/ui.js';
import { PatientBanner } from '../../patient/components/patient-banner.js';
import { NationalRecordPanel } from '../../records/components/national-record-panel.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { Consultation } from '../api.js';
import { CallView } from '../components/call-view.js';
import { CaseView } from '../components/case-view.js';
import '../consultation.css';

/** `/consultations/:id`: the call page (real time) or the case page (store and forward). */
export function ConsultationPage() {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const { id = '' } = useParams();
  const resource = useResource<Consultation>(`consultation:${id}`, (api) => api.consultation.get(id));
  const consultation = valueOf(resource);
  const setConsultation = (c: Consultation) => (resource.state === 'ready' ? resource.set(c) : undefined);
  useDocumentTitle(t('consultation.title'));

  return (
    <div className="page consultation-page">
      <h1>{consultation?.mode === 'asynchronous' ? t('consultation.case.heading') : t('consultation.title')}</h1>
      {consultation?.mySide === 'provider' ? <PatientBanner requestId={consultation.requestId} /> : null}
      {resource.state === 'problem' ? <ProblemAlert problem={resource.problem} /> : null}
      {resource.state === 'loading' ? <Skeleton lines={4} label={t('consultation.loading')} /> : null}
      {consultation?.completedAt ? (
        <p className="consultation-page__done" role="status" data-testid="completed-at">
          {t('consultation.completedAt', { at: formatDateTime(new Date(consultation.completedAt)) })}
        </p>
      ) : null}
      {consultation?.completedAt && consultation.mySide === 'provider' ? (
        <p className="button-row">
          <Link className="button" to={`/requests/${consultation.requestId}/sheet`}>
            {t('records.link.writeSheet')}
          </Link>
          <Link className="button button--secondary" to={`/requests/${consultation.requestId}/referrals/new`}>
            {t('refIssue.link.referral')}
          </Link>
          <Link className="button button--secondary" to={`/requests/${consultation.requestId}/prescriptions/new`}>
            {t('refIssue.link.prescription')}
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
      {/* Regulatory: Art. 13 (R-TM-29) — the providing specialist reads the patient's national record; the server decides who may. */}
      {consultation?.mySide === 'provider' ? <NationalRecordPanel consultationId={consultation.id} /> : null}
    </div>
  );
}

import { useSearchParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { RecordEntry } from '../components/record-entry.js';
import '../health-record.css';

/**
 * `/health-record`: the patient's record of remote services (Art. 13). A representative picks
 * which linked patient, as on the consents and access-log pages; the choice is kept in `?patient=` so
 * the way back from a document returns to the same patient.
 */
export function HealthRecordPage() {
  const t = useT();
  useDocumentTitle(t('healthRecord.title'));
  const [params, setParams] = useSearchParams();
  const patients = useResource('access/acting-for', (a) => a.access.actingFor().then((r) => r.items));

  const list = patients.state === 'ready' ? patients.value : [];
  const wanted = params.get('patient');
  const selected = list.find((p) => p.patientId === wanted) ?? list[0];

  return (
    <div className="page health-record">
      <h1>{t('healthRecord.title')}</h1>
      <p className="lead">{t('healthRecord.intro')}</p>
      {patients.state === 'loading' ? <p aria-live="polite">{t('healthRecord.loading')}</p> : null}
      {patients.state === 'problem' ? <ProblemAlert problem={patients.problem} /> : null}
      {list.length > 1 ? (
        <div className="field">
          <label htmlFor="health-record-patient">{t('healthRecord.patient')}</label>
          <select id="health-record-patient" value={selected?.patientId ?? ''} onChange={(e) => setParams({ patient: e.target.value }, { replace: true })}>
            {list.map((p) => (
              <option key={p.patientId} value={p.patientId}>{`${p.givenName} ${p.familyName}`}</option>
            ))}
          </select>
        </div>
      ) : null}
      {patients.state === 'ready' && list.length === 0 ? <p>{t('healthRecord.noPatients')}</p> : null}
      {selected ? <RecordOf key={selected.patientId} patientId={selected.patientId} /> : null}
    </div>
  );
}

function RecordOf({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const record = useResource(`health-record/${patientId}`, (a) => a.healthRecord.get(patientId));

  if (record.state === 'loading') return <p aria-live="polite">{t('healthRecord.loading')}</p>;
  if (record.state === 'problem') return <ProblemAlert problem={record.problem} />;
  const docs = [...record.value.documents].sort((a, b) => b.signedAt.localeCompare(a.signedAt));
  return (
    <section aria-labelledby="health-record-documents">
      <div className="health-record__downloads">
        <a className="button button--secondary" href={api.healthRecord.fhirUrl(patientId)} download>
          {t('healthRecord.fhir')}
        </a>
        <p className="health-record__hint">{t('healthRecord.fhirHint')}</p>
      </div>
      <h2 id="health-record-documents">{t('healthRecord.documents')}</h2>
      {docs.length === 0 ? (
        <p>{t('healthRecord.empty')}</p>
      ) : (
        <ul className="hr-list" role="list">
          {docs.map((entry) => (
            <RecordEntry key={entry.documentId} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}

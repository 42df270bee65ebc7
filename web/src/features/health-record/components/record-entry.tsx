import { Link } from 'react-router';
import { useFormatDateTime, useT } from '../../../i18n/index.js';
import type { Diagnosis, HealthRecordEntry } from '../api.js';

/** A diagnosis as the patient reads it: ICD-10 code, title and whether it is the primary one. */
export function DiagnosisItem({ d }: { d: Pick<Diagnosis, 'code' | 'title' | 'rank'> }) {
  const t = useT();
  return (
    <li>
      <span className="hr-code">{d.code}</span> {d.title} <span className="hr-rank">({t(`healthRecord.rank.${d.rank}`)})</span>
    </li>
  );
}

/** One signed document of the health record: when, who, where, and what it recorded. */
export function RecordEntry({ entry }: { entry: HealthRecordEntry }) {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const signed = formatDateTime(new Date(entry.signedAt));
  const kind = t(`healthRecord.kind.${entry.kind}`);
  const headingId = `hr-entry-${entry.documentId}`;
  return (
    <li className="card hr-card" aria-labelledby={headingId} data-document-id={entry.documentId}>
      <h3 id={headingId}>{kind}</h3>
      {entry.revision > 1 ? <p className="hr-card__corrected">{t('healthRecord.corrected', { revision: entry.revision })}</p> : null}
      <dl className="hr-card__meta">
        <dt>{t('healthRecord.signedAt')}</dt>
        <dd>
          <time dateTime={entry.signedAt}>{signed}</time>
        </dd>
        <dt>{t('healthRecord.facility')}</dt>
        <dd>{entry.performer.facilityName}</dd>
        <dt>{t('healthRecord.specialist')}</dt>
        <dd>{t('healthRecord.specialistLine', { name: entry.performer.name, qualification: entry.performer.qualificationName, uin: entry.performer.uin })}</dd>
        {entry.kind === 'patient_information' ? null : (
          <>
            <dt>{t('healthRecord.nrn')}</dt>
            <dd>{entry.nrn ?? t('healthRecord.nrnPending')}</dd>
          </>
        )}
      </dl>
      {entry.diagnoses.length > 0 ? (
        <>
          <h4>{t('healthRecord.diagnoses')}</h4>
          <ul>
            {entry.diagnoses.map((d) => (
              <DiagnosisItem key={`${d.rank}-${d.code}`} d={d} />
            ))}
          </ul>
        </>
      ) : null}
      {entry.medications.length > 0 ? (
        <>
          <h4>{t('healthRecord.medications')}</h4>
          <ul>
            {entry.medications.map((m, i) => (
              <li key={i}>
                {m.name}
                {m.dosage ? ` – ${m.dosage}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {entry.recommendations ? (
        <>
          <h4>{t('healthRecord.recommendations')}</h4>
          <p className="hr-text">{entry.recommendations}</p>
        </>
      ) : null}
      {entry.followUp ? (
        <>
          <h4>{t('healthRecord.followUp')}</h4>
          <p className="hr-text">{entry.followUp}</p>
        </>
      ) : null}
      {entry.summary ? (
        <>
          <h4>{t('healthRecord.summary')}</h4>
          <p className="hr-text">{entry.summary}</p>
        </>
      ) : null}
      <Link className="button button--secondary" to={`/health-record/documents/${entry.documentId}`}>
        {t('healthRecord.open')}
        <span className="visually-hidden">{` – ${kind}, ${signed}`}</span>
      </Link>
    </li>
  );
}

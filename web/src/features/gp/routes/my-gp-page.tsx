import { Link } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { useDocumentTitle, useT, type MessageKey } from '../../../i18n/index.js';
import { ActingForPatient } from '../../access/components/acting-for-patient.js';
import '../gp.css';

/** "Моят личен лекар": the GP today, the history of choices and the change window explained (R-GP-02..05). */
export function MyGpPage() {
  const t = useT();
  useDocumentTitle(t('gp.mine.title'));
  return (
    <div className="page gp-page">
      <h1>{t('gp.mine.title')}</h1>
      <p className="lead">{t('gp.mine.intro')}</p>
      <p>
        <Link to="/my-insurance">{t('insurance.page.title')}</Link>
      </p>
      <ActingForPatient id="gp-patient" label={t('gp.patient')} loading={t('gp.loading')} empty={t('gp.noPatients')}>
        {(patientId) => <PatientGpView patientId={patientId} />}
      </ActingForPatient>
    </div>
  );
}

function PatientGpView({ patientId }: { patientId: string }) {
  const t = useT();
  const gp = useResource(`gp/patient/${patientId}`, (a) => a.gp.patientGp(patientId));

  if (gp.state === 'loading') return <p aria-live="polite">{t('gp.loading')}</p>;
  if (gp.state === 'problem') return <ProblemAlert problem={gp.problem} />;
  const { current, history, changeWindow } = gp.value;
  return (
    <>
      <section className="gp-current" aria-labelledby="gp-current-title">
        <h2 id="gp-current-title">{t('gp.current')}</h2>
        {current ? (
          <>
            <p>
              <strong>{current.practitioner.name}</strong> — {current.facility.name} ({t('gp.since', { date: current.startsOn })})
            </p>
            {current.kind === 'temporary' && current.endsOn ? <p>{t('gp.temporaryNow', { date: current.endsOn })}</p> : null}
          </>
        ) : (
          <p>{t('gp.none')}</p>
        )}
      </section>
      <section className="gp-window" aria-labelledby="gp-window-title">
        <h2 id="gp-window-title">{t('gp.window.title')}</h2>
        {changeWindow.open && changeWindow.closesOn ? (
          <p className="gp-window-open">{t('gp.window.open', { date: changeWindow.closesOn })}</p>
        ) : (
          <p>{t('gp.window.closed', { date: changeWindow.opensOn ?? '' })}</p>
        )}
        <p>{t('gp.window.how')}</p>
        <p>{t('gp.window.exceptions')}</p>
      </section>
      {history.length > 0 ? (
        <table>
          <caption>{t('gp.history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('gp.col.kind')}</th>
              <th scope="col">{t('gp.col.doctor')}</th>
              <th scope="col">{t('gp.col.practice')}</th>
              <th scope="col">{t('gp.col.from')}</th>
              <th scope="col">{t('gp.col.to')}</th>
              <th scope="col">{t('gp.col.ended')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id}>
                <td>{t(`gp.kind.${h.kind}` as MessageKey)}</td>
                <td>{h.practitioner.name}</td>
                <td>{h.facility.name}</td>
                <td>{h.startsOn}</td>
                <td>{h.endsOn ?? ''}</td>
                <td>{h.endedOn && h.endReason ? `${h.endedOn} (${t(`gp.end.${h.endReason}` as MessageKey)})` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useT, type MessageKey } from '../../../i18n/index.js';
import type { ActingFor } from '../../access/api.js';
import type { PatientGp } from '../api.js';
import '../gp.css';

type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'problem'; problem: Problem };

/** "Моят личен лекар": the GP today, the history of choices and the change window explained (R-GP-02..05). */
export function MyGpPage() {
  const t = useT();
  useDocumentTitle(t('gp.mine.title'));
  const api = useApi();
  const [actingFor, setActingFor] = useState<Load<ActingFor[]>>({ state: 'loading' });
  const [selected, setSelected] = useState<string>();

  useEffect(() => {
    let live = true;
    api.access.actingFor().then(
      (r) => {
        if (!live) return;
        setActingFor({ state: 'ready', value: r.items });
        setSelected((s) => s ?? r.items[0]?.patientId);
      },
      (e: unknown) => live && setActingFor({ state: 'problem', problem: problemFromError(e) }),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const patients = actingFor.state === 'ready' ? actingFor.value : [];
  return (
    <div className="page gp-page">
      <h1>{t('gp.mine.title')}</h1>
      <p className="lead">{t('gp.mine.intro')}</p>
      <p>
        <Link to="/my-insurance">{t('insurance.page.title')}</Link>
      </p>
      {actingFor.state === 'loading' ? <p aria-live="polite">{t('gp.loading')}</p> : null}
      {actingFor.state === 'problem' ? <ProblemAlert problem={actingFor.problem} /> : null}
      {patients.length > 1 ? (
        <div className="field">
          <label htmlFor="gp-patient">{t('gp.patient')}</label>
          <select id="gp-patient" value={selected ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {patients.map((p) => (
              <option key={p.patientId} value={p.patientId}>{`${p.givenName} ${p.familyName}`}</option>
            ))}
          </select>
        </div>
      ) : null}
      {actingFor.state === 'ready' && patients.length === 0 ? <p>{t('gp.noPatients')}</p> : null}
      {selected ? <PatientGpView key={selected} patientId={selected} /> : null}
    </div>
  );
}

function PatientGpView({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const [gp, setGp] = useState<Load<PatientGp>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    api.gp
      .patientGp(patientId)
      .then(
        (value) => live && setGp({ state: 'ready', value }),
        (e: unknown) => live && setGp({ state: 'problem', problem: problemFromError(e) }),
      );
    return () => {
      live = false;
    };
  }, [api, patientId]);

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

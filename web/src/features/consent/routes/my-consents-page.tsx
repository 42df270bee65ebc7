import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { ActingFor } from '../../access/api.js';
import type { Consent, ConsentVerification } from '../api.js';
import '../consent.css';

/** The patient's (or a representative's) signed consents: printable copies, verification, withdrawal. */
export function MyConsentsPage() {
  const t = useT();
  useDocumentTitle(t('consent.list.title'));
  const api = useApi();
  const [patients, setPatients] = useState<ActingFor[]>();
  const [selected, setSelected] = useState<string>();
  const [problem, setProblem] = useState<Problem>();

  useEffect(() => {
    let live = true;
    api.access.actingFor().then(
      (r) => {
        if (!live) return;
        setPatients(r.items);
        setSelected((s) => s ?? r.items[0]?.patientId);
      },
      (e: unknown) => live && setProblem(problemFromError(e)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  return (
    <div className="page page--narrow">
      <h1>{t('consent.list.title')}</h1>
      <p className="lead">{t('consent.list.intro')}</p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {patients && patients.length > 1 ? (
        <div className="field">
          <label htmlFor="consent-patient">{t('access.actingFor.label')}</label>
          <select id="consent-patient" value={selected ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {patients.map((p) => (
              <option key={p.patientId} value={p.patientId}>{`${p.givenName} ${p.familyName}`}</option>
            ))}
          </select>
        </div>
      ) : null}
      {selected ? <ConsentList key={selected} patientId={selected} /> : null}
      {patients && patients.length === 0 ? <p>{t('access.noPatients')}</p> : null}
    </div>
  );
}

function ConsentList({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const [items, setItems] = useState<Consent[]>();
  const [problem, setProblem] = useState<Problem>();
  const [verified, setVerified] = useState<Record<string, ConsentVerification>>({});
  const [confirming, setConfirming] = useState<string>();

  const reload = useCallback(async () => {
    try {
      setItems((await api.consent.listForPatient(patientId)).items);
    } catch (e) {
      setProblem(problemFromError(e));
    }
  }, [api, patientId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  async function verify(id: string) {
    try {
      const v = await api.consent.verify(id);
      setVerified((cur) => ({ ...cur, [id]: v }));
    } catch (e) {
      setProblem(problemFromError(e));
    }
  }

  async function withdraw(id: string) {
    setProblem(undefined);
    try {
      await api.consent.withdraw(id);
      setConfirming(undefined);
      await reload();
    } catch (e) {
      setProblem(problemFromError(e));
    }
  }

  if (problem) return <ProblemAlert problem={problem} />;
  if (!items) return <p aria-live="polite">{t('consultation.loading')}</p>;
  if (items.length === 0) return <p>{t('consent.list.empty')}</p>;
  return (
    <ul className="consent-list">
      {items.map((c) => (
        <li key={c.id}>
          <h2>{t(c.kind === 'recording' ? 'consent.kind.recording' : 'consent.kind.treatment')}</h2>
          <p>
            {t('consent.list.signed', { at: formatDateTime(new Date(c.signedAt)), version: c.templateVersion })} — {t(`consent.role.${c.signerRole}`)}
          </p>
          {c.recording ? (
            <p>
              {t('consent.recording.summary', { reason: c.recording.reason, media: c.recording.media.map((m) => t(`consent.media.${m}`)).join(', '), purpose: c.recording.purpose })}
            </p>
          ) : null}
          <p className={c.status === 'active' ? 'gate-ok' : 'gate-missing'}>
            {c.status === 'active' ? t('consent.status.active') : t('consent.status.withdrawn', { at: c.withdrawnAt ? formatDateTime(new Date(c.withdrawnAt)) : '' })}
          </p>
          {verified[c.id] ? (
            <p role="status" className={verified[c.id]?.valid ? 'gate-ok' : 'gate-missing'}>
              {verified[c.id]?.valid ? t('consent.verify.ok') : t('consent.verify.bad')}
            </p>
          ) : null}
          <div className="consent-actions">
            <a className="button button--secondary" href={api.consent.pdfUrl(c.id)} download>
              {t('consent.pdf')}
            </a>
            <button type="button" className="button button--secondary" onClick={() => void verify(c.id)}>
              {t('consent.verify')}
            </button>
            {c.status === 'active' && confirming !== c.id ? (
              <button type="button" className="button button--danger" onClick={() => setConfirming(c.id)}>
                {t('consent.withdraw')}
              </button>
            ) : null}
            {confirming === c.id ? (
              <>
                <span>{t(c.kind === 'recording' ? 'consent.withdraw.confirmRecording' : 'consent.withdraw.confirm')}</span>
                <button type="button" className="button button--danger" onClick={() => void withdraw(c.id)}>
                  {t('consent.withdraw.yes')}
                </button>
                <button type="button" className="button button--secondary" onClick={() => setConfirming(undefined)}>
                  {t('consultation.complete.no')}
                </button>
              </>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { ruleText } from '../../../components/form.js';
import { Skeleton } from '../../../components/ui.js';
import { PatientBanner } from '../../patient/components/patient-banner.js';
import { useDocumentTitle, useFormatDateTime, useT, type MessageKey } from '../../../i18n/index.js';
import type { Art7Checklist, GateStatus, RecordVerificationBody } from '../api.js';
import '../consent.css';

const CHECKLIST_KEYS: readonly (keyof Art7Checklist)[] = [
  'noRiskToLifeOrHealth',
  'qualityAndSafetyAssured',
  'notDentalExceptImaging',
  'noDirectContactNeeded',
  'requesterIdentityVerifiable',
  'notConductingBirth',
  'notEstablishingDeath',
];
const EMPTY: Art7Checklist = {
  noRiskToLifeOrHealth: false,
  qualityAndSafetyAssured: false,
  notDentalExceptImaging: false,
  noDirectContactNeeded: false,
  requesterIdentityVerifiable: false,
  notConductingBirth: false,
  notEstablishingDeath: false,
};
const METHODS: readonly RecordVerificationBody['method'][] = ['qualified_esignature', 'nhis_login', 'video_document_check', 'in_person_earlier'];

/** The providing specialist's panel: what blocks the service, the identity check and the Art. 7 decision. */
export function RequestReviewPage() {
  const t = useT();
  useDocumentTitle(t('review.title'));
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const { requestId = '' } = useParams();
  const ids = useId();
  const gatesResource = useResource<GateStatus>(`gates:${requestId}`, (a) => a.consent.gates(requestId));
  const gates = valueOf(gatesResource);
  const [problem, setProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();
  const [method, setMethod] = useState<RecordVerificationBody['method']>('video_document_check');
  const [outcome, setOutcome] = useState<'verified' | 'failed'>('verified');
  const [note, setNote] = useState('');
  const [checklist, setChecklist] = useState<Art7Checklist>(EMPTY);
  const [reasons, setReasons] = useState('');

  const reload = gatesResource.reload;

  async function verify(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    try {
      await api.consent.recordVerification(requestId, { method, outcome, ...(note.trim() ? { note } : {}) });
      setNotice(t('review.identity.saved'));
      reload();
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  async function decide(kind: 'accept' | 'decline') {
    setProblem(undefined);
    try {
      await api.consent.decide(requestId, kind, checklist, reasons.trim() || undefined);
      setNotice(t(kind === 'accept' ? 'review.decision.accepted' : 'review.decision.declined'));
      reload();
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  const pointerErrors = new Set((problem?.errors ?? []).map((e) => e.pointer));

  return (
    <div className="page page--narrow">
      <h1>{t('review.title')}</h1>
      {gates?.viewerSide === 'provider' ? <PatientBanner requestId={requestId} /> : null}
      {gatesResource.state === 'problem' ? <ProblemAlert problem={gatesResource.problem} /> : null}
      {problem ? <ProblemAlert problem={problem} /> : null}
      {notice ? <p role="status">{notice}</p> : null}
      {!gates ? (
        gatesResource.state === 'loading' ? <Skeleton lines={4} /> : null
      ) : (
        <>
          <section aria-labelledby={`${ids}-gates`}>
            <h2 id={`${ids}-gates`}>{t('review.gates.title')}</h2>
            {gates.hardBlocks.length > 0 ? (
              <p className="gate-missing" role="alert">
                {t('review.hardBlocks', { rules: gates.hardBlocks.map((rule) => ruleText(t, rule)).join(' ') })}
              </p>
            ) : null}
            <ul className="gate-list">
              <li className={gates.decision?.outcome === 'accept' ? 'gate-ok' : 'gate-missing'}>
                {gates.decision
                  ? t(gates.decision.outcome === 'accept' ? 'review.gates.accepted' : 'review.gates.declined', { at: formatDateTime(new Date(gates.decision.decidedAt)) })
                  : t('review.gates.noDecision')}
              </li>
              <li className={gates.identity?.outcome === 'verified' ? 'gate-ok' : 'gate-missing'}>
                {gates.identity ? t(gates.identity.outcome === 'verified' ? 'review.gates.identityOk' : 'review.gates.identityFailed', { method: t(`review.method.${gates.identity.method}`) }) : t('review.gates.noIdentity')}
              </li>
              {gates.consentRequired ? (
                <li className={gates.treatmentConsent ? 'gate-ok' : 'gate-missing'}>
                  {gates.treatmentConsent ? t('review.gates.consentOk', { at: formatDateTime(new Date(gates.treatmentConsent.signedAt)) }) : t('review.gates.noConsent')}
                </li>
              ) : (
                <li className="gate-ok">{t('review.gates.noPersonalData')}</li>
              )}
              <li>{gates.recordingConsent ? t('review.gates.recordingOk') : t('review.gates.noRecording')}</li>
            </ul>
            <p>{gates.missing.length === 0 ? t('review.gates.ready') : t('review.gates.notReady')}</p>
            {gates.viewerSide === 'requester' ? (
              <p>
                <Link to={`/requests/${requestId}/consent`}>{t('consent.sign.title')}</Link>
              </p>
            ) : null}
          </section>

          {gates.viewerSide === 'provider' ? (
            <>
              <section aria-labelledby={`${ids}-identity`}>
                <h2 id={`${ids}-identity`}>{t('review.identity.title')}</h2>
                <form onSubmit={(e) => void verify(e)}>
                  <div className="field">
                    <label htmlFor={`${ids}-method`}>{t('review.identity.method')}</label>
                    <select id={`${ids}-method`} value={method} onChange={(e) => setMethod(e.target.value as RecordVerificationBody['method'])}>
                      {METHODS.map((m) => (
                        <option key={m} value={m}>
                          {t(`review.method.${m}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <fieldset className="checklist">
                    <legend>{t('review.identity.outcome')}</legend>
                    {(['verified', 'failed'] as const).map((o) => (
                      <label key={o} className="consent-check">
                        <input type="radio" name={`${ids}-outcome`} value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
                        <span>{t(`review.identity.${o}`)}</span>
                      </label>
                    ))}
                  </fieldset>
                  <div className="field">
                    <label htmlFor={`${ids}-note`}>{t('review.identity.note')}</label>
                    <input id={`${ids}-note`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
                  </div>
                  <button type="submit" className="button">
                    {t('review.identity.save')}
                  </button>
                </form>
              </section>

              {!gates.decision && gates.requestStatus === 'requested' ? (
                <section aria-labelledby={`${ids}-decision`}>
                  <h2 id={`${ids}-decision`}>{t('review.decision.title')}</h2>
                  <p>{t('review.decision.intro')}</p>
                  <fieldset className="checklist">
                    <legend>{t('review.checklist.legend')}</legend>
                    {CHECKLIST_KEYS.map((k) => (
                      <label key={k} className="consent-check">
                        <input type="checkbox" checked={checklist[k]} onChange={(e) => setChecklist((c) => ({ ...c, [k]: e.target.checked }))} aria-invalid={pointerErrors.has(`#/checklist/${k}`) ? true : undefined} />
                        <span>{t(`review.checklist.${k}` as MessageKey)}</span>
                      </label>
                    ))}
                  </fieldset>
                  <div className="field">
                    <label htmlFor={`${ids}-reasons`}>{t('review.decision.reasons')}</label>
                    <textarea id={`${ids}-reasons`} value={reasons} onChange={(e) => setReasons(e.target.value)} rows={3} aria-invalid={pointerErrors.has('#/reason') || pointerErrors.has('#/reasons') ? true : undefined} />
                  </div>
                  <div className="consent-actions">
                    <button type="button" className="button" onClick={() => void decide('accept')}>
                      {t('review.decision.accept')}
                    </button>
                    <button type="button" className="button button--danger" onClick={() => void decide('decline')}>
                      {t('review.decision.decline')}
                    </button>
                  </div>
                </section>
              ) : null}
            </>
          ) : null}
        </>
      )}
    </div>
  );
}

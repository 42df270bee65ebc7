import { useId, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useFormatDateTime, useLanguage, useT } from '../../../i18n/index.js';
import type { Consent, ConsentKind, ConsentPresentation, RecordingMedia } from '../api.js';
import '../consent.css';
import { OneTimeCodeInput } from '../../../components/one-time-code.js';

const MEDIA: readonly RecordingMedia[] = ['audio', 'video', 'screen'];

/** The problem's field issues as pointer → detail, for messages next to the fields (STYLE C19). */
function fieldErrors(problem: Problem | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of problem?.errors ?? []) out[e.pointer] = e.detail;
  return out;
}

/**
 * Reading and signing a consent (Art. 10, 11, 19): the text is fetched (and its showing recorded)
 * before the form appears, and the signature needs a fresh code from the authenticator app.
 */
export function ConsentSignPage() {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const { language } = useLanguage();
  const { requestId = '' } = useParams();
  const [search] = useSearchParams();
  const kind: ConsentKind = search.get('kind') === 'recording' ? 'recording' : 'treatment';
  // From the call's pre-join screen: only a consultation path of this app is followed back.
  const back = search.get('back');
  const backToCall = back && /^\/consultations\/[0-9a-f-]{36}$/.test(back) ? back : undefined;
  useDocumentTitle(t(kind === 'recording' ? 'consent.sign.titleRecording' : 'consent.sign.title'));
  const ids = useId();

  const [lang, setLang] = useState<'bg' | 'en'>(language);
  const [presentation, setPresentation] = useState<ConsentPresentation>();
  const [read, setRead] = useState(false);
  const [duty, setDuty] = useState(false);
  const [reason, setReason] = useState('');
  const [purpose, setPurpose] = useState('');
  const [media, setMedia] = useState<RecordingMedia[]>([]);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [signed, setSigned] = useState<Consent>();

  const gatesResource = useResource(`consent/gates/${requestId}`, (a) => a.consent.gates(requestId));
  const gates = valueOf(gatesResource);
  const shownProblem = problem ?? problemOf(gatesResource);

  const existing = kind === 'recording' ? gates?.recordingConsent : gates?.treatmentConsent;
  const errors = fieldErrors(problem);

  async function showText() {
    setProblem(undefined);
    setBusy(true);
    try {
      setPresentation(await api.consent.present(requestId, kind, lang));
      setRead(false);
    } catch (e) {
      setProblem(problemFromError(e));
    } finally {
      setBusy(false);
    }
  }

  async function sign(e: FormEvent) {
    e.preventDefault();
    if (!presentation) return;
    setProblem(undefined);
    setBusy(true);
    try {
      const consent = await api.consent.sign(requestId, {
        kind,
        presentationId: presentation.presentationId,
        code: code.replace(/\s/g, ''),
        ...(kind === 'treatment' && duty ? { healthInfoDutyAcknowledged: true as const } : {}),
        ...(kind === 'recording' ? { recording: { reason, media, purpose } } : {}),
      });
      setSigned(consent);
    } catch (err) {
      setProblem(problemFromError(err));
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  if (signed) {
    return (
      <div className="page page--narrow">
        <h1>{t('consent.sign.done')}</h1>
        <p role="status">{t('consent.sign.doneBody', { at: formatDateTime(new Date(signed.signedAt)) })}</p>
        <p className="consent-meta">{t('consent.hash', { hash: signed.contentSha256 })}</p>
        <div className="consent-actions">
          <a className="button" href={api.consent.pdfUrl(signed.id)} download>
            {t('consent.pdf')}
          </a>
          <Link className="button button--secondary" to="/consents">
            {t('consent.list.title')}
          </Link>
          {backToCall ? (
            <Link className="button" to={backToCall}>
              {t('consent.sign.backToCall')}
            </Link>
          ) : null}
        </div>
      </div>
    );
  }

  return (
    <div className="page page--narrow">
      <h1>{t(kind === 'recording' ? 'consent.sign.titleRecording' : 'consent.sign.title')}</h1>
      <p className="lead">{t(kind === 'recording' ? 'consent.sign.introRecording' : 'consent.sign.intro')}</p>
      {shownProblem ? <ProblemAlert problem={shownProblem} /> : null}
      {existing && existing.status === 'active' ? (
        <p role="status">{t('consent.sign.already', { at: formatDateTime(new Date(existing.signedAt)) })}</p>
      ) : null}

      {!presentation ? (
        <div>
          <div className="field">
            <label htmlFor={`${ids}-lang`}>{t('consent.sign.language')}</label>
            <select id={`${ids}-lang`} value={lang} onChange={(e) => setLang(e.target.value === 'en' ? 'en' : 'bg')}>
              <option value="bg">{t('language.bg')}</option>
              <option value="en">{t('language.en')}</option>
            </select>
          </div>
          <button type="button" className="button" onClick={() => void showText()} disabled={busy}>
            {t('consent.sign.read')}
          </button>
        </div>
      ) : (
        <form onSubmit={(e) => void sign(e)} noValidate>
          <article className="consent-text" aria-labelledby={`${ids}-title`} lang={presentation.lang} tabIndex={0}>
            <h2 id={`${ids}-title`}>{presentation.template.title}</h2>
            {presentation.template.body.split(/\n{2,}/).map((para, i) => (
              <p key={i}>{para}</p>
            ))}
          </article>
          <p className="consent-meta">{t('consent.sign.version', { version: presentation.template.version, at: formatDateTime(new Date(presentation.presentedAt)) })}</p>

          <label className="consent-check">
            <input type="checkbox" checked={read} onChange={(e) => setRead(e.target.checked)} />
            <span>{t('consent.sign.confirmRead')}</span>
          </label>
          {kind === 'treatment' ? (
            <>
              <label className="consent-check">
                <input type="checkbox" checked={duty} onChange={(e) => setDuty(e.target.checked)} aria-describedby={errors['#/healthInfoDutyAcknowledged'] ? `${ids}-duty-error` : undefined} />
                <span>{t('consent.sign.duty')}</span>
              </label>
              {errors['#/healthInfoDutyAcknowledged'] ? (
                <p id={`${ids}-duty-error`} className="field-error">
                  {t('consent.sign.dutyRequired')}
                </p>
              ) : null}
            </>
          ) : (
            <>
              <div className="field">
                <label htmlFor={`${ids}-reason`}>{t('consent.recording.reason')}</label>
                <textarea id={`${ids}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} rows={2} required aria-invalid={errors['#/recording/reason'] ? true : undefined} />
                {errors['#/recording/reason'] ? <p className="field-error">{t('consent.recording.required')}</p> : null}
              </div>
              <fieldset className="checklist" aria-invalid={errors['#/recording/media'] ? true : undefined}>
                <legend>{t('consent.recording.media')}</legend>
                {MEDIA.map((m) => (
                  <label key={m} className="consent-check">
                    <input type="checkbox" checked={media.includes(m)} onChange={(e) => setMedia((cur) => (e.target.checked ? [...cur, m] : cur.filter((x) => x !== m)))} />
                    <span>{t(`consent.media.${m}`)}</span>
                  </label>
                ))}
                {errors['#/recording/media'] ? <p className="field-error">{t('consent.recording.required')}</p> : null}
              </fieldset>
              <div className="field">
                <label htmlFor={`${ids}-purpose`}>{t('consent.recording.purpose')}</label>
                <textarea id={`${ids}-purpose`} value={purpose} onChange={(e) => setPurpose(e.target.value)} rows={2} required aria-invalid={errors['#/recording/purpose'] ? true : undefined} />
                {errors['#/recording/purpose'] ? <p className="field-error">{t('consent.recording.required')}</p> : null}
              </div>
            </>
          )}

          <div className="field">
            <label htmlFor={`${ids}-code`}>{t('consent.sign.code')}</label>
            <OneTimeCodeInput id={`${ids}-code`} value={code} onChange={setCode} aria-describedby={`${ids}-code-hint`} />
            <p id={`${ids}-code-hint`} className="consent-meta">
              {t('consent.sign.codeHint')}
            </p>
          </div>
          <button type="submit" className="button" disabled={busy || !read || code.replace(/\s/g, '').length < 6}>
            {t('consent.sign.submit')}
          </button>
        </form>
      )}
    </div>
  );
}

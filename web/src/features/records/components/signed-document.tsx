import { useEffect, useId, useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useFormatDateTime, useT } from '../../../i18n/index.js';
import type { ClinicalDocument } from '../api.js';
import { DocumentView } from './document-view.js';
import { MaskedIdentifier, maskIdentifier } from '../../patient/components/masked-identifier.js';
import type { CardNhisOutcome } from '../nhis-card.js';

/**
 * How soon the page asks again whether the NHIS has acknowledged the record: 2 s, then doubling up to a
 * minute (each read is an audited access, and the NHIS may be down for hours).
 */
const nhisPollMs = (polls: number) => Math.min(60_000, 2000 * 2 ** polls);

/**
 * A signed document, read-only: its content, the signature and its verification (`/verification`:
 * signature, digest, header and correction chain), the NHIS recording with the national reference
 * number once acknowledged, the PDF copy, and the start of a correction (a new revision that
 * references this one; the signed one never changes).
 */
export function SignedDocument(props: { doc: ClinicalDocument; cardNhis?: CardNhisOutcome | undefined; onChanged(doc: ClinicalDocument): void; onCorrectionStarted(draft: ClinicalDocument): void }) {
  const t = useT();
  const api = useApi();
  const fmt = useFormatDateTime();
  const ids = useId();
  const { doc, onChanged } = props;
  const verified = useResource(`verification/${doc.id}`, (a) => a.records.verify(doc.id));
  const verification = valueOf(verified);
  const [problem, setProblem] = useState<Problem>();
  const [correcting, setCorrecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [polls, setPolls] = useState(0);

  // Regulatory: Art. 17(1) — recording counts once the NHIS acknowledges; until then the outbox retries.
  const waiting = doc.nhis !== null && (doc.nhis.status === 'pending' || doc.nhis.status === 'opened');
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setTimeout(() => {
      setPolls((n) => n + 1);
      api.records.get(doc.id).then(onChanged, () => undefined);
    }, nhisPollMs(polls));
    return () => window.clearTimeout(timer);
  }, [api, doc, waiting, onChanged, polls]);

  async function startCorrection(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      props.onCorrectionStarted(await api.records.startCorrection(doc.id, doc.body, reason.trim()));
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  const sig = doc.signature;
  const shownProblem = problem ?? problemOf(verified);
  return (
    <div className="signed-document">
      {shownProblem ? <ProblemAlert problem={shownProblem} /> : null}
      <DocumentView doc={doc} body={doc.body}>
        {doc.content ? <SignedFacts content={doc.content} requestId={doc.requestId} /> : null}
      </DocumentView>

      <section className="records-panel" aria-labelledby={`${ids}-sig`}>
        <h2 id={`${ids}-sig`}>{t('records.signature.title')}</h2>
        {sig ? (
          <p>
            {t(sig.level === 'qualified' ? 'records.signature.qualified' : 'records.signature.advanced')} · {t('records.signature.signedAt', { at: fmt(new Date(sig.signedAt)) })}
          </p>
        ) : null}
        {!verification ? (
          <p aria-live="polite">{t('records.verification.checking')}</p>
        ) : (
          <div data-testid="verification" data-valid={verification.valid}>
            <p className={verification.valid ? 'records-ok' : 'field-error'} role="status">
              <strong>{t(verification.valid ? 'records.verification.valid' : 'records.verification.invalid')}</strong>
            </p>
            <ul className="records-checks">
              {(['signature', 'contentDigest', 'header', 'chain'] as const).map((k) => (
                <li key={k} data-ok={verification.checks[k]}>
                  {verification.checks[k] ? '✓' : '✗'} {t(`records.verification.check.${k}`)}
                </li>
              ))}
            </ul>
            <p>{t('records.verification.level', { level: t(verification.level === 'qualified' ? 'records.signature.qualified' : 'records.signature.advanced') })}</p>
            {verification.certificate ? (
              <p data-testid="signing-certificate" data-trusted={verification.certificate.trusted}>
                {t('records.verification.certificate', { subject: verification.certificate.subject, issuer: verification.certificate.issuer, serial: verification.certificate.serialNumber, until: fmt(new Date(verification.certificate.notAfter)) })}
                <br />
                {t(verification.certificate.trusted ? 'records.verification.certificate.trusted' : 'records.verification.certificate.untrusted')}
              </p>
            ) : null}
            <p className="records-hint records-mono">
              {t('records.signature.key', { keyId: verification.keyId })}
              <br />
              {t('records.signature.digest', { sha: verification.contentSha256 })}
            </p>
          </div>
        )}
      </section>

      {doc.nhis ? (
        <section className="records-panel" aria-labelledby={`${ids}-nhis`}>
          <h2 id={`${ids}-nhis`}>{t('records.nhis.title')}</h2>
          <p role="status" data-testid="nhis-status" data-status={doc.nhis.status}>
            {t(`records.nhis.status.${doc.nhis.status}`)}
          </p>
          {doc.nhis.nrn ? (
            <p>
              {t('records.nhis.nrn')} <strong data-testid="nrn">{doc.nhis.nrn}</strong>
              {doc.nhis.acknowledgedAt ? <> · {fmt(new Date(doc.nhis.acknowledgedAt))}</> : null}
            </p>
          ) : null}
          {props.cardNhis && props.cardNhis !== 'outbox' ? (
            <p data-testid="nhis-card" data-outcome={props.cardNhis}>
              {t(`records.nhis.card.${props.cardNhis}`)}
            </p>
          ) : null}
          {doc.nhis.lastError && doc.nhis.status !== 'acknowledged' ? <p className="records-hint">{t('records.nhis.lastError', { attempts: doc.nhis.attempts, error: doc.nhis.lastError })}</p> : null}
        </section>
      ) : null}

      <div className="records-actions">
        <a className="button" href={api.records.pdfUrl(doc.id)} download>
          {t('records.signed.pdf')}
        </a>
        {!doc.replacedById && !correcting ? (
          <button type="button" className="records-secondary" onClick={() => setCorrecting(true)}>
            {t('records.correction.start')}
          </button>
        ) : null}
      </div>
      {doc.replacedById ? <p className="records-hint">{t('records.signed.replaced')}</p> : null}

      {correcting ? (
        <form className="records-panel" onSubmit={(e) => void startCorrection(e)} aria-labelledby={`${ids}-corr`}>
          <h2 id={`${ids}-corr`}>{t('records.correction.title')}</h2>
          <p className="records-hint">{t('records.correction.explain', { revision: doc.revision })}</p>
          <div className="records-field">
            <label htmlFor={`${ids}-reason`}>{t('records.correction.reason')}</label>
            <textarea id={`${ids}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={1000} autoFocus />
          </div>
          <div className="records-actions">
            <button type="submit" className="button" disabled={busy || reason.trim().length < 3}>
              {t('records.correction.submit')}
            </button>
            <button type="button" className="records-secondary" onClick={() => setCorrecting(false)}>
              {t('records.action.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

/** What the signature covers besides the body: the patient, the performer and the times. */
function SignedFacts({ content: c, requestId }: { content: NonNullable<ClinicalDocument['content']>; requestId: string }) {
  const t = useT();
  const fmt = useFormatDateTime();
  return (
    <dl className="document-view__facts">
      {c.subject ? (
        <>
          <dt>{t('records.view.patient')}</dt>
          <dd>
            {[c.subject.givenName, c.subject.middleName, c.subject.familyName].filter(Boolean).join(' ')} ·{' '}
            {/* Privacy: masked like the patient banner; the reveal is audited against the document's request. */}
            <MaskedIdentifier inline kindLabel={t(`records.view.identifier.${c.subject.identifierType}`)} masked={maskIdentifier(c.subject.identifier)} requestId={requestId} revealedText={c.subject.identifier} />
          </dd>
        </>
      ) : null}
      <dt>{t('records.view.performer')}</dt>
      <dd>
        {c.performer.givenName} {c.performer.familyName} · {t('records.view.uin', { uin: c.performer.uin })} · {c.performer.qualificationName} · {c.performer.facilityName}
      </dd>
      {c.examination.completedAt ? (
        <>
          <dt>{t('records.view.completedAt')}</dt>
          <dd>{fmt(new Date(c.examination.completedAt))}</dd>
        </>
      ) : null}
      <dt>{t('records.view.signedAt')}</dt>
      <dd>{fmt(new Date(c.signedAt))}</dd>
    </dl>
  );
}

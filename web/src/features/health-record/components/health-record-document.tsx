import { Link } from 'react-router';
import { useFormatDateTime, useLanguage, useT, locales } from '../../../i18n/index.js';
import { DocumentView } from '../../records/components/document-view.js';
import type { ClinicalDocument, Verification } from '../api.js';

type Content = NonNullable<ClinicalDocument['content']>;

/** A calendar date (`YYYY-MM-DD`) in the interface language; no time zone shift. */
function useFormatDate(): (date: string) => string {
  const { language } = useLanguage();
  const format = new Intl.DateTimeFormat(locales[language], { dateStyle: 'long', timeZone: 'UTC' });
  return (date) => format.format(new Date(`${date}T00:00:00Z`));
}

/**
 * A signed clinical document, read-only, as signed: the patient, the performer, the service, the body
 * (the one `DocumentView` every screen uses), and the verification result with the data a third party
 * needs to check it.
 */
export function HealthRecordDocument({ doc, content, verification, pdfUrl }: { doc: ClinicalDocument; content: Content; verification: Verification | 'checking' | undefined; pdfUrl: string }) {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const formatDate = useFormatDate();
  const subject = content.subject;
  const performer = content.performer;
  const exam = content.examination;

  return (
    <article className="hr-document" aria-labelledby="hr-document-title">
      <h1 id="hr-document-title">{t(`healthRecord.kind.${doc.kind}`)}</h1>
      <p className="lead">
        {performer.facilityName} · <time dateTime={content.signedAt}>{formatDateTime(new Date(content.signedAt))}</time> · {t('healthRecord.document.revision', { revision: doc.revision })}
      </p>
      {doc.replacedById ? (
        <p className="hr-notice">
          {t('healthRecord.document.replacedBy')} <Link to={`/health-record/documents/${doc.replacedById}`}>{t('healthRecord.document.openCurrent')}</Link>
        </p>
      ) : null}
      {content.replaces ? (
        <div className="hr-notice">
          <p className="hr-text">
            {t('healthRecord.document.replaces')} – <Link to={`/health-record/documents/${content.replaces.documentId}`}>{t('healthRecord.document.openPrevious')}</Link>
          </p>
          <p className="hr-text">
            <strong>{t('healthRecord.document.correctionReason')}:</strong> {content.replaces.reason}
          </p>
        </div>
      ) : null}

      <dl className="hr-facts">
        {subject ? (
          <>
            <dt>{t('healthRecord.document.patient')}</dt>
            <dd>
              {[subject.givenName, subject.middleName, subject.familyName].filter(Boolean).join(' ')}, {t(`healthRecord.document.id.${subject.identifierType}`)} {subject.identifier},{' '}
              {t('healthRecord.document.born', { date: formatDate(subject.birthDate) })}
            </dd>
          </>
        ) : null}
        <dt>{t('healthRecord.specialist')}</dt>
        <dd>{t('healthRecord.specialistLine', { name: `${performer.givenName} ${performer.familyName}`, qualification: performer.qualificationName, uin: performer.uin })}</dd>
        <dt>{t('healthRecord.facility')}</dt>
        <dd>
          {performer.facilityName} ({performer.practiceNumber})
        </dd>
        <dt>{t('healthRecord.document.kindOfCare')}</dt>
        <dd>{t('healthRecord.document.care', { urgency: t(`healthRecord.document.urgency.${exam.urgency}`), mode: t(`healthRecord.document.mode.${exam.mode}`) })}</dd>
        <dt>{t('healthRecord.document.completedAt')}</dt>
        <dd>{exam.completedAt ? <time dateTime={exam.completedAt}>{formatDateTime(new Date(exam.completedAt))}</time> : t('healthRecord.document.notCompleted')}</dd>
        {doc.kind === 'patient_information' ? null : (
          <>
            <dt>{t('healthRecord.nrn')}</dt>
            <dd>{doc.nhis?.nrn ?? t('healthRecord.nrnPending')}</dd>
          </>
        )}
      </dl>

      <section className="hr-section">
        <DocumentView doc={doc} body={content.body} />
      </section>

      <section className="hr-section" aria-labelledby="hr-signature-title">
        <h2 id="hr-signature-title">{t('healthRecord.signature.title')}</h2>
        <SignatureResult verification={verification} />
        {doc.signature ? (
          <dl className="hr-facts">
            <dt>{t('healthRecord.signature.level')}</dt>
            <dd>{t(`healthRecord.signature.level.${doc.signature.level}`)}</dd>
            <dt>{t('healthRecord.signature.signer')}</dt>
            <dd>{t('healthRecord.signature.signerUin', { uin: performer.uin })}</dd>
            <dt>{t('healthRecord.signature.signedAt')}</dt>
            <dd>
              <time dateTime={doc.signature.signedAt}>{formatDateTime(new Date(doc.signature.signedAt))}</time>
            </dd>
            <dt>{t('healthRecord.signature.keyId')}</dt>
            <dd className="hr-mono">{doc.signature.keyId}</dd>
            <dt>{t('healthRecord.signature.digest')}</dt>
            <dd className="hr-mono">{doc.signature.contentSha256}</dd>
          </dl>
        ) : null}
        <div className="health-record__downloads">
          <a className="button" href={pdfUrl} download>
            {t('healthRecord.pdf')}
          </a>
          <p className="health-record__hint">{t('healthRecord.pdfHint')}</p>
        </div>
      </section>
    </article>
  );
}

/** The server's verification of the stored document: one clear sentence, then each check. */
function SignatureResult({ verification }: { verification: Verification | 'checking' | undefined }) {
  const t = useT();
  if (verification === undefined) return null;
  if (verification === 'checking') return <p aria-live="polite">{t('healthRecord.signature.checking')}</p>;
  const checks = ['signature', 'contentDigest', 'header', 'chain'] as const;
  return (
    <>
      <p role="status" className={`hr-verification ${verification.valid ? 'hr-verification--valid' : 'hr-verification--invalid'}`} data-valid={verification.valid}>
        {verification.valid ? t('healthRecord.signature.valid') : t('healthRecord.signature.invalid')}
      </p>
      <h3>{t('healthRecord.signature.checks')}</h3>
      <ul className="hr-checks">
        {checks.map((c) => (
          <li key={c}>
            <span aria-hidden="true">{verification.checks[c] ? '✓ ' : '✗ '}</span>
            {t(`healthRecord.signature.check.${c}`)}: {verification.checks[c] ? t('healthRecord.signature.ok') : t('healthRecord.signature.failed')}
          </li>
        ))}
      </ul>
    </>
  );
}

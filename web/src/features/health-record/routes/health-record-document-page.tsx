import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { HealthRecordDocument } from '../components/health-record-document.js';
import '../health-record.css';

/**
 * `/health-record/documents/:documentId`: one signed document, read-only, with the server's signature
 * verification and the PDF copy. Both reads are access-checked and audited by the server.
 */
export function HealthRecordDocumentPage() {
  const t = useT();
  const api = useApi();
  const { documentId = '' } = useParams();
  const loaded = useResource(`health-record/document/${documentId}`, (a) => a.healthRecord.document(documentId));
  const verified = useResource(`health-record/verification/${documentId}`, (a) => a.healthRecord.verify(documentId));
  const doc = valueOf(loaded);
  const verification = verified.state === 'loading' ? 'checking' : valueOf(verified);
  const problem = problemOf(loaded) ?? problemOf(verified);
  useDocumentTitle(doc ? t(`healthRecord.kind.${doc.kind}`) : t('healthRecord.title'));

  return (
    <div className="page health-record">
      <p>
        <Link to={doc?.patientId ? `/health-record?patient=${encodeURIComponent(doc.patientId)}` : '/health-record'}>← {t('healthRecord.document.back')}</Link>
      </p>
      {doc?.content ? null : <h1>{t('healthRecord.title')}</h1>}
      {problem ? <ProblemAlert problem={problem} /> : null}
      {!doc && !problem ? <p aria-live="polite">{t('healthRecord.loading')}</p> : null}
      {doc?.content ? <HealthRecordDocument doc={doc} content={doc.content} verification={verification} pdfUrl={api.healthRecord.pdfUrl(doc.id)} /> : null}
    </div>
  );
}

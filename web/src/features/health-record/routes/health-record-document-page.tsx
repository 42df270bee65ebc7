import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import type { ClinicalDocument, Verification } from '../api.js';
import { DocumentView } from '../components/document-view.js';
import '../health-record.css';

/**
 * `/health-record/documents/:documentId`: one signed document, read-only, with the server's signature
 * verification and the PDF copy. Both reads are access-checked and audited by the server.
 */
export function HealthRecordDocumentPage() {
  const t = useT();
  const api = useApi();
  const { documentId = '' } = useParams();
  const [doc, setDoc] = useState<ClinicalDocument>();
  const [verification, setVerification] = useState<Verification | 'checking'>();
  const [problem, setProblem] = useState<Problem>();
  useDocumentTitle(doc ? t(`healthRecord.kind.${doc.kind}`) : t('healthRecord.title'));

  useEffect(() => {
    let live = true;
    setDoc(undefined);
    setProblem(undefined);
    setVerification('checking');
    api.healthRecord.document(documentId).then(
      (d) => live && setDoc(d),
      (e: unknown) => live && setProblem(problemFromError(e)),
    );
    api.healthRecord.verify(documentId).then(
      (v) => live && setVerification(v),
      (e: unknown) => {
        if (!live) return;
        setVerification(undefined);
        setProblem((p) => p ?? problemFromError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api, documentId]);

  return (
    <div className="page health-record">
      <p>
        <Link to={doc?.patientId ? `/health-record?patient=${encodeURIComponent(doc.patientId)}` : '/health-record'}>← {t('healthRecord.document.back')}</Link>
      </p>
      {doc?.content ? null : <h1>{t('healthRecord.title')}</h1>}
      {problem ? <ProblemAlert problem={problem} /> : null}
      {!doc && !problem ? <p aria-live="polite">{t('healthRecord.loading')}</p> : null}
      {doc?.content ? <DocumentView doc={doc} content={doc.content} verification={verification} pdfUrl={api.healthRecord.pdfUrl(doc.id)} /> : null}
    </div>
  );
}

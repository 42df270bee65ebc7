import { useEffect, useId, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import type { ClinicalDocument } from '../api.js';
import { DeadlineSummary } from '../components/deadline-summary.js';
import { SheetEditForm } from '../components/sheet-edit-form.js';
import { SheetReview } from '../components/sheet-review.js';
import { SignedDocument } from '../components/signed-document.js';
import { useSheetDraft, type SheetDraft } from '../use-sheet-draft.js';
import { Skeleton } from '../../../components/ui.js';
import { PatientBanner } from '../../patient/components/patient-banner.js';
import '../records.css';

export { AUTOSAVE_MS } from '../use-sheet-draft.js';

/**
 * `/requests/:requestId/sheet`: the providing specialist writes the document that closes the service —
 * the ambulatory sheet for a patient's request, the written consultation for a specialist's (the server
 * decides; R-TM-40) — reviews it, signs it, and sees it verified and recorded in the NHIS. Drafts save
 * with `If-Match` (Ctrl+S / ⌘S, and automatically after a pause); a conflicting save keeps the text on
 * the page and asks which version to keep. The draft's life is in `useSheetDraft`; this page lays out
 * its three steps.
 */
export function SheetEditorPage() {
  const t = useT();
  const { requestId = '' } = useParams();
  const draft = useSheetDraft(requestId);
  const { kind, detail, deadline, doc, mode, loadProblem } = draft;
  const request = detail?.request;
  const specialtyCode = request?.provider.specialtyCode;
  // Templates are offered once the draft is on the screen; a failure to load them just hides them.
  const templates = useResource(draft.loaded ? `templates/${specialtyCode ?? ''}` : null, (api) => api.records.templates(specialtyCode));

  const title = kind ? t(`records.kind.${kind}`) : t('records.editor.title');
  useDocumentTitle(title);

  return (
    <div className="page records-editor">
      <p className="records-back">
        <Link to="/records/worklist">{t('records.editor.back')}</Link>
      </p>
      <h1>
        {title}
        {doc && doc.revision > 1 ? <span className="records-revision"> · {t('records.editor.revision', { revision: doc.revision })}</span> : null}
      </h1>
      {request?.patientId && request.viewerSide === 'provider' ? <PatientBanner requestId={requestId} /> : null}
      {request?.patientId && request.viewerSide === 'provider' ? (
        <p className="button-row">
          <Link className="button button--secondary button--small" to={`/requests/${requestId}/referrals/new`}>
            {t('refIssue.link.referral')}
          </Link>
          <Link className="button button--secondary button--small" to={`/requests/${requestId}/prescriptions/new`}>
            {t('refIssue.link.prescription')}
          </Link>
        </p>
      ) : null}
      {request ? (
        <p className="lead">
          {[request.provider.serviceName, request.provider.specialtyName, request.provider.facilityName].filter(Boolean).join(' · ')}
        </p>
      ) : null}
      {deadline ? <DeadlineSummary deadline={deadline.value} fetchedAt={deadline.fetchedAt} /> : kind ? <p className="records-hint">{t('records.editor.notCompleted')}</p> : null}
      {loadProblem ? <ProblemAlert problem={loadProblem} /> : null}
      {!doc && !loadProblem ? <Skeleton lines={6} label={t('records.loading')} /> : null}

      {mode === 'edit' && doc && kind ? <SheetEditForm draft={draft} kind={kind} title={title} templates={templates.state === 'ready' ? templates.value : []} specialtyCode={specialtyCode} /> : null}
      {mode === 'review' && doc && kind ? <SheetReview draft={draft} /> : null}
      {mode === 'signed' && doc ? <SignedSection doc={doc} cardNhis={draft.cardNhis} onChanged={draft.showSigned} onCorrectionStarted={draft.showDraft} /> : null}
    </div>
  );
}

/** The signed document, verified, with its NHIS state and the way to a correction. */
function SignedSection({ doc, cardNhis, onChanged, onCorrectionStarted }: { doc: ClinicalDocument; cardNhis: SheetDraft['cardNhis']; onChanged: (d: ClinicalDocument) => void; onCorrectionStarted: (d: ClinicalDocument) => void }) {
  const t = useT();
  const ids = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby={`${ids}-signed`}>
      <h2 id={`${ids}-signed`} ref={heading} tabIndex={-1}>
        {t('records.signed.title', { revision: doc.revision })}
      </h2>
      <SignedDocument doc={doc} cardNhis={cardNhis} onChanged={onChanged} onCorrectionStarted={onCorrectionStarted} />
    </section>
  );
}

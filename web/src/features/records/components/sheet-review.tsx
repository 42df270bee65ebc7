import { useEffect, useId, useRef } from 'react';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useT } from '../../../i18n/index.js';
import type { SheetDraft } from '../use-sheet-draft.js';
import { DocumentView } from './document-view.js';

/** The check-your-answers step: the saved draft, read-only, exactly as it will be signed. */
export function SheetReview({ draft }: { draft: SheetDraft }) {
  const t = useT();
  const ids = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { doc } = draft;
  if (!doc) return null;
  return (
    <section className="records-review" aria-labelledby={`${ids}-review`}>
      <h2 id={`${ids}-review`} ref={heading} tabIndex={-1}>
        {t('records.review.title')}
      </h2>
      <p>{t('records.review.lead')}</p>
      {draft.problem ? <ProblemAlert problem={draft.problem} /> : null}
      <DocumentView doc={doc} body={doc.body} />
      <div className="records-actions">
        <button type="button" className="button" onClick={() => void draft.sign()} disabled={draft.busy}>
          {t('records.review.sign')}
        </button>
        <button type="button" className="records-secondary" onClick={draft.backToEdit} disabled={draft.busy}>
          {t('records.review.back')}
        </button>
      </div>
    </section>
  );
}
